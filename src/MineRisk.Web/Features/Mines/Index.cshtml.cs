using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

public sealed class IndexModel(AppDbContext db, MineWriter writer, RegionTree regions, Platform.Auth.CurrentUser user) : PageModel
{
    public MineQuery Query { get; private set; } = new();

    public PagedResult<MineListItem> Result { get; private set; } = new([], 0, 1, 20);

    public Pager Pager { get; private set; } = null!;

    public RegionFilter Regions { get; private set; } = RegionFilter.Empty;

    public bool CanEdit => writer.CanEditMines;

    public string ExportUrl => "/api/v1/mines/export.xlsx" + Request.QueryString;

    public async Task OnGetAsync(string? regionCode, MineStatus? status, Disposition? disposition, GasLevel? gasLevel,
        double? minCapacity, double? maxCapacity, string? q, string? sort, string? grade, int? p, CancellationToken ct)
    {
        Query = new MineQuery(regionCode, status, disposition, gasLevel, minCapacity, maxCapacity, q, sort,
            grade is null or "none" ? null : EnumLabels.TryParse<RiskGrade>(grade, out var g) ? g : null, grade == "none");
        var paging = Paging.From(p, 20);
        var (items, total) = await Query.PageAsync(db, paging, ct);
        var names = await regions.NamesAsync(ct);
        Result = new PagedResult<MineListItem>(items.Select(i => MineViews.Labelled(i, names)).ToList(), total, paging.Page, paging.PageSize);
        Pager = Pager.For(Result, "/mines", Request.Query);
        Regions = new RegionFilter(await regions.DrillDownAsync(user, Query.RegionCode, RegionLevel.Township, ct), Query.RegionCode);
    }
}
