using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Hazards;

public sealed record HazardSection(long MineId, int Open, int Overdue, int OpenMajor, int Listed, int ClosedThisYear, ClosureCandidate? Closure,
    IReadOnlyList<HazardListItem> Recent, int LastQuarterYear, int LastQuarter, bool CanWork, bool CanRevisit);

/// <summary>The mine page's hazard section: open and overdue hazards, majors under 督办, the 第70条 flag, the quarterly report.</summary>
public sealed class MineHazardsViewComponent(AppDbContext db, CurrentUser user, TimeProvider clock, IOptions<HazardOptions> options) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        var hazards = db.Set<Hazard>().AsNoTracking().Where(h => h.MineId == mineId);
        var yearStart = ChinaTime.StartOfDay(new DateOnly(today.Year, 1, 1));
        var counts = await hazards.GroupBy(_ => 1).Select(g => new
        {
            Open = g.Count(h => h.State < HazardState.Closed),
            Overdue = g.Count(h => h.State < HazardState.Closed && h.DueOn < today),
            OpenMajor = g.Count(h => h.State < HazardState.Closed && h.Level == HazardLevel.Major),
            Listed = g.Count(h => h.ListedAt != null && h.DelistedAt == null),
            Closed = g.Count(h => h.ClosedAt >= yearStart),
        }).FirstOrDefaultAsync();
        var recent = await HazardViews.ToListItems(hazards.Where(h => h.State < HazardState.Closed)
            .OrderByDescending(h => h.Level).ThenBy(h => h.DueOn).Take(5), today).ToListAsync();
        var closure = (await HazardViews.ClosureCandidatesAsync(db, now, options.Value.ClosureMajorCount, options.Value.ClosureWindowMonths, mineId, default)).FirstOrDefault();
        var previous = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
        return View("/Features/Hazards/Section.cshtml", new HazardSection(mineId, counts?.Open ?? 0, counts?.Overdue ?? 0, counts?.OpenMajor ?? 0, counts?.Listed ?? 0,
            counts?.Closed ?? 0, closure, recent.Select(HazardViews.Labelled).ToList(), previous.Year, ((previous.Month - 1) / 3) + 1,
            HazardAccess.CanWork(user), HazardAccess.IsRegulator(user) && !user.IsReadOnly));
    }
}
