using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Deadlines;

/// <summary>
/// Runs the deadline escalation every <see cref="EscalationPolicy.SweepInterval"/>. On PostgreSQL the sweep takes an
/// advisory lock so that of several app instances only one works at a time (the unique index on escalations
/// keeps each step single even without it).
/// </summary>
public sealed partial class DeadlineSweeper(IServiceScopeFactory scopes, TimeProvider clock, IOptions<EscalationPolicy> options, ILogger<DeadlineSweeper> logger)
    : BackgroundService
{
    private const long LockKey = 73100002;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.SweeperEnabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await SweepOnceAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSweepFailed(ex);
            }

            await Task.Delay(options.Value.SweepInterval, clock, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    /// <summary>One sweep: escalates everything due, in batches. Returns the number of steps done.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken ct, bool useLock = true)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        var engine = scope.ServiceProvider.GetRequiredService<DeadlineService>();
        var locking = useLock && db.Database.IsNpgsql();
        try
        {
            if (locking)
            {
                if (!await SessionLock.TryTakeAsync(db, LockKey, ct))
                {
                    return 0;
                }
            }

            var total = 0;
            int done;
            do
            {
                done = await engine.EscalateDueAsync(200, ct);
                total += done;
            }
            while (done > 0);

            if (total > 0)
            {
                LogSwept(total);
            }

            return total;
        }
        finally
        {
            if (locking)
            {
                await SessionLock.ReleaseAllAsync(db);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "期限巡检完成，执行升级 {Count} 步")]
    private partial void LogSwept(int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "期限巡检失败")]
    private partial void LogSweepFailed(Exception ex);
}
