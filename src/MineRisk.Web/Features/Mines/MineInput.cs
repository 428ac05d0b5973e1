using System.Text.RegularExpressions;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// The editable facts of a mine, as the API, the form and the Excel import give them. <see cref="Validate"/> holds the
/// rules that need no database; uniqueness, enterprise and region are checked by <see cref="MineWriter"/>.
/// </summary>
public sealed partial record MineInput
{
    public string? Code { get; init; }

    public string? Name { get; init; }

    public long? EnterpriseId { get; init; }

    public string? RegionCode { get; init; }

    public string? Address { get; init; }

    public double? Longitude { get; init; }

    public double? Latitude { get; init; }

    public MineStatus? Status { get; init; }

    public Disposition? Disposition { get; init; }

    public double? DesignCapacity { get; init; }

    public double? ApprovedCapacity { get; init; }

    public MiningMethod? MiningMethod { get; init; }

    public GasLevel? GasLevel { get; init; }

    public HydroType? HydroType { get; init; }

    public bool? RockBurst { get; init; }

    public CombustionTendency? Combustion { get; init; }

    public StandardizationLevel? Standardization { get; init; }

    public int? ShiftPersonnelLimit { get; init; }

    public int? MiningDepth { get; init; }

    /// <summary>Why status, capacity or disposition changed (required when they do).</summary>
    public string? Reason { get; init; }

    /// <summary>The <see cref="Mine.Version"/> the edit was made from (updates only).</summary>
    public int? Version { get; init; }

    public const double MaxCapacity = 5000;

    /// <summary>Whether a text is a well-formed 煤矿编码 (12 digits).</summary>
    public static bool IsValidCode(string? code) => code is not null && CodePattern().IsMatch(code.Trim());

    /// <summary>Field → Chinese messages for everything wrong that can be told without the database.</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, List<string>>();
        void Add(string field, string message)
        {
            if (!errors.TryGetValue(field, out var list))
            {
                errors[field] = list = [];
            }

            list.Add(message);
        }

        if (string.IsNullOrWhiteSpace(Code))
        {
            Add("code", "请填写煤矿编码。");
        }
        else if (!IsValidCode(Code))
        {
            Add("code", $"煤矿编码应为 12 位数字，「{Code.Trim()}」不符合。");
        }

        if (string.IsNullOrWhiteSpace(Name))
        {
            Add("name", "请填写煤矿名称。");
        }
        else if (Name.Trim().Length > 100)
        {
            Add("name", "煤矿名称不能超过 100 个字。");
        }

        if (EnterpriseId is null)
        {
            Add("enterpriseId", "请选择所属企业。");
        }

        if (string.IsNullOrWhiteSpace(RegionCode))
        {
            Add("regionCode", "请选择所在乡镇。");
        }

        Required(Status, "status", "生产状态", Add);
        Required(Disposition, "disposition", "处置类别", Add);
        Required(MiningMethod, "miningMethod", "开采方式", Add);
        Required(GasLevel, "gasLevel", "瓦斯等级", Add);
        Required(HydroType, "hydroType", "水文地质类型", Add);
        Required(Combustion, "combustion", "自然发火倾向", Add);
        Required(Standardization, "standardization", "标准化等级", Add);
        Range(DesignCapacity, 0, MaxCapacity, "designCapacity", "设计产能应在 0～5000 万吨/年之间。", Add);
        Range(ApprovedCapacity, 0, MaxCapacity, "approvedCapacity", "核定产能应在 0～5000 万吨/年之间。", Add);
        Range(Longitude, 73, 136, "longitude", "经度应在 73～136 之间（中国境内）。", Add);
        Range(Latitude, 3, 54, "latitude", "纬度应在 3～54 之间（中国境内）。", Add);
        Range(ShiftPersonnelLimit, 0, 5000, "shiftPersonnelLimit", "单班限员应为 0～5000 之间的整数。", Add);
        Range(MiningDepth, 0, 3000, "miningDepth", "开采深度应在 0～3000 米之间。", Add);
        if (Address is { Length: > 200 })
        {
            Add("address", "地址不能超过 200 个字。");
        }

        return errors.ToDictionary(e => e.Key, e => e.Value.ToArray());
    }

    /// <summary>The validation result as an error value (null when valid).</summary>
    public ValidationError? ValidationErrorOrNull()
    {
        var errors = Validate();
        return errors.Count == 0 ? null : new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
    }

    private static void Required<T>(T? value, string field, string label, Action<string, string> add) where T : struct, Enum
    {
        if (value is null)
        {
            add(field, $"请选择{label}。");
        }
        else if (!Enum.IsDefined(value.Value))
        {
            add(field, $"{label}的取值无效。可选：{string.Join("、", EnumLabels.All<T>().Select(v => v.Label))}。");
        }
    }

    private static void Range(double? value, double min, double max, string field, string message, Action<string, string> add)
    {
        if (value is { } v && (double.IsNaN(v) || v < min || v > max))
        {
            add(field, message);
        }
    }

    private static void Range(int? value, int min, int max, string field, string message, Action<string, string> add)
    {
        if (value is { } v && (v < min || v > max))
        {
            add(field, message);
        }
    }

    [GeneratedRegex("^[0-9]{12}$")]
    private static partial Regex CodePattern();
}
