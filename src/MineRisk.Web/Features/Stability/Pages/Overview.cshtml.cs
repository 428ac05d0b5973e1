using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class OverviewModel(AppDbContext db, TimeProvider clock, IOptions<StabilityOptions> options, Platform.Regions.RegionTree regions) : PageModel
{
    public GradeCounts Grades { get; private set; } = new(0, 0, 0, 0);

    public List<CountyGrades> Counties { get; private set; } = [];

    public string CountyChart { get; private set; } = "{}";

    public MonthlySummary Summary { get; private set; } = null!;

    public List<ComplianceGap> Gaps { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(now));
        Counties = await StabilityViews.ByCountyAsync(db, regions, null, ct);
        Grades = new GradeCounts(Counties.Sum(c => c.High), Counties.Sum(c => c.Medium), Counties.Sum(c => c.Low), Counties.Sum(c => c.Unassessed));
        var names = Counties.Select(c => c.CountyName).ToList();
        string Link(string county, string grade) => $"/mines?regionCode={county}&grade={grade}";
        CountyChart = Charts.StackedBars(names,
        [
            ("高", "#dc3545", Counties.Select(c => c.High).ToList(), Counties.Select(c => (string?)Link(c.CountyCode, "High")).ToList()),
            ("中", "#fd7e14", Counties.Select(c => c.Medium).ToList(), Counties.Select(c => (string?)Link(c.CountyCode, "Medium")).ToList()),
            ("低", "#198754", Counties.Select(c => c.Low).ToList(), Counties.Select(c => (string?)Link(c.CountyCode, "Low")).ToList()),
            ("未评估", "#adb5bd", Counties.Select(c => c.Unassessed).ToList(), Counties.Select(c => (string?)Link(c.CountyCode, "none")).ToList()),
        ]);
        Summary = await StabilityViews.MonthlyAsync(db, new DateOnly(today.Year, today.Month, 1), null, now, ct);
        Gaps = await StabilityViews.ComplianceAsync(db, today, options.Value.PatrolGapDays, ct);
    }
}
