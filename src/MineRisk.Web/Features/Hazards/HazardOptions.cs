using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Hazards;

/// <summary>Configuration section <c>Hazards</c>.</summary>
public sealed class HazardOptions
{
    /// <summary>专业类别 (local practice, DOMAIN §3).</summary>
    public List<string> ProfessionalCategories { get; set; } = [];

    public static readonly IReadOnlyList<string> DefaultCategories =
        ["通风", "瓦斯", "防突", "防治水", "顶板", "冲击地压", "机电", "运输", "爆破", "防灭火", "地测", "安全管理", "职业卫生", "其他"];

    public IReadOnlyList<string> Categories => ProfessionalCategories.Count > 0 ? ProfessionalCategories : DefaultCategories;

    /// <summary>条例 第70条: this many major hazards found while producing …</summary>
    public int ClosureMajorCount { get; set; } = 2;

    /// <summary>… within this many months proposes the mine for closure.</summary>
    public int ClosureWindowMonths { get; set; } = 3;
}

/// <summary>Who may do what in the hazard ledger.</summary>
public static class HazardAccess
{
    /// <summary>Regulators, and enterprise users for their own mines (自查自改自报; the scope keeps them to their mines).</summary>
    public static bool CanWork(CurrentUser user) => !user.IsReadOnly && (IsRegulator(user) || user.IsInRole(Roles.Enterprise));

    public static bool IsRegulator(CurrentUser user) => Roles.Regulators.Any(user.IsInRole);
}
