using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MineRisk.Web.Platform.Data;
using Npgsql;
using NpgsqlTypes;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>One reading as stored (see <see cref="Reading"/>): a struct, so a batch of them is one array, not one object each.</summary>
public readonly record struct ReadingRow(long MineId, long PointId, DateTime DataTime, double? Value, short Status, string RegionCode, long? EnterpriseId, long FileId);

/// <summary>
/// The readings table, which EF cannot express: on PostgreSQL partitioned by month on <c>data_time</c> (UTC months), so that
/// retention drops a month at a time and a national deployment can distribute it (docs/SCALING.md); one index,
/// (point_id, data_time), serves the live view and the sparklines. On SQLite a plain table with the same index.
/// </summary>
public sealed class MonitoringSchema(ReadingPartitions partitions, TimeProvider clock) : ISchemaExtension
{
    public const string Table = "readings";

    public const string Columns = "mine_id, point_id, data_time, value, status, region_code, enterprise_id, file_id";

    public async Task<IReadOnlyList<string>> ApplyAsync(AppDbContext db, IReadOnlyDictionary<string, TableInfo> tables, CancellationToken ct)
    {
        var changes = new List<string>();
        if (!tables.ContainsKey(Table))
        {
            var sql = db.IsPostgres
                ? """
                  CREATE TABLE readings (
                      mine_id bigint NOT NULL,
                      point_id bigint NOT NULL,
                      data_time timestamp with time zone NOT NULL,
                      value double precision NULL,
                      status smallint NOT NULL,
                      region_code character varying(12) COLLATE "C" NOT NULL,
                      enterprise_id bigint NULL,
                      file_id bigint NOT NULL
                  ) PARTITION BY RANGE (data_time);
                  CREATE INDEX ix_readings_point_time ON readings (point_id, data_time);
                  """
                : """
                  CREATE TABLE readings (
                      mine_id INTEGER NOT NULL,
                      point_id INTEGER NOT NULL,
                      data_time TEXT NOT NULL,
                      value REAL NULL,
                      status INTEGER NOT NULL,
                      region_code TEXT NOT NULL,
                      enterprise_id INTEGER NULL,
                      file_id INTEGER NOT NULL
                  );
                  CREATE INDEX ix_readings_point_time ON readings (point_id, data_time);
                  """;
            await db.Database.ExecuteSqlRawAsync(sql, ct);
            changes.Add("新表 readings");
        }

        if (db.IsPostgres)
        {
            // This month and the next exist before any reading arrives (others are made when a reading needs them).
            var month = ReadingPartitions.MonthOf(clock.GetUtcNow().UtcDateTime);
            foreach (var m in new[] { month, month.AddMonths(1) })
            {
                if (await partitions.CreateIfMissingAsync(db, m, ct))
                {
                    changes.Add($"新分区 {ReadingPartitions.NameOf(m)}");
                }
            }
        }

        return changes;
    }
}

/// <summary>The monthly partitions of <c>readings</c> on PostgreSQL: created when a reading needs one, dropped by retention.</summary>
public sealed class ReadingPartitions
{
    private readonly ConcurrentDictionary<DateTime, bool> _known = new();

    public static DateTime MonthOf(DateTime utc) => new(utc.Year, utc.Month, 1, 0, 0, 0, DateTimeKind.Utc);

    public static string NameOf(DateTime month) => "readings_p" + month.ToString("yyyyMM", CultureInfo.InvariantCulture);

    /// <summary>Makes sure each month of <paramref name="months"/> has its partition (in its own short transaction).</summary>
    public async Task EnsureAsync(AppDbContext db, IEnumerable<DateTime> months, CancellationToken ct)
    {
        foreach (var month in months.Select(MonthOf).Distinct())
        {
            if (!_known.ContainsKey(month))
            {
                await CreateIfMissingAsync(db, month, ct);
            }
        }
    }

