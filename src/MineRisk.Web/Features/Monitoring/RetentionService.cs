using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>What a retention run removed.</summary>
public sealed record RetentionReport(DateTime Cutoff, int PartitionsDropped, long ReadingsDeleted, int ArchiveMonthsDropped, int FileRecordsDeleted);

/// <summary>
/// Keeps readings and raw files for <c>RetentionDays</c> (规程 第526条: 2 years) and no longer. On PostgreSQL whole monthly
/// partitions are dropped once their month ends before the cutoff (no row-by-row delete, no bloat); on SQLite rows are
/// deleted in chunks. Archive month folders and the file records go the same way. Alarms are the regulator's ledger and stay.
/// Several instances: a PostgreSQL advisory lock lets one run at a time.
/// </summary>
public sealed partial class RetentionService(
    IServiceScopeFactory scopes, ReadingPartitions partitions, FeedArchive archive, TimeProvider clock, IOptions<MonitoringOptions> options, ILogger<RetentionService> logger)
    : BackgroundService
{
    private const long LockKey = 73100062;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            await Task.Delay(options.Value.RetentionInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogFailed(ex);
            }
        }
    }

    public async Task<RetentionReport> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        var cutoff = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);
        try
        {
            if (db.IsPostgres)
            {
                if (!await SessionLock.TryTakeAsync(db, LockKey, ct))
                {
                    return new RetentionReport(cutoff, 0, 0, 0, 0);
                }
            }

            var dropped = 0;
            long deleted = 0;
            if (db.IsPostgres)
            {
                foreach (var month in (await partitions.ListAsync(db, ct)).Where(m => m.AddMonths(1) <= cutoff))
                {
                    await partitions.DropAsync(db, month, ct);
                    dropped++;
                }
            }
            else
            {
                var text = cutoff.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", System.Globalization.CultureInfo.InvariantCulture);
                int n;
                do
                {
                    // Old rows are the first ones (readings arrive roughly in time order), so each chunk's scan is short.
                    n = await db.Database.ExecuteSqlRawAsync("DELETE FROM readings WHERE rowid IN (SELECT rowid FROM readings WHERE data_time < {0} LIMIT 20000)", [text], ct);
                    deleted += n;
                }
                while (n > 0);
            }

            var months = archive.DropMonthsBefore(cutoff);
            var files = await db.Set<FeedUpload>().Where(f => f.ReceivedAt < cutoff && f.Status != FeedStatus.Accepted).ExecuteDeleteAsync(ct);
            var report = new RetentionReport(cutoff, dropped, deleted, months, files);
            if (dropped + deleted + months + files > 0)
            {
                LogRan(cutoff, dropped, deleted, months, files);
            }

            return report;
        }
        finally
        {
            if (db.IsPostgres)
            {
                await SessionLock.ReleaseAllAsync(db);
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "监测数据保存期限截至 {Cutoff:yyyy-MM-dd}：删除读数分区 {Partitions} 个、读数 {Readings} 条、归档月份 {Months} 个、文件记录 {Files} 条")]
    private partial void LogRan(DateTime cutoff, int partitions, long readings, int months, int files);

    [LoggerMessage(Level = LogLevel.Error, Message = "监测数据保存期限清理失败")]
    private partial void LogFailed(Exception ex);
}
