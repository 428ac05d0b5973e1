using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Feeds;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Monitoring;

public enum IntakeOutcome
{
    Accepted,
    Duplicate,
    Rejected,

    /// <summary>Too much acknowledged data waits to be applied: not accepted, try again (503).</summary>
    Busy,
}

/// <summary>What intake answered. A rejection carries the zh-CN error (and was recorded, with <see cref="FileId"/>).</summary>
public sealed record IntakeResult(IntakeOutcome Outcome, long? FileId, Error? Error = null, string? ErrorKind = null);

/// <summary>Who is sending: the mine of an HTTP upload key (or why the key was refused), or an inbox folder named after a mine.</summary>
public sealed record FeedSender(FeedDoor Door, Result<long>? Key = null, string? FolderMineCode = null);

/// <summary>Parsed documents of acknowledged files, handed to the applier in memory (it reads the archive when one is missing here).</summary>
public sealed class FeedPayloads
{
    private readonly ConcurrentDictionary<long, (FeedDocument Document, DateTime At)> _items = new();
    private long _pendingReadings;

    /// <summary>CDSS readings held here, waiting to be applied (back-pressure measure).</summary>
    public long PendingReadings => Interlocked.Read(ref _pendingReadings);

    public void Add(long fileId, FeedDocument document, DateTime now)
    {
        if (_items.TryAdd(fileId, (document, now)) && document.Type == FeedType.Cdss)
        {
            Interlocked.Add(ref _pendingReadings, document.Count);
        }
    }

    public FeedDocument? Take(long fileId)
    {
        if (!_items.TryRemove(fileId, out var item))
        {
            return null;
        }

        if (item.Document.Type == FeedType.Cdss)
        {
            Interlocked.Add(ref _pendingReadings, -item.Document.Count);
        }

        return item.Document;
    }

    /// <summary>Forgets what nobody took (another instance applies, or this one's applier is off): the archive still has it.</summary>
    public void EvictOlderThan(DateTime cutoff)
    {
        foreach (var (id, item) in _items)
        {
            if (item.At < cutoff)
            {
                Take(id);
            }
        }
    }
}

