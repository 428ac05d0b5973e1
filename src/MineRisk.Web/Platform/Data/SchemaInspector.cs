using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace MineRisk.Web.Platform.Data;

public sealed record ColumnInfo(string Name, string Type, bool Nullable);

public sealed record IndexInfo(string Name, bool Unique, IReadOnlyList<string> Columns);

public sealed record ForeignKeyInfo(IReadOnlyList<string> Columns, string PrincipalTable);

public sealed record TableInfo(string Name, IReadOnlyList<ColumnInfo> Columns, IReadOnlyList<IndexInfo> Indexes, IReadOnlyList<ForeignKeyInfo> ForeignKeys);

/// <summary>Reads the actual schema of the database (tables, columns, indexes, foreign keys) on either engine.</summary>
public sealed class SchemaInspector(AppDbContext db)
{
    public async Task<Dictionary<string, TableInfo>> ReadAsync(CancellationToken ct)
    {
        var tables = new Dictionary<string, TableInfo>(StringComparer.Ordinal);
        var names = db.IsPostgres
            ? await QueryAsync("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'", r => r.GetString(0), ct)
            : await QueryAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", r => r.GetString(0), ct);
        foreach (var name in names)
        {
            tables[name] = db.IsPostgres ? await ReadPostgresAsync(name, ct) : await ReadSqliteAsync(name, ct);
        }

        return tables;
    }

    private async Task<TableInfo> ReadSqliteAsync(string table, CancellationToken ct)
    {
        var quoted = table.Replace("\"", "\"\"", StringComparison.Ordinal);
        var columns = await QueryAsync($"SELECT name, type, \"notnull\" FROM pragma_table_info('{quoted}')",
            r => new ColumnInfo(r.GetString(0), r.GetString(1).ToUpperInvariant(), r.GetInt64(2) == 0), ct);
        var indexRows = await QueryAsync($"SELECT name, \"unique\" FROM pragma_index_list('{quoted}') WHERE origin = 'c'",
            r => (Name: r.GetString(0), Unique: r.GetInt64(1) == 1), ct);
        var indexes = new List<IndexInfo>();
        foreach (var (name, unique) in indexRows)
        {
            var cols = await QueryAsync($"SELECT name FROM pragma_index_info('{name.Replace("'", "''", StringComparison.Ordinal)}') ORDER BY seqno", r => r.GetString(0), ct);
            indexes.Add(new IndexInfo(name, unique, cols));
        }

        var fkRows = await QueryAsync($"SELECT id, \"table\", \"from\" FROM pragma_foreign_key_list('{quoted}') ORDER BY id, seq",
            r => (Id: r.GetInt64(0), Table: r.GetString(1), From: r.GetString(2)), ct);
        var fks = fkRows.GroupBy(f => f.Id).Select(g => new ForeignKeyInfo(g.Select(f => f.From).ToList(), g.First().Table)).ToList();
        return new TableInfo(table, columns, indexes, fks);
    }

    private async Task<TableInfo> ReadPostgresAsync(string table, CancellationToken ct)
    {
        var t = table.Replace("'", "''", StringComparison.Ordinal);
        var columns = await QueryAsync(
            $"SELECT column_name, format_type(a.atttypid, a.atttypmod), is_nullable = 'YES' FROM information_schema.columns c " +
            $"JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_schema) || '.' || quote_ident(c.table_name))::regclass AND a.attname = c.column_name " +
            $"WHERE c.table_schema = current_schema() AND c.table_name = '{t}' ORDER BY c.ordinal_position",
            r => new ColumnInfo(r.GetString(0), r.GetString(1), r.GetBoolean(2)), ct);
        var indexes = await QueryAsync(
            $"SELECT i.relname, ix.indisunique, array_to_string(array(SELECT a.attname FROM unnest(ix.indkey) WITH ORDINALITY k(attnum, n) " +
            $"JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum ORDER BY k.n), ',') " +
            $"FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class tb ON tb.oid = ix.indrelid " +
            $"JOIN pg_namespace ns ON ns.oid = tb.relnamespace WHERE ns.nspname = current_schema() AND tb.relname = '{t}' AND NOT ix.indisprimary",
            r => new IndexInfo(r.GetString(0), r.GetBoolean(1), r.GetString(2).Split(',')), ct);
        var fks = await QueryAsync(
            $"SELECT array_to_string(array(SELECT a.attname FROM unnest(con.conkey) WITH ORDINALITY k(attnum, n) JOIN pg_attribute a " +
            $"ON a.attrelid = con.conrelid AND a.attnum = k.attnum ORDER BY k.n), ','), ref.relname FROM pg_constraint con " +
            $"JOIN pg_class tb ON tb.oid = con.conrelid JOIN pg_class ref ON ref.oid = con.confrelid JOIN pg_namespace ns ON ns.oid = tb.relnamespace " +
            $"WHERE con.contype = 'f' AND ns.nspname = current_schema() AND tb.relname = '{t}'",
            r => new ForeignKeyInfo(r.GetString(0).Split(','), r.GetString(1)), ct);
        return new TableInfo(table, columns, indexes, fks);
    }

    private async Task<List<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        await using var reader = await command.ExecuteReaderAsync(ct);
        var result = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            result.Add(read(reader));
        }

        return result;
    }
}
