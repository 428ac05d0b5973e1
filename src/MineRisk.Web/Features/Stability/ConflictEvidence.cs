using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// The conflict ledger as evidence for the assessment: the open conflicts of each category, with amounts and people,
/// and a suggested score (2 per open conflict, up to 3 more for the amount and 3 for the people involved; local practice).
/// </summary>
public sealed class ConflictEvidence(AppDbContext db) : IAssessmentEvidence
{
    public static string? DimensionOf(ConflictCategory category) => category switch
    {
        ConflictCategory.AssetsDebt => "assets_debt",
        ConflictCategory.Loans => "loans",
        ConflictCategory.WageArrears => "wage_arrears",
        ConflictCategory.Resettlement => "resettlement",
        ConflictCategory.Legal => "legal",
        ConflictCategory.MineVillage or ConflictCategory.Pollution => "mine_village",
        ConflictCategory.Water or ConflictCategory.HouseDamage => "livelihood",
        ConflictCategory.Compensation => "economic_loss",
        _ => null,
    };

    public static double Suggest(int count, double amount, int persons) => Math.Min(10,
        (2 * count) + (amount >= 500 ? 3 : amount >= 100 ? 2 : amount > 0 ? 1 : 0) + (persons >= 100 ? 3 : persons >= 30 ? 2 : persons > 0 ? 1 : 0));

    public async Task<IReadOnlyList<Evidence>> CollectAsync(long mineId, DateTime nowUtc, CancellationToken ct)
    {
        var open = await db.Set<Conflict>().AsNoTracking().Where(c => c.MineId == mineId && c.State != ConflictState.Closed)
            .GroupBy(c => c.Category)
            .Select(g => new { Category = g.Key, Count = g.Count(), Amount = g.Sum(c => c.Amount ?? 0), Persons = g.Sum(c => c.Persons ?? 0) })
            .ToListAsync(ct);
        return open.Where(o => DimensionOf(o.Category) is not null)
            .Select(o => new Evidence(DimensionOf(o.Category)!,
                $"未销号的{o.Category.Label()}矛盾 {o.Count} 件，涉及 {o.Persons} 人、{o.Amount:0.##} 万元",
                Suggest(o.Count, o.Amount, o.Persons)))
            .ToList();
    }
}
