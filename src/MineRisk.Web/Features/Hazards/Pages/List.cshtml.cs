using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Hazards.Pages;

public sealed class ListModel(AppDbContext db, CurrentUser user, TimeProvider clock, IOptions<HazardOptions> options, RegionTree regions) : PageModel
{
    public HazardQuery Query { get; private set; } = new();

    public PagedResult<HazardListItem> Result { get; private set; } = new([], 0, 1, 20);

    public Pager Pager { get; private set; } = null!;

    public RegionFilter Regions { get; private set; } = RegionFilter.Empty;

    public IReadOnlyList<string> Categories => options.Value.Categories;

    public string? MineName { get; private set; }

    public bool CanWork => HazardAccess.CanWork(user);

    public string ExportUrl => "/api/v1/hazards/export.xlsx" + Request.QueryString;

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? regionCode, long? mineId, string? level, string? category, string? state, bool? open, bool? overdue,
        string? source, DateOnly? from, DateOnly? to, bool? listed, string? q, int? p, CancellationToken ct)
    {
        var parsed = HazardQuery.Parse(regionCode, mineId, level, category, state, open, overdue, source, from, to, listed, q, Categories);
        if (!parsed.TryGetValue(out var query, out var error))
        {
            Error = error.Message;
            query = new HazardQuery();
        }

        Query = query;
        Regions = new RegionFilter(await regions.DrillDownAsync(user, query.RegionCode, RegionLevel.County, ct), query.RegionCode);
        if (mineId is { } id)
        {
            MineName = await db.Set<Mines.Mine>().Where(m => m.Id == id).Select(m => m.Name).SingleOrDefaultAsync(ct);
            if (MineName is null)
            {
                return NotFound();
            }
        }

        Result = await HazardViews.ListAsync(db, Query, Paging.From(p, 20), ChinaTime.DateOf(clock.GetUtcNow().UtcDateTime), ct);
        Pager = Pager.For(Result, "/hazards/list", Request.Query);
        return Page();
    }
}
