using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Regions;

/// <summary>A region for a select list: code, label, depth below the top of the user's jurisdiction.</summary>
public sealed record RegionOption(string Code, string Label, int Depth, RegionLevel Level);

/// <summary>The regions of the caller's jurisdiction, as a tree flattened for select lists (filters, forms).</summary>
public static class RegionPicker
{
    public static async Task<List<RegionOption>> LoadAsync(AppDbContext db, RegionLevel deepest, CancellationToken ct)
    {
        var regions = await db.Regions.AsNoTracking().Where(r => r.Level <= deepest && r.Level >= RegionLevel.City)
            .OrderBy(r => r.Code).Select(r => new { r.Code, r.Name, r.Level, r.ParentCode }).ToListAsync(ct);
        var codes = regions.Select(r => r.Code).ToHashSet();
        var children = regions.ToLookup(r => r.ParentCode ?? "");
        var options = new List<RegionOption>();
        void Visit(string code, string name, RegionLevel level, int depth)
        {
            options.Add(new RegionOption(code, name, depth, level));
            foreach (var child in children[code])
            {
                Visit(child.Code, child.Name, child.Level, depth + 1);
            }
        }

        foreach (var root in regions.Where(r => r.ParentCode is null || !codes.Contains(r.ParentCode)))
        {
            Visit(root.Code, root.Name, root.Level, 0);
        }

        return options;
    }

    /// <summary>The label with leading full-width spaces for its depth (select options cannot be styled).</summary>
    public static string Indented(RegionOption option) => new string('\u3000', option.Depth) + option.Label;
}
