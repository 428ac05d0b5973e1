using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Stability;

/// <summary>Who may do what in the stability module.</summary>
public static class StabilityAccess
{
    /// <summary>Regulators assess mines and run task forces.</summary>
    public static bool CanAssess(CurrentUser user) => Roles.Regulators.Any(user.IsInRole);

    /// <summary>Regulators and the petition office (信访) keep the conflict ledger.</summary>
    public static bool CanKeepLedger(CurrentUser user) => Roles.Regulators.Any(user.IsInRole) || user.IsInRole(Roles.PetitionOfficer);
}
