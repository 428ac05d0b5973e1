namespace MineRisk.Web.Features.Stability;

/// <summary>
/// What the system already knows about one dimension of a mine (open conflicts, hazards, petitions...), shown beside
/// the dimension in the assessment form, with the score it suggests. Scoring <see cref="OverrideGap"/> or more away from
/// the suggestion needs a reason (issue 4: "an override of the evidence needs a reason").
/// </summary>
public sealed record Evidence(string DimensionKey, string Text, double? SuggestedScore)
{
    public const double OverrideGap = 3;

    /// <summary>Merges several pieces of evidence for one dimension (texts joined, the highest suggestion kept).</summary>
    public static IReadOnlyDictionary<string, Evidence> Merge(IEnumerable<Evidence> items) =>
        items.GroupBy(e => e.DimensionKey).ToDictionary(g => g.Key, g => new Evidence(g.Key,
            string.Join("；", g.Select(e => e.Text)), g.Max(e => e.SuggestedScore)));
}

/// <summary>A module that holds evidence for assessments registers one of these (conflicts here; hazards and petitions later).</summary>
public interface IAssessmentEvidence
{
    Task<IReadOnlyList<Evidence>> CollectAsync(long mineId, DateTime nowUtc, CancellationToken ct);
}
