using System.ComponentModel;
using System.Globalization;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// A coal mine: the one file (一矿一档) every ledger item hangs on. Belongs to one township (so one county and city)
/// and one enterprise, which together are its jurisdiction.
/// </summary>
[DisplayName("煤矿")]
public sealed class Mine : IScoped
{
    public long Id { get; init; }

    /// <summary>煤矿编码: 12 digits, unique; the code in the monitoring upload file names.</summary>
    public required string Code { get; set; }

    public required string Name { get; set; }

    public long? EnterpriseId { get; set; }

    public Enterprise? Enterprise { get; set; }

    /// <summary>The township (乡镇) the mine is in.</summary>
    public required string RegionCode { get; set; }

    public Region? Region { get; set; }

    public string? Address { get; set; }

    public double? Longitude { get; set; }

    public double? Latitude { get; set; }

    public MineStatus Status { get; set; }

    public Disposition Disposition { get; set; }

    /// <summary>设计产能, 万吨/年.</summary>
    public double? DesignCapacity { get; set; }

    /// <summary>核定产能, 万吨/年.</summary>
    public double? ApprovedCapacity { get; set; }

    public MiningMethod MiningMethod { get; set; }

    public GasLevel GasLevel { get; set; }

    public HydroType HydroType { get; set; }

    /// <summary>冲击地压: 有 (true) / 无.</summary>
    public bool RockBurst { get; set; }

    public CombustionTendency Combustion { get; set; }

    public StandardizationLevel Standardization { get; set; }

    /// <summary>单班入井限员 (per-shift underground personnel limit).</summary>
    public int? ShiftPersonnelLimit { get; set; }

    /// <summary>最大开采深度, m.</summary>
    public int? MiningDepth { get; set; }

    /// <summary>社会稳定风险等级: the grade of the newest approved assessment (set by the stability module), null if never assessed.</summary>
    public RiskGrade? RiskGrade { get; set; }

    /// <summary>When that assessment was approved.</summary>
    public DateTime? RiskAssessedAt { get; set; }

    /// <summary>Optimistic concurrency token: incremented by every edit; a stale one is refused (409).</summary>
    public int Version { get; set; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    public List<MineLicence> Licences { get; init; } = [];

    public List<KeyPerson> KeyPersons { get; init; } = [];

    /// <summary>
    /// Applies an edit. Changes to status, capacity and disposition need a reason and are kept as history
    /// (DOMAIN §2); every edit bumps <see cref="Version"/>.
    /// </summary>
    public List<MineChange> Apply(MineInput input, long enterpriseId, string? reason, long? actorId, string actorName, DateTime now)
    {
        var changes = new List<MineChange>();
        void Track(string field, string? before, string? after)
        {
            if (before != after)
            {
                changes.Add(new MineChange
                {
                    MineId = Id,
                    RegionCode = input.RegionCode!,
                    EnterpriseId = enterpriseId,
                    Field = field,
                    OldValue = before,
                    NewValue = after,
                    Reason = reason?.Trim() ?? "",
                    ById = actorId,
                    ByName = actorName,
                    At = now,
                });
            }
        }

        if (Id != 0)
        {
            Track("生产状态", Status.Label(), input.Status!.Value.Label());
            Track("处置类别", Disposition.Label(), input.Disposition!.Value.Label());
            Track("设计产能(万吨/年)", Number(DesignCapacity), Number(input.DesignCapacity));
            Track("核定产能(万吨/年)", Number(ApprovedCapacity), Number(input.ApprovedCapacity));
        }

        Code = input.Code!.Trim();
        Name = input.Name!.Trim();
        EnterpriseId = enterpriseId;
        RegionCode = input.RegionCode!;
        Address = Blank(input.Address);
        Longitude = input.Longitude;
        Latitude = input.Latitude;
        Status = input.Status!.Value;
        Disposition = input.Disposition!.Value;
        DesignCapacity = input.DesignCapacity;
        ApprovedCapacity = input.ApprovedCapacity;
        MiningMethod = input.MiningMethod!.Value;
        GasLevel = input.GasLevel!.Value;
        HydroType = input.HydroType!.Value;
        RockBurst = input.RockBurst ?? false;
        Combustion = input.Combustion!.Value;
        Standardization = input.Standardization!.Value;
        ShiftPersonnelLimit = input.ShiftPersonnelLimit;
        MiningDepth = input.MiningDepth;
        UpdatedAt = now;
        Version++;
        return changes;
    }

    /// <summary>True when the edit changes a field whose change must be explained.</summary>
    public bool NeedsReason(MineInput input) =>
        Id != 0 && (Status != input.Status || Disposition != input.Disposition
                    || Number(DesignCapacity) != Number(input.DesignCapacity) || Number(ApprovedCapacity) != Number(input.ApprovedCapacity));

    private static string? Number(double? value) => value?.ToString("0.##", CultureInfo.InvariantCulture);

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>煤矿企业 or 集团 (a group owns several mines through its companies).</summary>
[DisplayName("煤矿企业")]
public sealed class Enterprise
{
    public long Id { get; init; }

    public required string Name { get; set; }

    public EnterpriseKind Kind { get; set; }

    /// <summary>The group this company belongs to.</summary>
    public long? GroupId { get; set; }

    public Enterprise? Group { get; set; }

    /// <summary>统一社会信用代码 (18 characters).</summary>
    public string? CreditCode { get; set; }

    public string? LegalRepresentative { get; set; }

    public string? Phone { get; set; }
}

/// <summary>A licence of a mine (采矿许可证, 安全生产许可证, 营业执照) with its expiry: an expired one is 证照超期.</summary>
[DisplayName("证照")]
public sealed class MineLicence : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public LicenceKind Kind { get; set; }

    public required string Number { get; set; }

    public string? IssuedBy { get; set; }

    public DateOnly ExpiresOn { get; set; }

    /// <summary>The renewal deadline in the deadline engine (临期 and 超期 reach the mine's regulators).</summary>
    public long? DeadlineId { get; set; }
}

/// <summary>A person in a key position (矿长, 总工程师, technicians...) with what seed 001 checks.</summary>
[DisplayName("关键岗位人员")]
public sealed class KeyPerson : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public KeyPosition Position { get; set; }

    public required string Name { get; set; }

    /// <summary>身份证号, to find one technician listed at two mines (shown masked).</summary>
    public string? IdNumber { get; set; }

    public Education Education { get; set; }

    /// <summary>煤矿相关专业.</summary>
    public bool MiningMajor { get; set; }

    /// <summary>煤矿相关工作年限.</summary>
    public int YearsExperience { get; set; }

    /// <summary>专职.</summary>
    public bool FullTime { get; set; }

    /// <summary>注册安全工程师.</summary>
    public bool RegisteredSafetyEngineer { get; set; }

    public static string Mask(string? idNumber) =>
        idNumber is { Length: >= 8 } id ? id[..4] + new string('*', id.Length - 8) + id[^4..] : idNumber ?? "";
}

/// <summary>A change of status, capacity or disposition: who, when, why (DOMAIN §2).</summary>
[DisplayName("煤矿变更")]
public sealed class MineChange : IScoped
{
    public long Id { get; init; }

    public long MineId { get; set; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public required string Field { get; init; }

    public string? OldValue { get; init; }

    public string? NewValue { get; init; }

    public required string Reason { get; init; }

    public long? ById { get; init; }

    public required string ByName { get; init; }

    public DateTime At { get; init; }
}
