using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Infrastructure;

/// <summary>SQLite's plan for a query as EF sends it (EXPLAIN QUERY PLAN with the query's own parameters).</summary>
public static class QueryPlan
{
    public static async Task<string> SqliteAsync<T>(AppDbContext db, IQueryable<T> query)
    {
        await db.Database.OpenConnectionAsync();
        await using var command = query.CreateDbCommand();
        command.CommandText = "EXPLAIN QUERY PLAN " + command.CommandText;
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(3));
        }

        return string.Join("\n", lines);
    }
}
