using System.Globalization;
using System.Security.Claims;

namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// Who is acting, and within which jurisdiction, for the current request. The single source of
/// <see cref="UserScope"/> for the database query filters (STYLE habit 6).
/// </summary>
public sealed class CurrentUser
{
    private readonly Func<ClaimsPrincipal?> _principal;
    private UserScope? _scope;

    public CurrentUser(IHttpContextAccessor accessor) => _principal = () => accessor.HttpContext?.User;

    private CurrentUser(ClaimsPrincipal principal) => _principal = () => principal;

    /// <summary>A user outside any request (e.g. who demo data says did a workflow step).</summary>
    public static CurrentUser For(ClaimsPrincipal principal) => new(principal);

    public ClaimsPrincipal? Principal => _principal();

    public bool IsAuthenticated => Principal?.Identity?.IsAuthenticated == true;

    public long? Id => long.TryParse(Principal?.FindFirstValue(ClaimTypes.NameIdentifier), CultureInfo.InvariantCulture, out var id) ? id : null;

    public string UserName => Principal?.Identity?.Name ?? "";

    public string DisplayName => Principal?.FindFirstValue(ScopeClaims.DisplayName) is { Length: > 0 } name ? name : UserName;

    public long? OrganisationId => long.TryParse(Principal?.FindFirstValue(ScopeClaims.Organisation), CultureInfo.InvariantCulture, out var id) ? id : null;

    public string OrganisationName => Principal?.FindFirstValue(ScopeClaims.OrganisationName) ?? "";

    public string? RegionCode => Principal?.FindFirstValue(ScopeClaims.Region);

    public long? EnterpriseId => long.TryParse(Principal?.FindFirstValue(ScopeClaims.Enterprise), CultureInfo.InvariantCulture, out var id) ? id : null;

    public bool IsInRole(string role) => Principal?.IsInRole(role) == true;

    public IReadOnlyList<string> Roles => Principal?.FindAll(ClaimTypes.Role).Select(c => c.Value).ToList() ?? [];

    /// <summary>A user whose only role is 领导(只读) may read everything in scope and change nothing.</summary>
    public bool IsReadOnly => IsAuthenticated && Roles.Count > 0 && Roles.All(r => r == Auth.Roles.Leader);

    public UserScope Scope => _scope ??= BuildScope();

    private UserScope BuildScope()
    {
        if (!IsAuthenticated || Id is not { } userId)
        {
            return UserScope.Nothing;
        }

        if (EnterpriseId is { } enterpriseId)
        {
            return UserScope.ForEnterprise(enterpriseId, userId, OrganisationName);
        }

        return RegionCode is { Length: > 0 } region
            ? UserScope.ForRegion(region, userId, Principal?.FindFirstValue(ScopeClaims.RegionName) ?? region)
            : UserScope.Nothing with { UserId = userId };
    }
}
