using Microsoft.AspNetCore.Identity;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Platform.Auth;

/// <summary>A person who logs in. Belongs to one organisation, which sets their jurisdiction.</summary>
[System.ComponentModel.DisplayName("用户")]
public sealed class AppUser : IdentityUser<long>
{
    /// <summary>真实姓名, shown in ledgers and the audit trail.</summary>
    public string DisplayName { get; set; } = "";

    public long? OrganisationId { get; set; }

    public Organisation? Organisation { get; set; }

    /// <summary>Created by the demo seeder (only in demo mode).</summary>
    public bool IsDemo { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>The last successful sign-in (to spot dormant accounts).</summary>
    public DateTime? LastLoginAt { get; set; }
}

[System.ComponentModel.DisplayName("角色")]
public sealed class AppRole : IdentityRole<long>
{
    public AppRole()
    {
    }

    public AppRole(string name) : base(name)
    {
    }
}

/// <summary>The roles of DESIGN §1 / issue 2. Role names are the Chinese titles users see.</summary>
public static class Roles
{
    public const string Admin = "系统管理员";
    public const string CityRegulator = "市级监管";
    public const string CountyRegulator = "县级监管";
    public const string TownshipRegulator = "乡镇监管";
    public const string Enterprise = "企业用户";
    public const string PetitionOfficer = "信访干部";
    public const string Leader = "领导(只读)";

    public static readonly IReadOnlyList<string> All =
        [Admin, CityRegulator, CountyRegulator, TownshipRegulator, Enterprise, PetitionOfficer, Leader];

    /// <summary>Government regulators (who are notified and escalated to by the deadline engine).</summary>
    public static readonly IReadOnlyList<string> Regulators = [Admin, CityRegulator, CountyRegulator, TownshipRegulator];
}
