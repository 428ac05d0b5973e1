namespace MineRisk.Web.Features.Stability;

/// <summary>Configuration section <c>Stability</c> (local practice, DOMAIN §4).</summary>
public sealed class StabilityOptions
{
    /// <summary>Days until reassessment after an approved 高 / 中 / 低 assessment (issue 4: 30, 90, 180).</summary>
    public int ReassessHighDays { get; set; } = 30;

    public int ReassessMediumDays { get; set; } = 90;

    public int ReassessLowDays { get; set; } = 180;

    /// <summary>“一纳入”: a disposition milestone starts only with an approved assessment younger than this.</summary>
    public int AssessmentValidDays { get; set; } = 180;

    /// <summary>A task force without a patrol for longer than this is a compliance gap.</summary>
    public int PatrolGapDays { get; set; } = 7;
}
