using System.Globalization;
using System.Text.RegularExpressions;
using MineRisk.Web.Features.Mines;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>A row of the gas-threshold table (煤矿安全规程 2025 第536条 表19, 第541条), in percent.</summary>
public sealed record LawRow(string Location, string Gas, double Alarm, double? PowerOff, double? RestoreBelow, string PowerOffScope, string Source);

/// <summary>The law's thresholds converted to a point's unit, and what is wrong with the point's own (null when nothing).</summary>
public sealed record LawCheck(LawRow Row, double Alarm, double? PowerOff, double? Restore, string? LooseNote);

/// <summary>
/// Which row of the law's table a sensor falls under, from its 传感器类型 and free-text 安装位置, and whether the thresholds the
/// mine configured (CDDY) are looser than the law. Installation locations are written freely by each mine, so the match is
/// by keywords, most specific first (the order of <see cref="Patterns"/>); a location no pattern recognises is not judged
/// (it is shown as such, never guessed). The rows themselves are the reference file, embedded unchanged.
/// </summary>
public static class LawThresholds
{
    public static readonly IReadOnlyList<LawRow> Rows = Load();

    /// <summary>Location keywords → row, most specific first. A predicate on the mine covers rows that apply to some mines only.</summary>
    private static readonly (string Gas, Regex Pattern, string Location, Func<MineEntry?, bool>? When)[] Patterns =
    [
        ("CH4", Rx("钻孔.*下风侧|钻场.*下风"), "突出煤层钻孔下风侧", null),
        ("CH4", Rx("采煤机|掘进机|连采机|锚杆钻车|梭车|机载"), "采煤机/掘进机/连采机/锚杆钻车/梭车", null),
        ("CH4", Rx("隅角"), "采煤工作面(回风隅角)", null),
        ("CH4", Rx("掘进.*回风|迎头.*回风"), "掘进工作面回风流", null),
        ("CH4", Rx("掘进|迎头"), "掘进工作面", null),
        ("CH4", Rx("总回风"), "总回风巷", null),
        ("CH4", Rx("(皮带|胶带|带式输送机).*(回风井|兼回风)"), "带式输送机井筒兼回风井", null),
        ("CH4", Rx("(工作面|回采|综采|综放|采煤).*(回风巷|回风顺槽|回顺)"), "采煤工作面回风巷", null),
        ("CH4", Rx("(采区|盘区).*回风"), "采(盘)区回风巷", null),
        ("CH4", Rx("(工作面|回采|综采|综放|采煤).*(进风巷|进风顺槽|运输巷|运顺)"), "突出/冲击地压高瓦斯矿井采煤工作面进风巷",
            m => m is { GasLevel: GasLevel.Outburst } or { GasLevel: GasLevel.High, RockBurst: true }),
        ("CH4", Rx("煤仓|地面走廊"), "井下煤仓/封闭带式输送机地面走廊", null),
        ("CH4", Rx("装煤点|电机车|蓄电池|柴油"), "架线电机车装煤点/蓄电池或柴油设备", null),
        ("CH4", Rx("硐室|变电所|配电|泵房"), "机电设备硐室/地面抽采泵房", null),
        ("CH4", Rx("(采煤|回采|综采|综放)工作面"), "采煤工作面(回风隅角)", null),
        ("CO", Rx("滚筒|机头"), "带式输送机滚筒下风侧", null),
        ("CO", Rx("充电"), "充电硐室", null),
        ("CO", Rx("回风"), "回风巷/回风流", null),
    ];

    private static Regex Rx(string pattern) => new(pattern, RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>CH4, CO, or null for a sensor the table does not cover.</summary>
    public static string? GasOf(string sensorType, string unit) =>
        sensorType.Contains("甲烷", StringComparison.Ordinal) || sensorType.Contains("瓦斯", StringComparison.Ordinal) || sensorType.Contains("CH4", StringComparison.OrdinalIgnoreCase)
            ? "CH4"
            : sensorType.Contains("一氧化碳", StringComparison.Ordinal) || sensorType.Equals("CO", StringComparison.OrdinalIgnoreCase)
                ? "CO"
                : null;

    /// <summary>Percent to the point's unit: % stays, ppm is ×10,000; another unit cannot be compared (null).</summary>
    public static double? ToUnit(double percent, string unit)
    {
        if (unit.Contains("ppm", StringComparison.OrdinalIgnoreCase))
        {
            return Math.Round(percent * 10_000, 6);
        }

        return unit.Contains('%') || unit.Contains('％') ? percent : null;
    }

    public static LawRow? Match(string sensorType, string unit, string location, MineEntry? mine)
    {
        var gas = GasOf(sensorType, unit);
        if (gas is null)
        {
            return null;
        }

        foreach (var (g, pattern, row, when) in Patterns)
        {
            if (g == gas && pattern.IsMatch(location) && (when is null || when(mine)))
            {
                return Rows.First(r => r.Location == row && r.Gas == gas);
            }
        }

        return null;
    }

    /// <summary>The law's row for a point and how its own upper thresholds compare (null when no row applies or the unit is foreign).</summary>
    public static LawCheck? Check(string sensorType, string unit, string location, double? upperAlarm, double? upperPowerOff, double? upperRestore, MineEntry? mine)
    {
        if (Match(sensorType, unit, location, mine) is not { } row || ToUnit(row.Alarm, unit) is not { } alarm)
        {
            return null;
        }

        var powerOff = row.PowerOff is { } p ? ToUnit(p, unit) : null;
        var restore = row.RestoreBelow is { } r ? ToUnit(r, unit) : null;
        var problems = new List<string>();
        var u = unit.Trim();
        if (upperAlarm is null)
        {
            problems.Add($"未设上限报警值（规程为 {N(alarm)}{u}）");
        }
        else if (upperAlarm > alarm + 1e-9)
        {
            problems.Add($"上限报警值 {N(upperAlarm.Value)}{u} 高于规程的 {N(alarm)}{u}");
        }

        if (powerOff is { } po)
        {
            if (upperPowerOff is null)
            {
                problems.Add($"未设断电值（规程为 {N(po)}{u}）");
            }
            else if (upperPowerOff > po + 1e-9)
            {
                problems.Add($"断电值 {N(upperPowerOff.Value)}{u} 高于规程的 {N(po)}{u}");
            }
        }

        if (restore is { } re && upperRestore > re + 1e-9)
        {
            problems.Add($"复电值 {N(upperRestore.Value)}{u} 高于规程的 {N(re)}{u}");
        }

        var note = problems.Count == 0 ? null : $"{string.Join("；", problems)}（{row.Location}，{row.Source}）";
        return new LawCheck(row, alarm, powerOff, restore, note);
    }

    private static string N(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static List<LawRow> Load()
    {
        using var stream = typeof(LawThresholds).Assembly.GetManifestResourceStream("MineRisk.Web.Features.Monitoring.gas-thresholds-2025.tsv")
            ?? throw new InvalidOperationException("缺少内置资源 gas-thresholds-2025.tsv");
        using var reader = new StreamReader(stream);
        var rows = new List<LawRow>();
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split('\t');
            if (f.Length < 7)
            {
                continue;
            }

            static double? D(string s) => s.Length == 0 ? null : double.Parse(s, CultureInfo.InvariantCulture);
            rows.Add(new LawRow(f[0], f[1], D(f[2])!.Value, D(f[3]), D(f[4]), f[5], f[6]));
        }

        return rows;
    }
}
