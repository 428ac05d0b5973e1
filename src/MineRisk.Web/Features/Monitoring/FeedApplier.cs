using System.Data.Common;
using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Options;
using MineRisk.Feeds;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using Npgsql;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>Counters of the applier since start, for operators and the benchmarks (<c>GET /api/v1/monitoring/intake</c>).</summary>
public sealed class IntakeStats
{
    private long _files;
    private long _readings;
    private long _batches;
    private long _failed;

    public long AppliedFiles => Interlocked.Read(ref _files);

    public long AppliedReadings => Interlocked.Read(ref _readings);

    public long Batches => Interlocked.Read(ref _batches);

    public long FailedFiles => Interlocked.Read(ref _failed);

    public double LastBatchMs { get; private set; }

    /// <summary>Acceptance to commit of the newest file of the last batch.</summary>
    public double LastLagMs { get; private set; }

    public bool Active { get; set; }

    private long _applyMicros;
    private long _writeMicros;
    private long _batchCommitMicros;

    /// <summary>
    /// The applier's time since start: around the readings (claiming, other files, alarms and status rows), writing the
    /// readings (on PostgreSQL with their judging, which runs while they stream), committing.
    /// </summary>
    public double ApplyMs => Interlocked.Read(ref _applyMicros) / 1000.0;

    public double WriteMs => Interlocked.Read(ref _writeMicros) / 1000.0;

    public double BatchCommitMs => Interlocked.Read(ref _batchCommitMicros) / 1000.0;

    public void Applied(int files, int readings, double batchMs, double lagMs, TimeSpan applying, TimeSpan writing, TimeSpan committing)
    {
        Interlocked.Add(ref _files, files);
        Interlocked.Add(ref _readings, readings);
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _applyMicros, (long)applying.TotalMicroseconds);
        Interlocked.Add(ref _writeMicros, (long)writing.TotalMicroseconds);
        Interlocked.Add(ref _batchCommitMicros, (long)committing.TotalMicroseconds);
        LastBatchMs = batchMs;
        LastLagMs = lagMs;
    }

    public void Failed() => Interlocked.Increment(ref _failed);

    private long _groups;
    private long _groupFiles;
    private long _archiveMicros;
    private long _commitMicros;

    /// <summary>Intake's group commits since start, the files they recorded, and the time spent archiving and committing.</summary>
    public long Groups => Interlocked.Read(ref _groups);

    public long GroupFiles => Interlocked.Read(ref _groupFiles);

    public double ArchiveMs => Interlocked.Read(ref _archiveMicros) / 1000.0;

    public double CommitMs => Interlocked.Read(ref _commitMicros) / 1000.0;

    public void Grouped(int files, TimeSpan archiving, TimeSpan committing)
    {
        Interlocked.Increment(ref _groups);
        Interlocked.Add(ref _groupFiles, files);
        Interlocked.Add(ref _archiveMicros, (long)archiving.TotalMicroseconds);
        Interlocked.Add(ref _commitMicros, (long)committing.TotalMicroseconds);
    }
}

