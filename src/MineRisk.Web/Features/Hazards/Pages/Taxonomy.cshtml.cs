using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Hazards.Pages;

/// <summary>The 判定标准 as reference: every edition held, the current one's categories and items with their citations.</summary>
public sealed class TaxonomyModel(AppDbContext db) : PageModel
{
    public List<HazardStandard> Editions { get; private set; } = [];

    public HazardStandard? Shown { get; private set; }

    public async Task OnGetAsync(string? standard, CancellationToken ct)
    {
        Editions = await db.Set<HazardStandard>().AsNoTracking().OrderByDescending(s => s.EffectiveFrom).ToListAsync(ct);
        var code = string.IsNullOrWhiteSpace(standard) ? Editions.FirstOrDefault(s => s.Current)?.Code : standard.Trim();
        Shown = code is null ? null : await db.Set<HazardStandard>().AsNoTracking().Include(s => s.Categories).ThenInclude(c => c.Items)
            .SingleOrDefaultAsync(s => s.Code == code, ct);
    }
}
