using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Monitoring;

public sealed record MonitoringSection(long MineId, DateTime? LastCdssAt, bool Silent, int Points, int LoosePoints, int OpenAlarms,
    IReadOnlyList<CountSlice> OpenByType, int PeopleUnderground);

/// <summary>监测预警 on the mine page (一矿一档): data state, points, open alarms, people underground, and the way to the live view.</summary>
public sealed class MineMonitoringViewComponent(AppDbContext db, TimeProvider clock, IOptions<MonitoringOptions> options) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId)
    {
        var status = await db.Set<MineFeedStatus>().AsNoTracking().SingleOrDefaultAsync(s => s.MineId == mineId);
        var points = await db.Set<MonitoringPoint>().Where(p => p.MineId == mineId && p.Active).GroupBy(p => p.LooseNote != null)
            .Select(g => new { Loose = g.Key, Count = g.Count() }).ToListAsync();
        var open = await db.Set<Alarm>().Where(a => a.MineId == mineId && (a.State == AlarmState.Active || a.State == AlarmState.Acknowledged))
            .GroupBy(a => a.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync();
        var now = clock.GetUtcNow().UtcDateTime;
        return View("/Features/Monitoring/Sections/Monitoring.cshtml", new MonitoringSection(
            mineId, status?.LastCdssAt, status?.LastCdssAt is { } last && now - last > options.Value.SilentAfter,
            points.Sum(p => p.Count), points.Where(p => p.Loose).Sum(p => p.Count), open.Sum(o => o.Count),
            open.OrderBy(o => o.Key).Select(o => new CountSlice(o.Key.ToString(), o.Key.Label(), o.Count)).ToList(), status?.PeopleUnderground ?? 0));
    }
}
