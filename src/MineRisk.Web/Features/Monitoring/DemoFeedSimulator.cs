using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring.Simulation;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// The demo's small feed simulator (<c>Monitoring:Simulator</c>, on in appsettings.json, off in tests): some producing mines
/// of the demo data send CDDY, RYQY and RYXX once, then CDSS every <c>Interval</c> and RYSS every minute, dropped into the
/// inbox the way an FTP upload would (a temporary name, then renamed), so the pages show live data through the real intake.
/// On the first start it fills the last hour, so the sparklines are not empty.
/// </summary>
public sealed partial class DemoFeedSimulator(
    IServiceScopeFactory scopes, InboxWatcher inbox, TimeProvider clock, IOptions<MonitoringOptions> options, ILogger<DemoFeedSimulator> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var o = options.Value.Simulator;
        if (!o.Enabled || o.Mines <= 0)
        {
            return;
        }

        try
        {
            await Task.Delay(TimeSpan.FromSeconds(2), stoppingToken);
            await RunAsync(o, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            LogFailed(ex);
        }
    }

    private async Task RunAsync(SimulatorOptions o, CancellationToken ct)
    {
        List<(string Code, string Name)> mines;
        Dictionary<string, DateTime?> lastSeen;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Scope = UserScope.System;
            var rows = await db.Set<Mine>().AsNoTracking().Where(m => m.Status == MineStatus.Producing).OrderBy(m => m.Code).Take(o.Mines)
                .Select(m => new { m.Id, m.Code, m.Name }).ToListAsync(ct);
            mines = rows.Select(m => (m.Code, m.Name)).ToList();
            var ids = rows.Select(m => m.Id).ToList();
            var status = await db.Set<MineFeedStatus>().AsNoTracking().Where(s => ids.Contains(s.MineId)).ToDictionaryAsync(s => s.MineId, s => s.LastCdssAt, ct);
            lastSeen = rows.ToDictionary(m => m.Code, m => status.GetValueOrDefault(m.Id));
        }

        if (mines.Count == 0)
        {
            return;
        }

        var simulation = new FeedSimulation(mines, o.PointsPerMine, o.Seed, o.EventsPerPointHour);
        var now = clock.GetUtcNow();
        foreach (var mine in simulation.Mines)
        {
            Drop(mine.Code, FeedSimulation.Cddy(mine, now));
            Drop(mine.Code, FeedSimulation.Ryqy(mine, now));
            Drop(mine.Code, FeedSimulation.Ryxx(mine, now));
            // Fill the gap since this mine's last data (at most Backfill), so the live view has its hour of history.
            var from = lastSeen[mine.Code] is { } last && now.UtcDateTime - last < o.Backfill ? new DateTimeOffset(last, TimeSpan.Zero) + o.Interval : now - o.Backfill;
            for (var t = from; t < now; t += o.Interval)
            {
                Drop(mine.Code, simulation.Cdss(mine, t));
            }
        }

        LogStarted(simulation.Mines.Count, o.PointsPerMine, o.Interval.TotalSeconds);
        await inbox.ScanAsync(ct);
        var nextRyss = DateTimeOffset.MinValue;
        while (!ct.IsCancellationRequested)
        {
            now = clock.GetUtcNow();
            foreach (var mine in simulation.Mines)
            {
                Drop(mine.Code, simulation.Cdss(mine, now));
                if (now >= nextRyss)
                {
                    Drop(mine.Code, FeedSimulation.Ryss(mine, now));
                }
            }

            if (now >= nextRyss)
            {
                nextRyss = now + TimeSpan.FromMinutes(1);
            }

            await Task.Delay(o.Interval, clock, ct);
        }
    }

    /// <summary>Writes a file into the mine's inbox folder as an FTP server does: under a temporary name, then renamed.</summary>
    private void Drop(string mineCode, (string Name, byte[] Content) file)
    {
        var folder = Path.Combine(inbox.Root, mineCode);
        Directory.CreateDirectory(folder);
        var temp = Path.Combine(folder, file.Name + ".part");
        File.WriteAllBytes(temp, file.Content);
        File.Move(temp, Path.Combine(folder, file.Name), overwrite: true);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "演示数据模拟器已启动：{Mines} 座煤矿 × {Points} 个测点，每 {Seconds} 秒上传一次")]
    private partial void LogStarted(int mines, int points, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "演示数据模拟器出错，已停止")]
    private partial void LogFailed(Exception ex);
}
