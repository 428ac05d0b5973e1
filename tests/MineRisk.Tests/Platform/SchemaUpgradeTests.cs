using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Data;
using Npgsql;

namespace MineRisk.Tests.Platform;

/// <summary>
/// Schema upgrades without data loss (issue 2 item 4): a database created by schema v1 (frozen SQL in
/// Platform/Data/Legacy) and holding data is upgraded by starting the current app, on both engines.
/// </summary>
public abstract class SchemaUpgradeTests(bool postgres)
{
    private async Task<TestDatabase> NewDatabaseAsync() => postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();

    private async Task ExecuteScriptAsync(TestDatabase database, string sql)
    {
        await using DbConnection connection = postgres ? new NpgsqlConnection(database.ConnectionString) : new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static string Legacy(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Platform", "Data", "Legacy", name));

    [Fact]
    public async Task StartOnV1Database_UpgradesInPlace_KeepsEveryRow_AndEqualsAFreshSchema()
    {
        var legacyDb = await NewDatabaseAsync();
        await ExecuteScriptAsync(legacyDb, Legacy(postgres ? "v1.postgres.sql" : "v1.sqlite.sql"));
        await using var upgraded = new ExistingDatabaseApp(legacyDb);
        await upgraded.StartAsync();
        await using var fresh = new ExistingDatabaseApp(await NewDatabaseAsync());
        await fresh.StartAsync();

        // The data of v1 is all there.
        var (notification, deadline, user) = await upgraded.WithDbAsync(async db => (
            await db.Notifications.SingleAsync(n => n.Title == "旧版本留下的消息"),
            await db.Deadlines.SingleAsync(d => d.Title == "旧版本的期限"),
            await db.Users.SingleAsync(u => u.UserName == "county.old")));
        Assert.Equal("升级后必须还在", notification.Body);
        Assert.Equal(new DateTime(2026, 1, 20, 16, 0, 0), deadline.DueAt);
        Assert.Null(user.LastLoginAt); // the column added by the upgrade, empty for old rows

        // The old user can still sign in (password hash, role, organisation kept), which sets the new column.
        var client = await upgraded.ApiAsAsync("county.old");
        var me = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal("麒麟区应急管理局", me.GetProperty("organisation").GetProperty("name").GetString());
        Assert.NotEqual(System.Text.Json.JsonValueKind.Null, me.GetProperty("lastLoginAt").ValueKind);

        // The audit chain written by v1 still verifies, with the entries written since.
        var verification = await upgraded.WithServicesAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None));
        Assert.True(verification.Ok, verification.Reason);
        Assert.True(verification.Entries > 2);

        // The schema now equals the one a fresh database gets, and the version is recorded.
        var upgradedSchema = await upgraded.WithDbAsync(db => new SchemaInspector(db).ReadAsync(CancellationToken.None));
        var freshSchema = await fresh.WithDbAsync(db => new SchemaInspector(db).ReadAsync(CancellationToken.None));
        Assert.Equal(Describe(freshSchema), Describe(upgradedSchema));
        var version = await upgraded.WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT MAX(version) AS \"Value\" FROM schema_versions").SingleAsync());
        Assert.Equal(SchemaUpgrader.CurrentVersion, version);
    }

    [Fact]
    public async Task StartTwice_SecondUpgradeChangesNothing()
    {
        var database = await NewDatabaseAsync();
        await using var first = new ExistingDatabaseApp(database);
        await first.StartAsync();
        var report = await first.WithServicesAsync(sp => sp.GetRequiredService<SchemaUpgrader>().UpgradeAsync(CancellationToken.None));
        Assert.Empty(report.Changes);
        Assert.False(report.Created);
    }

    [Fact]
    public async Task StartOnAForeignDatabase_RefusesAndTouchesNothing()
    {
        var database = await NewDatabaseAsync();
        await ExecuteScriptAsync(database, "CREATE TABLE payroll (id integer PRIMARY KEY, amount integer); INSERT INTO payroll VALUES (1, 100);");
        await using var app = new ExistingDatabaseApp(database);
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(app.StartAsync);
        Assert.Contains("不是 MineRisk 的数据库", error.Message);

        await using var connection = postgres ? (DbConnection)new NpgsqlConnection(database.ConnectionString) : new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM payroll";
        Assert.Equal(1L, Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task StartOnANewerDatabase_Refuses()
    {
        var database = await NewDatabaseAsync();
        await using (var first = new ExistingDatabaseApp(database, ownsDatabase: false))
        {
            await first.StartAsync();
            await first.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("INSERT INTO schema_versions (version, applied_at, description) VALUES (999, 'x', '未来版本')"));
        }

        await using var second = new ExistingDatabaseApp(database);
        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(second.StartAsync);
        Assert.Contains("比本程序支持的", error.Message);
    }

    /// <summary>A comparable text of a schema: tables, columns (type, nullability), indexes; foreign keys on PostgreSQL.</summary>
    private string Describe(Dictionary<string, TableInfo> schema) => string.Join("\n", schema.Values.OrderBy(t => t.Name, StringComparer.Ordinal).Select(t =>
        $"{t.Name}: " +
        string.Join(", ", t.Columns.OrderBy(c => c.Name, StringComparer.Ordinal).Select(c => $"{c.Name} {c.Type}{(c.Nullable ? " NULL" : "")}")) +
        " | " + string.Join(", ", t.Indexes.OrderBy(i => i.Name, StringComparer.Ordinal).Select(i => $"{(i.Unique ? "unique " : "")}{i.Name}({string.Join(",", i.Columns)})")) +
        (postgres ? " | " + string.Join(", ", t.ForeignKeys.Select(f => $"{string.Join(",", f.Columns)}->{f.PrincipalTable}").Order(StringComparer.Ordinal)) : "")));
}

public sealed class SchemaUpgradeTestsSqlite() : SchemaUpgradeTests(postgres: false);

public sealed class SchemaUpgradeTestsPostgres() : SchemaUpgradeTests(postgres: true);
