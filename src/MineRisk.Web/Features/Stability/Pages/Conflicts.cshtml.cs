using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class ConflictsModel(AppDbContext db, CurrentUser user, TimeProvider clock, RegionTree regions) : PageModel
{
    public ConflictQuery Query { get; private set; } = new();

    public PagedResult<ConflictListItem> Result { get; private set; } = new([], 0, 1, 20);

    public Pager Pager { get; private set; } = null!;

    public RegionFilter Regions { get; private set; } = RegionFilter.Empty;

    public bool CanEdit => StabilityAccess.CanKeepLedger(user);

    public string ExportUrl => "/api/v1/conflicts/export.xlsx" + Request.QueryString;

    public async Task OnGetAsync(string? regionCode, long? mineId, ConflictCategory? category, ConflictState? state, bool? open, bool? overdue,
        RiskGrade? riskGrade, string? q, int? p, CancellationToken ct)
    {
        Query = new ConflictQuery(regionCode, mineId, category, state, open, overdue, null, riskGrade, q);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        var paging = Paging.From(p, 20);
        var (items, total) = await Query.PageAsync(db, today, paging, ct);
        Result = new PagedResult<ConflictListItem>(items.Select(StabilityViews.Labelled).ToList(), total, paging.Page, paging.PageSize);
        Pager = Pager.For(Result, "/stability/conflicts", Request.Query);
        Regions = new RegionFilter(await regions.DrillDownAsync(user, Query.RegionCode, RegionLevel.County, ct), Query.RegionCode);
    }
}
