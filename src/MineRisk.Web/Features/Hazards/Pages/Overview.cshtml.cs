using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Hazards.Pages;

/// <summary>One county's line of the overview: found / closed / overdue / majors over the period, and its closure rate.</summary>
public sealed record CountyHazards(string CountyCode, string CountyName, int Found, int Closed, int Overdue, int Major)
{
    public double? ClosureRate => Found == 0 ? null : Math.Round(100.0 * Closed / Found, 1);
}

/// <summary>
/// 隐患总览: found, closed, overdue and the closure rate by county and by month (last 12 months), the major hazards under
/// 督办, and the mines proposed for closure under 第70条.
/// </summary>
public sealed class OverviewModel(AppDbContext db, TimeProvider clock, CurrentUser user, IOptions<HazardOptions> options) : PageModel
{
    public HazardStats Stats { get; private set; } = null!;

    public List<CountyHazards> Counties { get; private set; } = [];

    public int OpenNow { get; private set; }

    public int OverdueNow { get; private set; }

    public string MonthChart { get; private set; } = "{}";

    public string CountyChart { get; private set; } = "{}";

    public List<HazardListItem> Listed { get; private set; } = [];

    public List<ClosureCandidate> Closure { get; private set; } = [];

    public bool CanWork => HazardAccess.CanWork(user);

    public bool CanRevisit => HazardAccess.IsRegulator(user) && !user.IsReadOnly;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = ChinaTime.DateOf(now);
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        Stats = await HazardViews.StatsAsync(db, null, from, today, today, ct);
        var open = db.Set<Hazard>().AsNoTracking().Where(h => h.State < HazardState.Closed);
        OpenNow = await open.CountAsync(ct);
        OverdueNow = await open.CountAsync(h => h.DueOn < today, ct);
        Counties = Stats.Rows.GroupBy(r => (r.CountyCode, r.CountyName))
            .Select(g => new CountyHazards(g.Key.CountyCode, g.Key.CountyName, g.Sum(r => r.Found), g.Sum(r => r.Closed), g.Sum(r => r.Overdue), g.Sum(r => r.Major)))
            .OrderBy(c => c.CountyCode).ToList();

        var months = Enumerable.Range(0, 12).Select(i => from.AddMonths(i).ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var byMonth = Stats.Rows.GroupBy(r => r.Month).ToDictionary(g => g.Key, g => (Found: g.Sum(r => r.Found), Closed: g.Sum(r => r.Closed), Overdue: g.Sum(r => r.Overdue)));
        (int Found, int Closed, int Overdue) Month(string m) => byMonth.GetValueOrDefault(m);
        MonthChart = Charts.BarsWithRate(months,
        [
            ("发现", "#0d6efd", months.Select(m => Month(m).Found).ToList()),
            ("已销号", "#198754", months.Select(m => Month(m).Closed).ToList()),
            ("超期未销号", "#dc3545", months.Select(m => Month(m).Overdue).ToList()),
        ], "整改率", months.Select(m => Month(m).Found == 0 ? (double?)null : Math.Round(100.0 * Month(m).Closed / Month(m).Found, 1)).ToList());
        CountyChart = Charts.BarsWithRate(Counties.Select(c => c.CountyName).ToList(),
        [
            ("发现", "#0d6efd", Counties.Select(c => c.Found).ToList()),
            ("已销号", "#198754", Counties.Select(c => c.Closed).ToList()),
            ("超期未销号", "#dc3545", Counties.Select(c => c.Overdue).ToList()),
        ], "整改率", Counties.Select(c => c.ClosureRate).ToList(), Counties.Select(c => (string?)$"/hazards/list?regionCode={c.CountyCode}").ToList());

        Listed = (await HazardViews.ToListItems(HazardViews.Ordered(db.Set<Hazard>().AsNoTracking().Where(h => h.ListedAt != null && h.DelistedAt == null)).Take(50), today)
            .ToListAsync(ct)).Select(HazardViews.Labelled).ToList();
        Closure = await HazardViews.ClosureCandidatesAsync(db, now, options.Value.ClosureMajorCount, options.Value.ClosureWindowMonths, null, ct);
    }
}
