using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;

namespace MineRisk.Web.Platform.Data;

/// <summary>An explicit schema change the additive reconciliation cannot express (rename, type change, data move).</summary>
/// <param name="Version">Strictly increasing; recorded in <c>schema_versions</c> once applied.</param>
/// <param name="Apply">Runs against the database as it is, before reconciliation; must check what exists.</param>
public sealed record SchemaStep(int Version, string Description, Func<AppDbContext, IReadOnlyDictionary<string, TableInfo>, CancellationToken, Task> Apply);

/// <summary>
/// Schema a module keeps outside the EF model because EF cannot express it (a table partitioned by month on
/// PostgreSQL). Runs at every start inside the upgrade transaction, after the model is reconciled; must create only
/// what is missing and return what it created (an up-to-date database returns nothing).
/// </summary>
public interface ISchemaExtension
{
    Task<IReadOnlyList<string>> ApplyAsync(AppDbContext db, IReadOnlyDictionary<string, TableInfo> tables, CancellationToken ct);
}

/// <summary>What an upgrade did.</summary>
public sealed record UpgradeReport(int FromVersion, int ToVersion, bool Created, IReadOnlyList<string> Changes);

/// <summary>
/// Brings any database — empty, or created by an older version of MineRisk — to the current schema at start, without
/// losing data. The EF design-time package (and so <c>dotnet ef migrations</c>) is not available here, so:
/// <list type="number">
/// <item>an empty database gets every table of the current model;</item>
/// <item>an existing one first runs the explicit <see cref="Steps"/> newer than its recorded version (for changes that
/// are not additive), then is reconciled additively with the model: missing tables, columns and indexes are created
/// with EF's own SQL generator for the engine in use. Nothing is ever dropped or rewritten implicitly.</item>
/// </list>
/// All of it runs in one transaction (both engines have transactional DDL), under an advisory lock on PostgreSQL so
/// that two instances starting together do not race. The test <c>SchemaUpgradeTests</c> starts from a frozen older
/// schema holding data, upgrades it, and checks that the result equals a freshly created schema and the data is intact.
/// </summary>
public sealed partial class SchemaUpgrader(AppDbContext db, TimeProvider clock, ILogger<SchemaUpgrader> logger, IEnumerable<ISchemaExtension> extensions)
{
    public const string VersionTable = "schema_versions";

    /// <summary>Explicit steps, oldest first. Empty so far: every change up to now has been additive.</summary>
    public static readonly IReadOnlyList<SchemaStep> Steps = [];

    /// <summary>The schema version of this build: 1 is the baseline, then one per explicit step.</summary>
    public static int CurrentVersion => Steps.Count == 0 ? 1 : Steps[^1].Version;

    public async Task<UpgradeReport> UpgradeAsync(CancellationToken ct)
    {
        db.Scope = Auth.UserScope.System;
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(73100000)", ct);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var inspector = new SchemaInspector(db);
            var tables = await inspector.ReadAsync(ct);
            var created = !tables.ContainsKey(VersionTable);
            int fromVersion;
            if (created)
            {
                if (tables.Count > 0)
                {
                    throw new InvalidOperationException(
                        $"数据库中已有 {tables.Count} 张表，但没有 {VersionTable} 表：这不是 MineRisk 的数据库。为免破坏数据，拒绝升级。");
                }

                await db.Database.ExecuteSqlRawAsync(
                    $"CREATE TABLE {VersionTable} (version integer NOT NULL PRIMARY KEY, applied_at varchar(40) NOT NULL, description varchar(200) NOT NULL)", ct);
                fromVersion = 0;
            }
            else
            {
                fromVersion = await db.Database.SqlQueryRaw<int>($"SELECT COALESCE(MAX(version), 0) AS \"Value\" FROM {VersionTable}").SingleAsync(ct);
                if (fromVersion > CurrentVersion)
                {
                    throw new InvalidOperationException($"数据库结构版本 {fromVersion} 比本程序支持的 {CurrentVersion} 新，请使用新版程序。");
                }
            }

            var changes = new List<string>();
            foreach (var step in Steps.Where(s => s.Version > fromVersion && fromVersion > 0))
            {
                await step.Apply(db, tables, ct);
                changes.Add($"v{step.Version}: {step.Description}");
                tables = await inspector.ReadAsync(ct);
            }

            changes.AddRange(await ReconcileAsync(tables, ct));
            foreach (var extension in extensions)
            {
                changes.AddRange(await extension.ApplyAsync(db, tables, ct));
            }

            if (fromVersion < CurrentVersion)
            {
                var description = created ? "新建数据库" : "升级";
                await db.Database.ExecuteSqlRawAsync(
                    $"INSERT INTO {VersionTable} (version, applied_at, description) VALUES ({{0}}, {{1}}, {{2}})",
                    [CurrentVersion, clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture), description], ct);
            }

