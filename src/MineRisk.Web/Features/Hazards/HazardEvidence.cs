using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Hazards;

/// <summary>
/// The hazard ledger as evidence for the assessment's 安全生产隐患 dimension: open hazards, major ones above all
/// (local practice: 4 points per open major hazard, up to 3 more for the number of open general ones, at most 10).
/// </summary>
public sealed class HazardEvidence(AppDbContext db) : IAssessmentEvidence
{
    public static double Suggest(int majors, int general) => Math.Min(10, (4 * majors) + (general >= 10 ? 3 : general >= 3 ? 2 : general > 0 ? 1 : 0));

    public async Task<IReadOnlyList<Evidence>> CollectAsync(long mineId, DateTime nowUtc, CancellationToken ct)
    {
        var open = await db.Set<Hazard>().AsNoTracking().Where(h => h.MineId == mineId && h.State < HazardState.Closed)
            .GroupBy(h => h.Level == HazardLevel.Major)
            .Select(g => new { Major = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var majors = open.Where(o => o.Major).Sum(o => o.Count);
        var general = open.Where(o => !o.Major).Sum(o => o.Count);
        if (majors + general == 0)
        {
            return [];
        }

        return [new Evidence("safety", $"未销号隐患 {majors + general} 项，其中重大隐患 {majors} 项", Suggest(majors, general))];
    }
}
