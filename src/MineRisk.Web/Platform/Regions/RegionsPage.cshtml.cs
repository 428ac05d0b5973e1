using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Regions;

public sealed class RegionsPageModel(AppDbContext db, CurrentUser user) : PageModel
{
    public sealed record Row(string Code, string Name, RegionLevel Level, IReadOnlyList<string> Organisations);

    public string ScopeDescription => user.Scope.Description;

    public List<Row> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().ToListAsync(ct);
        var organisations = (await db.Organisations.AsNoTracking().Select(o => new { o.RegionCode, o.Name }).ToListAsync(ct))
            .ToLookup(o => o.RegionCode, o => o.Name);
        var children = regions.ToLookup(r => r.ParentCode ?? "");
        var codes = regions.Select(r => r.Code).ToHashSet();
        // Depth-first from the top regions in scope, so the table reads as a tree.
        void Visit(Region region)
        {
            Rows.Add(new Row(region.Code, region.Name, region.Level, organisations[region.Code].ToList()));
            foreach (var child in children[region.Code].OrderBy(c => c.Code))
            {
                Visit(child);
            }
        }

        foreach (var root in regions.Where(r => r.ParentCode is null || !codes.Contains(r.ParentCode)).OrderBy(r => r.Code))
        {
            Visit(root);
        }
    }
}