/// <summary>
/// Applies acknowledged files, oldest first, in batches of up to <c>ApplyBatchReadings</c> readings per transaction: the
/// files are claimed (<c>status 1 → 2</c>, only those still 1), their content applied — readings written in bulk, points,
/// areas, people, alarms — and all committed together. So a file is applied exactly once: a crash before the commit leaves
/// it acknowledged and it is applied after the restart; after the commit it is never claimed again. The queue is the
/// table itself (files accepted by any instance); parsed documents handed over in memory save re-reading the archive.
/// On PostgreSQL one instance applies at a time (advisory lock); the others accept and wait as standby.
/// </summary>
public sealed partial class FeedApplier(
    IServiceScopeFactory scopes,
    AlarmEngine engine,
    FeedPayloads payloads,
    FeedArchive archive,
    ApplierSignal signal,
    ReadingPartitions partitions,
    AlarmHub hub,
    IntakeStats stats,
    SqliteWriteGate gate,
    DatabaseOptions database,
    TimeProvider clock,
    IOptions<MonitoringOptions> options,
    ILogger<FeedApplier> logger) : BackgroundService
{
    private const long LockKey = 73100061;

    private readonly Queue<TaskCompletionSource> _sweepRequests = new();
    private readonly Dictionary<long, int> _failures = [];

    /// <summary>A batch's readings, reused from batch to batch: 20,000 of them are a 1 MB array, which .NET puts on the large object heap.</summary>
    private readonly List<ReadingRow> _rows = [];
    private NpgsqlConnection? _lock;
    private bool _singleFileMode;

    private MonitoringOptions Options => options.Value;

    /// <summary>Runs a sweep (断线, 领导带班) on the applier's thread now and waits for it (tests; operators).</summary>
    public Task SweepNowAsync()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_sweepRequests)
        {
            _sweepRequests.Enqueue(done);
        }

        signal.Pulse();
        return done.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Options.ApplierEnabled)
        {
            return;
        }

        await Task.Yield();
        var started = false;
        var nextSweep = DateTime.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!await HoldLockAsync(stoppingToken))
                {
                    started = false;
                    await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
                    continue;
                }

                if (!started)
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var db = Context(scope);
                    await engine.StartAsync(db, stoppingToken);
                    started = true;
                    stats.Active = true;
                    LogStarted();
                }

                var applied = await ApplyBatchAsync(stoppingToken);
                var now = clock.GetUtcNow().UtcDateTime;
                var requested = TakeSweepRequests();
                if (now >= nextSweep || requested.Count > 0)
                {
                    await SweepAsync(stoppingToken);
                    nextSweep = now + Options.SweepInterval;
                    requested.ForEach(r => r.TrySetResult());
                }

                if (applied == 0)
                {
                    await signal.WaitAsync(TimeSpan.FromMilliseconds(500), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                if (ExceptionHandling.IsDatabaseUnavailable(ex))
                {
                    LogDatabaseUnavailable(ex.Message);
                }
                else
                {
                    LogBatchFailed(ex);
                }

                foreach (var request in TakeSweepRequests())
                {
                    request.TrySetException(ex);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        stats.Active = false;
        if (_lock is not null)
        {
            await _lock.DisposeAsync();
        }
    }

    private List<TaskCompletionSource> TakeSweepRequests()
    {
        lock (_sweepRequests)
        {
            var list = _sweepRequests.ToList();
            _sweepRequests.Clear();
            return list;
        }
    }

    private static AppDbContext Context(AsyncServiceScope scope)
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        // Derived from archived raw files: not user actions, so not in the audit trail (docs/MONITORING.md). People's actions on alarms are.
        db.AuditEnabled = false;
        return db;
    }

    /// <summary>PostgreSQL: this instance applies only while it holds the applier lock on its own connection.</summary>
    private async Task<bool> HoldLockAsync(CancellationToken ct)
    {
        if (database.Provider != DatabaseProvider.Postgres)
        {
            return true;
        }

        try
        {
            if (_lock is { State: System.Data.ConnectionState.Open })
            {
                await using var ping = new NpgsqlCommand("SELECT 1", _lock);
                await ping.ExecuteScalarAsync(ct);
                return true;
            }
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogLockLost(ex.Message);
        }

        if (_lock is not null)
        {
            await _lock.DisposeAsync();
            _lock = null;
        }

        var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var take = new NpgsqlCommand($"SELECT pg_try_advisory_lock({LockKey})", connection);
        if (await take.ExecuteScalarAsync(ct) is true)
        {
            _lock = connection;
            return true;
        }

        await connection.DisposeAsync();
        return false;
    }

    private async Task<int> ApplyBatchAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Context(scope);
        var waiting = await db.Set<FeedUpload>().AsNoTracking().Where(f => f.Status == FeedStatus.Accepted).OrderBy(f => f.Id)
            .Take(_singleFileMode ? 1 : 512).ToListAsync(ct);
        if (waiting.Count == 0)
        {
            return 0;
        }

        var chosen = new List<(FeedUpload File, FeedDocument Document)>();
        var readings = 0;
        foreach (var file in waiting)
        {
            var count = file.Type == FeedType.Cdss ? file.RecordCount : 0;
            if (chosen.Count > 0 && readings + count > Options.ApplyBatchReadings)
            {
                break;
            }

            if ((payloads.Take(file.Id) ?? await ReadArchiveAsync(file, ct)) is { } document)
            {
                chosen.Add((file, document));
                readings += count;
            }
        }

        if (chosen.Count == 0)
        {
            return waiting.Count; // all were failed files just marked; look again at once
        }

        var watch = Stopwatch.StartNew();
        if (db.IsPostgres)
        {
            var months = chosen.Select(c => c.Document).OfType<FeedDocument<CdssReading>>()
                .SelectMany(d => d.Records.Count == 0 ? [] : new[] { d.Records.Min(r => r.DataTime).UtcDateTime, d.Records.Max(r => r.DataTime).UtcDateTime });
            await partitions.EnsureAsync(db, months, ct);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var batch = new AlarmBatch(db, now);
        try
        {
            using var writing = await gate.EnterAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var claimed = await ClaimAsync(db, chosen.Select(c => c.File.Id).ToList(), now, ct);
            var files = chosen.Where(c => claimed.Contains(c.File.Id)).ToList();
            var (written, copying) = db.IsPostgres ? await StreamAsync(db, batch, files, ct) : await ApplyThenWriteAsync(db, batch, files, readings, ct);
            await AlarmEngine.FlushAsync(batch, ct);
            var flushed = watch.Elapsed;
            await transaction.CommitAsync(ct);
            var committed = clock.GetUtcNow().UtcDateTime;
            hub.Publish(engine.Committed(batch));
            _singleFileMode = false;
            var lag = chosen.Count == 0 ? 0 : (committed - chosen.Max(c => c.File.ReceivedAt)).TotalMilliseconds;
            stats.Applied(claimed.Count, written, watch.Elapsed.TotalMilliseconds, lag, flushed - copying, copying, watch.Elapsed - flushed);
            return claimed.Count;
        }
        catch (Exception ex) when (!ExceptionHandling.IsDatabaseUnavailable(ex) && ex is not OperationCanceledException)
        {
            engine.Evict(batch.TouchedMines);
            await IsolateAsync(chosen.Select(c => c.File).ToList(), ex, ct);
            throw;
        }
        catch
        {
            engine.Evict(batch.TouchedMines);
            throw;
        }
    }

    /// <summary>
    /// PostgreSQL: files in order; each run of CDSS files is prepared (the mines' state and points loaded), then judged file
    /// by file while its readings stream into one COPY, so PostgreSQL stores a file's readings while the next is judged
    /// (the judging was 15 % of a batch at full rate, waiting for the COPY to start). Other files are applied between
    /// runs, where the connection is free for their statements. Returns the readings written and the time they took.
    /// </summary>
    private async Task<(int Written, TimeSpan Copying)> StreamAsync(AppDbContext db, AlarmBatch batch, List<(FeedUpload File, FeedDocument Document)> files, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var rows = _rows;
        var (written, copying) = (0, TimeSpan.Zero);
        for (var i = 0; i < files.Count;)
        {
            if (files[i].Document is not FeedDocument<CdssReading>)
            {
                rows.Clear();
                await engine.ApplyAsync(batch, files[i].File, files[i].Document, rows, ct);
                i++;
                continue;
            }

            var end = i;
            while (end < files.Count && files[end].Document is FeedDocument<CdssReading>)
            {
                end++;
            }

            var prepared = new List<(FeedUpload File, FeedDocument<CdssReading> Document)>(end - i);
            for (; i < end; i++)
            {
                if (await engine.PrepareCdssAsync(batch, files[i].File, ct))
                {
                    prepared.Add((files[i].File, (FeedDocument<CdssReading>)files[i].Document));
                }
            }

            var started = Stopwatch.GetTimestamp();
            await using var copy = await ReadingCopy.BeginAsync(connection, ct);
            foreach (var (file, document) in prepared)
            {
                rows.Clear();
                engine.ApplyCdss(batch, file, document, rows);
                await copy.WriteAsync(rows, ct);
            }

            await copy.CompleteAsync(ct);

            written += copy.Count;
            copying += Stopwatch.GetElapsedTime(started);
        }

        return (written, copying);
    }

    /// <summary>SQLite: every file applied, then the readings written (in process; nothing to overlap).</summary>
    private async Task<(int Written, TimeSpan Copying)> ApplyThenWriteAsync(AppDbContext db, AlarmBatch batch, List<(FeedUpload File, FeedDocument Document)> files, int readings,
        CancellationToken ct)
    {
        var rows = _rows;
        rows.Clear();
        rows.EnsureCapacity(readings);
        foreach (var (file, document) in files)
        {
            await engine.ApplyAsync(batch, file, document, rows, ct);
        }

        var started = Stopwatch.GetTimestamp();
        await ReadingWriter.WriteAsync(db, rows, ct);
        return (rows.Count, Stopwatch.GetElapsedTime(started));
    }

    /// <summary>
    /// A batch failed for a reason other than the database being away: apply one file at a time until the file at fault is
    /// found, and after three failures set it aside as 处理失败 (with the error) so the files behind it are not held up.
    /// </summary>
    private async Task IsolateAsync(List<FeedUpload> files, Exception ex, CancellationToken ct)
    {
        if (files.Count > 1)
        {
            _singleFileMode = true;
            return;
        }

        var file = files[0];
        var count = _failures[file.Id] = _failures.GetValueOrDefault(file.Id) + 1;
        if (count >= 3)
        {
            _failures.Remove(file.Id);
            await MarkFailedAsync(file, $"应用失败：{ex.GetType().Name}: {ex.Message}", ct);
        }
    }

    private async Task<FeedDocument?> ReadArchiveAsync(FeedUpload file, CancellationToken ct)
    {
        var bytes = file.ArchivePath is { } path ? archive.Read(path) : null;
        if (bytes is null)
        {
            await MarkFailedAsync(file, "归档文件缺失，无法应用（已确认接收的文件：请检查数据目录的存储）。", ct);
            return null;
        }

        try
        {
            return FeedFile.Read(file.FileName, bytes, FeedIntake.ReaderOptions);
        }
        catch (FeedFormatException e)
        {
            await MarkFailedAsync(file, $"归档文件无法读取：{e.Message}", ct);
            return null;
        }
    }

    private async Task MarkFailedAsync(FeedUpload file, string reason, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Context(scope);
        reason = reason.Length > 500 ? reason[..500] : reason;
        await db.Set<FeedUpload>().Where(f => f.Id == file.Id && f.Status == FeedStatus.Accepted)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.Status, FeedStatus.Failed).SetProperty(f => f.Reason, reason).SetProperty(f => f.ErrorKind, "ApplyFailed"), ct);
        stats.Failed();
        LogFileFailed(file.Id, file.FileName, reason);
    }

    /// <summary>Marks the files applied, only those still waiting, and returns them: the exactly-once guard.</summary>
    private static async Task<HashSet<long>> ClaimAsync(AppDbContext db, List<long> ids, DateTime now, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction!.GetDbTransaction();
        Add(command, "now", now);
        if (db.IsPostgres)
        {
            command.CommandText = "UPDATE feed_files SET status = 2, applied_at = @now WHERE status = 1 AND id = ANY(@ids) RETURNING id";
            command.Parameters.Add(new NpgsqlParameter<long[]>("ids", ids.ToArray()));
        }
        else
        {
            // One placeholder per id (values are parameters, never text in the SQL).
            var names = ids.Select((id, i) => Add(command, $"i{i}", id)).ToList();
            command.CommandText = $"UPDATE feed_files SET status = 2, applied_at = $now WHERE status = 1 AND id IN ({string.Join(", ", names)}) RETURNING id";
        }

        var claimed = new HashSet<long>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            claimed.Add(reader.GetInt64(0));
        }

        return claimed;

        static string Add(DbCommand command, string name, object value)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value is DateTime t && command is not NpgsqlCommand
                ? t.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture)
                : value;
            command.Parameters.Add(p);
            return "$" + name;
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = Context(scope);
        var batch = new AlarmBatch(db, clock.GetUtcNow().UtcDateTime);
        try
        {
            using var writing = await gate.EnterAsync(ct);
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await engine.SweepAsync(batch, ct);
            await AlarmEngine.FlushAsync(batch, ct);
            await transaction.CommitAsync(ct);
            hub.Publish(engine.Committed(batch));
        }
        catch
        {
            engine.Evict(batch.TouchedMines);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "监测数据应用服务已启动")]
    private partial void LogStarted();

    [LoggerMessage(Level = LogLevel.Warning, Message = "数据库暂不可用，监测数据稍后再应用：{Message}")]
    private partial void LogDatabaseUnavailable(string message);

    [LoggerMessage(Level = LogLevel.Error, Message = "应用监测数据批次失败")]
    private partial void LogBatchFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "监测文件 {FileId} {FileName} 处理失败：{Reason}")]
    private partial void LogFileFailed(long fileId, string fileName, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "应用服务的数据库锁连接中断：{Message}")]
    private partial void LogLockLost(string message);
}
