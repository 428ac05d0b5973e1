using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// What a user may see: region codes in [<see cref="Low"/>, <see cref="High"/>) (a region's subtree is a code
/// range, see <see cref="RegionCodes"/>), optionally narrowed to one enterprise. Built once per request from the
/// user's organisation; read by the database query filters and by <see cref="Covers(IScoped)"/>.
/// </summary>
public sealed record UserScope(string Low, string High, long? EnterpriseId, long? UserId, bool AllUsers, string Description)
{
    /// <summary>Sees nothing: anonymous callers, and any code path that forgot to say who it acts for.</summary>
    public static readonly UserScope Nothing = new("~", "~", null, null, false, "无权限");

    /// <summary>Background work of the system itself (sweeps, intake, seeding, schema upgrades).</summary>
    public static readonly UserScope System = new("", "~", null, null, true, "系统");

    public static UserScope ForRegion(string regionCode, long userId, string regionName)
    {
        var prefix = RegionCodes.Prefix(regionCode);
        return new UserScope(prefix, RegionCodes.UpperBound(prefix), null, userId, false, regionName);
    }

    public static UserScope ForEnterprise(long enterpriseId, long userId, string enterpriseName) =>
        new("", "~", enterpriseId, userId, false, enterpriseName);

    public bool IsSystem => AllUsers;

    /// <summary>
    /// Every region (the nation, the system, an enterprise user): the query filters then put no bound on region codes,
    /// so that a region filter of the query is the range the database seeks (SQLite seeks the first range it is given).
    /// </summary>
    public bool AllRegions => Low.Length == 0 && High == RegionCodes.UpperBound("");

    public bool CoversRegion(string regionCode) =>
        string.CompareOrdinal(regionCode, Low) >= 0 && string.CompareOrdinal(regionCode, High) < 0;

    public bool Covers(IScoped item) =>
        CoversRegion(item.RegionCode) && (EnterpriseId is null || item.EnterpriseId == EnterpriseId);
}
