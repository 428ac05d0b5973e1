using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Auth;

/// <summary>Claim types that carry the user's organisation and jurisdiction into the cookie or bearer token.</summary>
public static class ScopeClaims
{
    public const string DisplayName = "mr:name";
    public const string Organisation = "mr:org";
    public const string OrganisationName = "mr:org_name";
    public const string Region = "mr:region";
    public const string RegionName = "mr:region_name";
    public const string Enterprise = "mr:enterprise";
}

/// <summary>
/// Adds the organisation and jurisdiction claims at sign-in (cookie and bearer alike). A change of a user's
/// organisation or roles takes effect at the next sign-in or security-stamp check (see docs/OPERATIONS.md).
/// </summary>
public sealed class AppClaimsFactory(
    UserManager<AppUser> users,
    RoleManager<AppRole> roles,
    IOptions<IdentityOptions> options,
    AppDbContext db) : UserClaimsPrincipalFactory<AppUser, AppRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(ScopeClaims.DisplayName, user.DisplayName));
        if (user.OrganisationId is { } orgId)
        {
            var org = await db.Organisations.IgnoreQueryFilters()
                .Where(o => o.Id == orgId)
                .Select(o => new { o.Id, o.Name, o.RegionCode, RegionName = o.Region!.FullName ?? o.Region.Name, o.EnterpriseId })
                .SingleAsync();
            identity.AddClaim(new Claim(ScopeClaims.Organisation, org.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            identity.AddClaim(new Claim(ScopeClaims.OrganisationName, org.Name));
            identity.AddClaim(new Claim(ScopeClaims.Region, org.RegionCode));
            identity.AddClaim(new Claim(ScopeClaims.RegionName, org.RegionName));
            if (org.EnterpriseId is { } enterpriseId)
            {
                identity.AddClaim(new Claim(ScopeClaims.Enterprise, enterpriseId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        return identity;
    }
}