    /// <summary>Creates the partition of <paramref name="month"/> unless it exists; true when it was created.</summary>
    public async Task<bool> CreateIfMissingAsync(AppDbContext db, DateTime month, CancellationToken ct)
    {
        var name = NameOf(month);
        var exists = await db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM pg_class WHERE relname = {0} AND relnamespace = current_schema()::regnamespace", name).SingleAsync(ct);
        if (exists == 0)
        {
            // The bounds are formatted from a DateTime, never from input; DDL takes no parameters.
            var from = month.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var to = month.AddMonths(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            try
            {
                var ddl = $"CREATE TABLE IF NOT EXISTS {name} PARTITION OF readings FOR VALUES FROM ('{from} 00:00:00+00') TO ('{to} 00:00:00+00')";
                await db.Database.ExecuteSqlRawAsync(ddl, ct);
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateTable or PostgresErrorCodes.UniqueViolation)
            {
                // Another instance made it at the same moment.
            }
        }

        _known[month] = true;
        return exists == 0;
    }

    /// <summary>The months that have a partition (from the catalogue).</summary>
    public async Task<List<DateTime>> ListAsync(AppDbContext db, CancellationToken ct)
    {
        var names = await db.Database.SqlQueryRaw<string>(
            "SELECT c.relname AS \"Value\" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'readings'").ToListAsync(ct);
        return names.Select(n => DateTime.TryParseExact(n.Replace("readings_p", "", StringComparison.Ordinal), "yyyyMM", CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var m) ? m : (DateTime?)null)
            .Where(m => m is not null).Select(m => DateTime.SpecifyKind(m!.Value, DateTimeKind.Utc)).Order().ToList();
    }

    public async Task DropAsync(AppDbContext db, DateTime month, CancellationToken ct)
    {
        var ddl = $"DROP TABLE IF EXISTS {NameOf(month)}"; // a name made from a DateTime, not from input
        await db.Database.ExecuteSqlRawAsync(ddl, ct);
        _known.TryRemove(month, out _);
    }
}

/// <summary>
/// Writes readings in bulk inside the caller's transaction: binary COPY on PostgreSQL, one prepared INSERT reused for every
/// row on SQLite. Nothing goes through change tracking or the audit trail (the raw file is archived instead).
/// </summary>
public static class ReadingWriter
{
    public static async Task WriteAsync(AppDbContext db, IReadOnlyList<ReadingRow> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (db.IsPostgres)
        {
            await CopyAsync((NpgsqlConnection)db.Database.GetDbConnection(), rows, ct);
        }
        else
        {
            Insert(db.Database.GetDbConnection(), db.Database.CurrentTransaction?.GetDbTransaction(), rows);
        }
    }

    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<ReadingRow> rows, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync($"COPY {MonitoringSchema.Table} ({MonitoringSchema.Columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in rows)
        {
            // Synchronous writes fill the importer's buffer; it goes to the server when full.
            importer.StartRow();
            importer.Write(r.MineId, NpgsqlDbType.Bigint);
            importer.Write(r.PointId, NpgsqlDbType.Bigint);
            importer.Write(r.DataTime, NpgsqlDbType.TimestampTz);
            if (r.Value is { } v)
            {
                importer.Write(v, NpgsqlDbType.Double);
            }
            else
            {
                importer.WriteNull();
            }

            importer.Write(r.Status, NpgsqlDbType.Smallint);
            importer.Write(r.RegionCode, NpgsqlDbType.Varchar);
            if (r.EnterpriseId is { } e)
            {
                importer.Write(e, NpgsqlDbType.Bigint);
            }
            else
            {
                importer.WriteNull();
            }

            importer.Write(r.FileId, NpgsqlDbType.Bigint);
        }

        await importer.CompleteAsync(ct);
    }

    /// <summary>SQLite runs in process: the synchronous calls avoid a task per row.</summary>
    private static void Insert(DbConnection connection, DbTransaction? transaction, IReadOnlyList<ReadingRow> rows)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"INSERT INTO {MonitoringSchema.Table} ({MonitoringSchema.Columns}) VALUES ($m, $p, $t, $v, $s, $r, $e, $f)";
        DbParameter Add(string name)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            command.Parameters.Add(p);
            return p;
        }

        var (m, pt, t, v, s, rc, e, f) = (Add("$m"), Add("$p"), Add("$t"), Add("$v"), Add("$s"), Add("$r"), Add("$e"), Add("$f"));
        command.Prepare();
        foreach (var r in rows)
        {
            m.Value = r.MineId;
            pt.Value = r.PointId;
            // The same text form EF uses for DateTime on SQLite, so queries through the model compare correctly.
            t.Value = r.DataTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            v.Value = r.Value is { } value ? value : DBNull.Value;
            s.Value = r.Status;
            rc.Value = r.RegionCode;
            e.Value = r.EnterpriseId is { } id ? id : DBNull.Value;
            f.Value = r.FileId;
            command.ExecuteNonQuery();
        }
    }
}
