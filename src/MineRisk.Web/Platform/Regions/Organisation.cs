using System.ComponentModel.DataAnnotations;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Platform.Regions;

public enum OrganisationKind
{
    [Display(Name = "应急管理局")] EmergencyBureau = 1,
    [Display(Name = "煤炭管理局")] CoalBureau = 2,
    [Display(Name = "信访局")] PetitionBureau = 3,
    [Display(Name = "乡镇人民政府")] TownshipGovernment = 4,
    [Display(Name = "人民政府")] Government = 5,
    [Display(Name = "煤矿企业")] Enterprise = 6,
    [Display(Name = "煤矿集团")] Group = 7,
    [Display(Name = "系统运维")] System = 8,
}

/// <summary>
/// A government body or an enterprise, attached to a region. A user belongs to one organisation,
/// which sets the user's jurisdiction (DESIGN §1): its region's subtree, or its enterprise's mines.
/// </summary>
[System.ComponentModel.DisplayName("单位")]
public sealed class Organisation : IScoped
{
    public long Id { get; init; }

    public required string Name { get; set; }

    public OrganisationKind Kind { get; set; }

    public required string RegionCode { get; set; }

    public Region? Region { get; init; }

    /// <summary>For enterprise organisations: the enterprise whose mines its users see.</summary>
    public long? EnterpriseId { get; set; }
}
