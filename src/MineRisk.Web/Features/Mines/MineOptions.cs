namespace MineRisk.Web.Features.Mines;

/// <summary>Configuration section <c>Mines</c>.</summary>
public sealed class MineOptions
{
    /// <summary>How many days before expiry a licence is 临期 (and its regulators are told).</summary>
    public int LicenceWarnDays { get; set; } = 60;
}
