using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Text;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using MineRisk.Web.Platform.Data;
using Npgsql;

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

    /// <summary>PostgreSQL: all of <paramref name="rows"/> in one binary COPY (see <see cref="ReadingCopy"/>).</summary>
    public static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<ReadingRow> rows, CancellationToken ct)
    {
        await using var copy = await ReadingCopy.BeginAsync(connection, ct);
        await copy.WriteAsync(rows, ct);
        await copy.CompleteAsync(ct);
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

/// <summary>
/// PostgreSQL's binary COPY of readings, written here byte by byte into a pooled buffer (the format is fixed and small: a
/// header, per row a field count and each field as length + big-endian value, a trailer) and sent as the buffer fills, so
/// the rows may come in parts — the applier writes each file's readings as it judges them, while PostgreSQL is already
/// storing the previous file's. The importer's typed writes resolved and bound a parameter for every value, a fifth of
/// the app's CPU at full rate (perf, docs/PERFORMANCE.md). The connection can do nothing else until the copy ends:
/// <see cref="CompleteAsync"/>; disposed without it (after a failure), the copy is abandoned and nothing of it stored.
/// </summary>
public sealed class ReadingCopy : IAsyncDisposable
{
    private readonly NpgsqlRawCopyStream _copy;
    private byte[]? _buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
    private int _used;
    private bool _ending;

    private ReadingCopy(NpgsqlRawCopyStream copy)
    {
        _copy = copy;
        _used = BinaryCopy.Header(_buffer);
    }

    /// <summary>Readings written so far.</summary>
    public int Count { get; private set; }

    public static async Task<ReadingCopy> BeginAsync(NpgsqlConnection connection, CancellationToken ct) =>
        new(await connection.BeginRawBinaryCopyAsync($"COPY {MonitoringSchema.Table} ({MonitoringSchema.Columns}) FROM STDIN (FORMAT BINARY)", ct));

    public async Task WriteAsync(IReadOnlyList<ReadingRow> rows, CancellationToken ct)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(ReadingCopy));
        foreach (var r in rows)
        {
            if (buffer.Length - _used < BinaryCopy.MaxRowBytes(r))
            {
                await _copy.WriteAsync(buffer.AsMemory(0, _used), ct);
                _used = 0;
            }

            _used += BinaryCopy.Row(buffer.AsSpan(_used), r);
        }

        Count += rows.Count;
    }

    /// <summary>Sends the rest and ends the copy; PostgreSQL has then stored every row written (within the transaction).</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        var buffer = _buffer ?? throw new ObjectDisposedException(nameof(ReadingCopy));
        _ending = true;
        _used += BinaryCopy.Trailer(buffer.AsSpan(_used));
        await _copy.WriteAsync(buffer.AsMemory(0, _used), ct);
        _used = 0;
        await _copy.DisposeAsync(); // ends the COPY and reads the server's answer
    }

    /// <summary>
    /// Ends the copy. Not completed, it is abandoned (nothing of it stored), leaving the connection usable for the rollback;
    /// once it was being ended PostgreSQL has already answered — its error is the one the caller sees — and there is nothing
    /// to cancel. (The raw stream's own dispose would end the copy and store what was sent.)
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_ending)
        {
            await _copy.CancelAsync();
        }

        await _copy.DisposeAsync();
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}

/// <summary>
/// PostgreSQL's binary COPY format for a reading (<c>COPY … FROM STDIN (FORMAT BINARY)</c>, "Binary Format" in the
/// PostgreSQL manual): the columns of <see cref="MonitoringSchema.Columns"/> in that order, network byte order, NULL as
/// length −1; timestamptz as microseconds since 2000-01-01 UTC (as Npgsql writes a UTC <see cref="DateTime"/>).
/// </summary>
internal static class BinaryCopy
{
    private const short Fields = 8;

    private const long PostgresEpochTicks = 630_822_816_000_000_000; // 2000-01-01T00:00:00Z

    /// <summary>"PGCOPY\n\377\r\n\0".</summary>
    private static ReadOnlySpan<byte> Signature => [0x50, 0x47, 0x43, 0x4F, 0x50, 0x59, 0x0A, 0xFF, 0x0D, 0x0A, 0x00];

    public static int Header(Span<byte> to)
    {
        Signature.CopyTo(to);
        BinaryPrimitives.WriteInt32BigEndian(to[11..], 0); // flags
        BinaryPrimitives.WriteInt32BigEndian(to[15..], 0); // header extension length
        return 19;
    }

    public static int Trailer(Span<byte> to)
    {
        BinaryPrimitives.WriteInt16BigEndian(to, -1);
        return 2;
    }

    /// <summary>At most what <see cref="Row"/> writes for <paramref name="r"/>.</summary>
    public static int MaxRowBytes(in ReadingRow r) => 2 + (8 * 4) + (6 * 8) + 2 + Encoding.UTF8.GetMaxByteCount(r.RegionCode.Length);

    public static int Row(Span<byte> to, in ReadingRow r)
    {
        if (r.DataTime.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("读数的数据时间必须是 UTC", nameof(r));
        }

        BinaryPrimitives.WriteInt16BigEndian(to, Fields);
        var n = 2;
        n += Int64(to[n..], r.MineId);
        n += Int64(to[n..], r.PointId);
        n += Int64(to[n..], (r.DataTime.Ticks - PostgresEpochTicks) / 10);
        if (r.Value is { } v)
        {
            BinaryPrimitives.WriteInt32BigEndian(to[n..], 8);
            BinaryPrimitives.WriteDoubleBigEndian(to[(n + 4)..], v);
            n += 12;
        }
        else
        {
            n += Null(to[n..]);
        }

        BinaryPrimitives.WriteInt32BigEndian(to[n..], 2);
        BinaryPrimitives.WriteInt16BigEndian(to[(n + 4)..], r.Status);
        n += 6;
        var length = Encoding.UTF8.GetBytes(r.RegionCode, to[(n + 4)..]);
        BinaryPrimitives.WriteInt32BigEndian(to[n..], length);
        n += 4 + length;
        n += r.EnterpriseId is { } e ? Int64(to[n..], e) : Null(to[n..]);
        n += Int64(to[n..], r.FileId);
        return n;
    }

    private static int Int64(Span<byte> to, long value)
    {
        BinaryPrimitives.WriteInt32BigEndian(to, 8);
        BinaryPrimitives.WriteInt64BigEndian(to[4..], value);
        return 12;
    }

    private static int Null(Span<byte> to)
    {
        BinaryPrimitives.WriteInt32BigEndian(to, -1);
        return 4;
    }
}