/// <summary>Wakes the applier when something was acknowledged (it also polls, for files accepted by other instances).</summary>
public sealed class ApplierSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        try
        {
            if (_signal.CurrentCount == 0)
            {
                _signal.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}

/// <summary>
/// Intake's one pipeline behind both doors (PUT /api/v1/feeds and the inbox folder). Every check runs before anything is
/// kept: name, sender, size, layout (complete, UTF-8, header = name), time, and what the content refers to. Then the raw
/// bytes are archived and the file recorded in one group commit shared by all files arriving together (so 300 files a
/// second cost a few disk flushes, not 600); only then is the file acknowledged. Rejections are recorded the same way,
/// with their reason. The applier takes over from the record (<see cref="FeedApplier"/>).
/// </summary>
public sealed partial class FeedIntake(
    IServiceScopeFactory scopes,
    MineDirectory directory,
    FeedArchive archive,
    FeedPayloads payloads,
    ApplierSignal signal,
    IntakeStats stats,
    SqliteWriteGate gate,
    TimeProvider clock,
    IOptions<MonitoringOptions> options,
    ILogger<FeedIntake> logger) : BackgroundService
{
    private const int MaxBatch = 256;

    /// <summary>
    /// Readers share one text cache sized for a node serving many mines (see docs/FEEDS.md §7). A CDSS reading's sensor
    /// name, location and unit are not read: the platform describes each point by its CDDY (3 of the 4 texts per reading).
    /// </summary>
    public static readonly FeedReaderOptions ReaderOptions = new() { StringCache = new FeedStringCache(262_144), CdssDescriptions = false };

    private Channel<Pending>[]? _lanes;

    /// <summary>
    /// The group-commit lanes (<c>IntakeLanes</c>): a mine's files always take the same lane, so each lane sees every
    /// earlier file of its mines and duplicates are told as with one lane, while lanes archive and commit side by side
    /// (a group commit waits on disk flushes most of its time).
    /// </summary>
    private Channel<Pending>[] Lanes => LazyInitializer.EnsureInitialized(ref _lanes, () =>
        Enumerable.Range(0, Math.Max(1, Options.IntakeLanes)).Select(_ => Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true })).ToArray());

    private ChannelWriter<Pending> LaneOf(FeedUpload record) => Lanes[(int)((ulong)(record.MineId ?? 0) % (ulong)Lanes.Length)].Writer;

    private sealed class Pending(FeedUpload record)
    {
        public FeedUpload Record { get; } = record;

        /// <summary>The raw file (a pooled buffer owned by the sender's call, valid until <see cref="Done"/> completes).</summary>
        public ReadOnlyMemory<byte> Bytes { get; init; }

        /// <summary>The record's id once committed (the record is written without change tracking).</summary>
        public long Id { get; set; }

        public FeedDocument? Document { get; init; }

        public Error? Error { get; init; }

        public TaskCompletionSource<IntakeResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private MonitoringOptions Options => options.Value;

    public async Task<IntakeResult> SubmitAsync(string fileName, Stream body, long? length, FeedSender sender, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var record = new FeedUpload { FileName = Shorten(fileName, 120), Door = sender.Door, ReceivedAt = now, Status = FeedStatus.Rejected };

        // 1. The name: pattern, type, and a registered mine.
        FeedFileName name;
        try
        {
            name = FeedFileName.Parse(fileName);
        }
        catch (FeedFormatException e)
        {
            return await RejectAsync(record, new UnprocessableError(e.Message), e.Error.Kind.ToString());
        }

        record.Type = name.Type;
        record.FileTime = name.Timestamp.UtcDateTime;
        var mine = await directory.FindAsync(name.MineCode, ct);
        if (mine is null)
        {
            return await RejectAsync(record, new UnprocessableError($"{fileName}：煤矿编码「{name.MineCode}」未在一矿一档中登记，不能接收其数据。"), "UnknownMine");
        }

        record.MineId = mine.Ref.Id;
        record.RegionCode = mine.Ref.RegionCode;
        record.EnterpriseId = mine.Ref.EnterpriseId;

        // 2. The sender: the key's mine, or the inbox folder's, must be the file's.
        if (sender.Key is { } key)
        {
            if (!key.TryGetValue(out var keyMineId, out var keyError))
            {
                return await RejectAsync(record, keyError, "UploadKey");
            }

            if (keyMineId != mine.Ref.Id)
            {
                return await RejectAsync(record, new UnprocessableError($"{fileName}：上传密钥不属于煤矿「{name.MineCode}」，文件名中的煤矿编码与上传单位不一致。"), nameof(FeedErrorKind.MineCodeMismatch));
            }
        }
        else if (sender.FolderMineCode is { } folder && folder != name.MineCode)
        {
            return await RejectAsync(record, new UnprocessableError($"{fileName}：放在煤矿「{folder}」的收件目录中，但文件名中的煤矿编码是「{name.MineCode}」。"), nameof(FeedErrorKind.MineCodeMismatch));
        }

        // 3. The size, before reading more than the limit.
        if (length > Options.MaxFileBytes)
        {
            record.Size = length.Value;
            return await RejectAsync(record, TooLarge(fileName), "TooLarge");
        }

        // The body goes into one pooled buffer (sized by Content-Length when given), returned once the file is committed.
        var (buffer, size) = await ReadLimitedAsync(body, length, Options.MaxFileBytes, ct);
        if (buffer is null)
        {
            record.Size = Options.MaxFileBytes + 1;
            return await RejectAsync(record, TooLarge(fileName), "TooLarge");
        }

        try
        {
            return await CheckAndCommitAsync(fileName, record, mine, buffer.AsMemory(0, size), ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<IntakeResult> CheckAndCommitAsync(string fileName, FeedUpload record, MineEntry mine, ReadOnlyMemory<byte> bytes, CancellationToken ct)
    {
        record.Size = bytes.Length;

        // 4. The layout and the header (complete with "||", UTF-8, header mine code = name's, not from the future).
        FeedDocument document;
        try
        {
            document = FeedFile.Read(fileName, bytes.Span, ReaderOptions);
            FeedChecks.EnsureNotInFuture(document.Header, clock.GetUtcNow(), Options.FutureTolerance, fileName);
        }
        catch (FeedFormatException e)
        {
            return await RejectAsync(record, new UnprocessableError(e.Message), e.Error.Kind.ToString());
        }

        record.HeaderTime = document.Header.UploadTime.UtcDateTime;
        record.RecordCount = document.Count;

        // 5. What the content refers to.
        if (await CheckContentAsync(fileName, mine, document, ct) is { } problem)
        {
            return await RejectAsync(record, new UnprocessableError(problem.Reason), problem.Kind);
        }

        if (document.Type == FeedType.Cdss && payloads.PendingReadings > Options.MaxPendingReadings)
        {
            LogBusy(payloads.PendingReadings);
            return new IntakeResult(IntakeOutcome.Busy, null, new UnavailableError("数据接入繁忙，文件未接收，请稍后重传。"));
        }

        record.Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes.Span));
        var pending = new Pending(record) { Bytes = bytes, Document = document };
        await LaneOf(record).WriteAsync(pending, ct);
        return await pending.Done.Task;
    }

    private static TooLargeError TooLarge(string fileName) => new($"{fileName}：文件超过大小上限，未接收。");

    private TooLargeError TooLargeLimit(string fileName) => new($"{fileName}：文件超过大小上限 {Options.MaxFileBytes / 1024 / 1024} MB，未接收。");

    private async Task<IntakeResult> RejectAsync(FeedUpload record, Error error, string kind)
    {
        if (error is TooLargeError)
        {
            error = TooLargeLimit(record.FileName);
        }

        record.Reason = Shorten(error.Message, 500);
        record.ErrorKind = kind;
        var pending = new Pending(record) { Error = error };
        await LaneOf(record).WriteAsync(pending);
        var result = await pending.Done.Task;
        LogRejected(record.FileName, kind, error.Message);
        return result;
    }

    private sealed record ContentProblem(string Kind, string Reason);

    private async Task<ContentProblem?> CheckContentAsync(string fileName, MineEntry mine, FeedDocument document, CancellationToken ct)
    {
        var latest = clock.GetUtcNow() + Options.FutureTolerance;
        var oldest = clock.GetUtcNow().AddDays(-Options.RetentionDays);
        if (document is FeedDocument<CdssReading> cdss)
        {
            var codes = new HashSet<string>(StringComparer.Ordinal);
            foreach (var r in cdss.Records)
            {
                if (r.DataTime > latest)
                {
                    return new ContentProblem(nameof(FeedErrorKind.FutureTime), $"{fileName}：测点「{r.PointCode}」的数据时间 {r.DataTime:yyyy-MM-dd HH:mm:ss} 晚于当前时间超过 {Options.FutureTolerance.TotalMinutes:0} 分钟。");
                }

                if (r.DataTime < oldest)
                {
                    return new ContentProblem("TooOld", $"{fileName}：测点「{r.PointCode}」的数据时间 {r.DataTime:yyyy-MM-dd HH:mm:ss} 早于数据保存期限（{Options.RetentionDays} 天）。");
                }

                codes.Add(r.PointCode);
            }

            var undefined = await directory.UndefinedAsync(mine.Ref.Id, codes, ct);
            if (undefined.Count > 0)
            {
                return new ContentProblem("UnknownPoints",
                    $"{fileName}：{undefined.Count} 个测点未定义（{string.Join("、", undefined.Take(5))}{(undefined.Count > 5 ? "等" : "")}），请先上传包含这些测点的测点定义文件（CDDY）。整个文件未接收。");
            }
        }
        else if (document is FeedDocument<CddyPoint> cddy)
        {
            var duplicate = cddy.Records.GroupBy(p => p.PointCode, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                return new ContentProblem("DuplicatePoint", $"{fileName}：测点编码「{duplicate.Key}」定义了 {duplicate.Count()} 次，无法确定以哪一条为准。");
            }
        }

        return null;
    }

    /// <summary>The whole body in a buffer from the shared pool (the caller returns it), or no buffer when it exceeds <paramref name="limit"/>.</summary>
    private static async Task<(byte[]? Buffer, int Length)> ReadLimitedAsync(Stream body, long? declared, long limit, CancellationToken ct)
    {
        // One byte more than declared, so that the end is seen without growing.
        var buffer = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max((declared ?? 64 * 1024) + 1, 4096), limit + 1));
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    // Room for one byte beyond the limit at most: reading it means the body is too large.
                    var bigger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max((long)buffer.Length * 2, 4096), limit + 1));
                    buffer.AsSpan(0, length).CopyTo(bigger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = bigger;
                }

                var read = await body.ReadAsync(buffer.AsMemory(length), ct);
                if (read == 0)
                {
                    return (buffer, length);
                }

                length += read;
                if (length > limit)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    return (null, 0);
                }
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    // ---- the group commit ---------------------------------------------------------------------------------------

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => Task.WhenAll(Lanes.Select(lane => RunLaneAsync(lane.Reader, stoppingToken)));

    private async Task RunLaneAsync(ChannelReader<Pending> reader, CancellationToken stoppingToken)
    {
        await Task.Yield();
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            try
            {
                try
                {
                    await CommitAsync(batch, stoppingToken);
                }
                catch (Exception e) when (IsUniqueViolation(e))
                {
                    // Another instance recorded one of these names at the same moment (unique index): once more, it is now a duplicate.
                    await CommitAsync(batch, stoppingToken);
                }
            }
            catch (Exception ex)
            {
                // Nothing was acknowledged: every sender gets the failure (a 503 when the database is away) and may retry.
                LogCommitFailed(ex, batch.Count);
                foreach (var item in batch)
                {
                    item.Done.TrySetException(ex);
                }
            }

            payloads.EvictOlderThan(clock.GetUtcNow().UtcDateTime - TimeSpan.FromMinutes(2));
        }
    }

    /// <summary>The columns of a file record (all but its id), written in one statement per group commit.</summary>
    private static readonly string[] RecordColumns =
    [
        nameof(FeedUpload.MineId), nameof(FeedUpload.RegionCode), nameof(FeedUpload.EnterpriseId), nameof(FeedUpload.FileName), nameof(FeedUpload.Type),
        nameof(FeedUpload.Status), nameof(FeedUpload.Door), nameof(FeedUpload.Sha256), nameof(FeedUpload.ArchivePath), nameof(FeedUpload.Size),
        nameof(FeedUpload.RecordCount), nameof(FeedUpload.ReceivedAt), nameof(FeedUpload.FileTime), nameof(FeedUpload.HeaderTime), nameof(FeedUpload.AppliedAt),
        nameof(FeedUpload.Stale), nameof(FeedUpload.Reason), nameof(FeedUpload.ErrorKind), nameof(FeedUpload.DuplicateCount),
    ];

    /// <summary>A file already accepted (committed, or earlier in the same group) that a new one may repeat.</summary>
    private sealed record Known(long? MineId, string FileName, string? Sha256, DateTime ReceivedAt, long CommittedId, Pending? InGroup)
    {
        public long Id => InGroup?.Id ?? CommittedId;
    }

    private async Task CommitAsync(List<Pending> batch, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        var accepts = batch.Where(p => p.Error is null).ToList();
        var existing = await ExistingAsync(db, accepts, ct);
        var results = new Dictionary<Pending, Func<IntakeResult>>();
        var records = new List<Pending>(batch.Count);
        var fresh = new List<Pending>();
        var toArchive = new List<(string, ReadOnlyMemory<byte>)>();
        var repeats = new Dictionary<long, int>();
        foreach (var item in accepts)
        {
            var r = item.Record;
            r.DuplicateCount = 0; // a retry of the group counts afresh
            var sameName = existing.FirstOrDefault(e => e.MineId == r.MineId && e.FileName == r.FileName);
            var sameContent = existing.FirstOrDefault(e => e.MineId == r.MineId && e.Sha256 == r.Sha256);
            if (sameName is not null && sameName.Sha256 != r.Sha256)
            {
                item.Record.Reason = $"{r.FileName}：同名文件已于 {Platform.ChinaTime.Format(sameName.ReceivedAt)} 接收，内容不同。更正数据请使用新的文件名（新的时间戳）。";
                item.Record.ErrorKind = "NameConflict";
                item.Record.Sha256 = null;
                records.Add(item);
                results[item] = () => new IntakeResult(IntakeOutcome.Rejected, item.Id, new ConflictError(item.Record.Reason), "NameConflict");
                continue;
            }

            if ((sameName ?? sameContent) is { } original)
            {
                if (original.InGroup is { } first)
                {
                    first.Record.DuplicateCount++;
                }
                else
                {
                    repeats[original.CommittedId] = repeats.GetValueOrDefault(original.CommittedId) + 1;
                }

                results[item] = () => new IntakeResult(IntakeOutcome.Duplicate, original.Id);
                continue;
            }

            r.Status = FeedStatus.Accepted;
            r.ArchivePath = FeedArchive.RelativePath(r.Sha256!, r.ReceivedAt);
            records.Add(item);
            existing.Add(new Known(r.MineId, r.FileName, r.Sha256, r.ReceivedAt, 0, item));
            fresh.Add(item);
            toArchive.Add((r.ArchivePath, item.Bytes));
            results[item] = () => new IntakeResult(IntakeOutcome.Accepted, item.Id);
        }

        foreach (var item in batch.Where(p => p.Error is not null))
        {
            records.Add(item);
            results[item] = () => new IntakeResult(IntakeOutcome.Rejected, item.Id, item.Error, item.Record.ErrorKind);
        }

        // Durable order: the bytes are on disk before the record that says they were accepted is committed.
        var archiving = Stopwatch.GetTimestamp();
        if (toArchive.Count > 0)
        {
            await Task.Run(() => archive.Store(toArchive), ct);
        }

        var committing = Stopwatch.GetTimestamp();
        using (await gate.EnterAsync(ct))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var ids = await BulkWriter.InsertAsync(db, records.Select(p => p.Record).ToList(), RecordColumns, ct);
            for (var i = 0; i < records.Count; i++)
            {
                records[i].Id = ids[i];
            }

            foreach (var (id, count) in repeats)
            {
                await db.Set<FeedUpload>().Where(f => f.Id == id).ExecuteUpdateAsync(s => s.SetProperty(f => f.DuplicateCount, f => f.DuplicateCount + count), ct);
            }

            // The parsed documents are handed over before the commit: the applier polls, and may look for a file the moment
            // it is committed; one handed over after that was read from the archive instead and then lay here unclaimed
            // (at national rate about 2 % of the files, counted as pending until evicted).
            var now = clock.GetUtcNow().UtcDateTime;
            if (options.Value.ApplierEnabled)
            {
                foreach (var item in fresh)
                {
                    payloads.Add(item.Id, item.Document!, now);
                }
            }

            try
            {
                await transaction.CommitAsync(ct);
            }
            catch
            {
                foreach (var item in fresh)
                {
                    payloads.Take(item.Id);
                }

                throw;
            }
        }

        stats.Grouped(batch.Count, Stopwatch.GetElapsedTime(archiving, committing), Stopwatch.GetElapsedTime(committing));
        foreach (var item in fresh)
        {
            if (item.Document is FeedDocument<CddyPoint> cddy)
            {
                directory.AddPoints(item.Record.MineId!.Value, cddy.Records.Select(p => p.PointCode));
            }
        }

        foreach (var item in batch)
        {
            item.Done.TrySetResult(results[item]());
        }

        if (fresh.Count > 0)
        {
            signal.Pulse();
        }
    }

    /// <summary>
    /// Files already accepted with the same mine and name, or the same content (DOMAIN §8: name + SHA-256): for each new file
    /// the exact (mine, name) and (mine, hash), each looked up on its own index — on PostgreSQL one small statement per file,
    /// all sent as one batch, whose cached plan is the same two index lookups whatever the group's size.
    /// The earlier forms cost PostgreSQL a quarter of its CPU in the throughput bench (docs/PERFORMANCE.md): mine in a list
    /// and name or hash in lists, whose plan cached while the table was small scanned it whole (and read every file of a
    /// mine once it was large); pairs joined from arrays, which were planned afresh for every group.
    /// </summary>
    private static async Task<List<Known>> ExistingAsync(AppDbContext db, List<Pending> accepts, CancellationToken ct)
    {
        if (accepts.Count == 0)
        {
            return [];
        }

        // Plain SQL: one small query per group commit, where EF's query pipeline cost more than the database (perf).
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        const string Columns = "SELECT id, mine_id, file_name, sha256, received_at FROM feed_files";
        var known = new List<Known>();
        if (db.IsPostgres)
        {
            const string Lookup = $"{Columns} WHERE mine_id = $1 AND file_name = $2 AND status <> 3 UNION ALL {Columns} WHERE mine_id = $1 AND sha256 = $3 AND status <> 3";
            await using var batch = new Npgsql.NpgsqlBatch((Npgsql.NpgsqlConnection)connection);
            foreach (var a in accepts)
            {
                batch.BatchCommands.Add(new Npgsql.NpgsqlBatchCommand(Lookup)
                {
                    Parameters =
                    {
                        new Npgsql.NpgsqlParameter<long> { TypedValue = a.Record.MineId!.Value },
                        new Npgsql.NpgsqlParameter<string> { TypedValue = a.Record.FileName },
                        new Npgsql.NpgsqlParameter<string> { TypedValue = a.Record.Sha256! },
                    },
                });
            }

            await using var reader = await batch.ExecuteReaderAsync(ct);
            do
            {
                await ReadAsync(reader);
            }
            while (await reader.NextResultAsync(ct));
        }
        else
        {
            // SQLite answers an OR of indexed equalities with one index lookup per term ("MULTI-INDEX OR"); each term names
            // status <> 3 itself, or the partial unique index of (mine, name) is not considered for it.
            await using var command = connection.CreateCommand();
            string Parameter(string name, object value)
            {
                var p = command.CreateParameter();
                p.ParameterName = name;
                p.Value = value;
                command.Parameters.Add(p);
                return name;
            }

            var terms = accepts.Select((a, i) =>
            {
                var m = Parameter($"$m{i}", a.Record.MineId!.Value);
                return $"(mine_id = {m} AND file_name = {Parameter($"$n{i}", a.Record.FileName)} AND status <> 3) OR (mine_id = {m} AND sha256 = {Parameter($"$h{i}", a.Record.Sha256!)} AND status <> 3)";
            });
            command.CommandText = $"{Columns} WHERE {string.Join(" OR ", terms)}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            await ReadAsync(reader);
        }

        return known;

        async Task ReadAsync(System.Data.Common.DbDataReader reader)
        {
            while (await reader.ReadAsync(ct))
            {
                known.Add(new Known(reader.GetInt64(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetDateTime(4), reader.GetInt64(0), null));
            }
        }
    }

    /// <summary>Another instance recorded the same mine and name a moment earlier (the unique index of accepted files).</summary>
    private static bool IsUniqueViolation(Exception e) => e switch
    {
        Npgsql.PostgresException pg => pg.SqlState == Npgsql.PostgresErrorCodes.UniqueViolation,
        Microsoft.Data.Sqlite.SqliteException sqlite => sqlite.SqliteExtendedErrorCode == 2067, // SQLITE_CONSTRAINT_UNIQUE
        DbUpdateException { InnerException: { } inner } => IsUniqueViolation(inner),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "拒收监测文件 {FileName}（{Kind}）：{Reason}")]
    private partial void LogRejected(string fileName, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "数据接入繁忙：待入库读数 {Pending}，暂不接收新文件")]
    private partial void LogBusy(long pending);

    [LoggerMessage(Level = LogLevel.Error, Message = "接收 {Count} 个监测文件时提交失败，均未确认")]
    private partial void LogCommitFailed(Exception ex, int count);
}

/// <summary>503: the service cannot take this now; nothing was changed, try again later.</summary>
public sealed record UnavailableError(string Message) : Error(Message);