            await transaction.CommitAsync(ct);
            if (changes.Count > 0)
            {
                LogUpgraded(fromVersion, CurrentVersion, changes.Count, string.Join("; ", changes.Take(20)));
            }

            return new UpgradeReport(fromVersion, CurrentVersion, created, changes);
        }
        finally
        {
            if (db.IsPostgres)
            {
                await SessionLock.ReleaseAllAsync(db);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Creates what the model has and the database lacks: tables, then columns, then indexes.</summary>
    private async Task<List<string>> ReconcileAsync(IReadOnlyDictionary<string, TableInfo> tables, CancellationToken ct)
    {
        var model = db.GetService<IDesignTimeModel>().Model;
        var all = db.GetService<IMigrationsModelDiffer>().GetDifferences(null, model.GetRelationalModel());
        var operations = new List<MigrationOperation>();
        var changes = new List<string>();
        foreach (var operation in all)
        {
            switch (operation)
            {
                case CreateTableOperation create when !tables.ContainsKey(create.Name):
                    operations.Add(create);
                    changes.Add($"新表 {create.Name}");
                    break;
                case CreateTableOperation create:
                    var existing = tables[create.Name].Columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
                    foreach (var column in create.Columns.Where(c => !existing.Contains(c.Name)))
                    {
                        operations.Add(AddColumn(column));
                        changes.Add($"新列 {create.Name}.{column.Name}");
                        // SQLite cannot add a foreign key to an existing table without rebuilding it; PostgreSQL can.
                        if (db.IsPostgres)
                        {
                            operations.AddRange(create.ForeignKeys.Where(fk => fk.Columns.Contains(column.Name)).Select(fk => (MigrationOperation)fk));
                        }
                    }

                    break;
                case CreateIndexOperation index when !tables.TryGetValue(index.Table, out var table) || !table.Indexes.Any(i => i.Name == index.Name):
                    operations.Add(index);
                    if (tables.ContainsKey(index.Table))
                    {
                        changes.Add($"新索引 {index.Name}");
                    }

                    break;
            }
        }

        if (operations.Count == 0)
        {
            return changes;
        }

        var commands = db.GetService<IMigrationsSqlGenerator>().Generate(operations, model);
        foreach (var command in commands)
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, ct);
        }

        return changes;
    }

    /// <summary>A column added to a table that may hold rows: NOT NULL needs a default to fill them.</summary>
    private static AddColumnOperation AddColumn(AddColumnOperation column)
    {
        if (column.IsNullable || column.DefaultValue is not null || column.DefaultValueSql is not null || column.ComputedColumnSql is not null)
        {
            return column;
        }

        var type = Nullable.GetUnderlyingType(column.ClrType) ?? column.ClrType;
        column.DefaultValue = type == typeof(string) ? "" : type.IsValueType ? Activator.CreateInstance(type) : null;
        return column;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "数据库结构已从 v{From} 升级到 v{To}，变更 {Count} 项：{Changes}")]
    private partial void LogUpgraded(int from, int to, int count, string changes);
}
