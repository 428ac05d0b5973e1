using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>CDDY 数值类型.</summary>
public enum PointValueKind : byte
{
    /// <summary>MN 模拟量.</summary>
    Analog = 1,

    /// <summary>KG 开关量.</summary>
    Switch = 2,
}

/// <summary>
/// CDDY 测点定义, one point (24 fields): its place in the system, sensor, unit, range, thresholds and location.
/// Thresholds are null when the file leaves them empty (switch points have none).
/// </summary>
public sealed record CddyPoint
{
    /// <summary>测点编码.</summary>
    public required string PointCode { get; init; }

    /// <summary>系统编码.</summary>
    public string SystemCode { get; init; } = "";

    /// <summary>分站编码.</summary>
    public string SubstationCode { get; init; } = "";

    /// <summary>传感器类型, e.g. 甲烷.</summary>
    public string SensorType { get; init; } = "";

    /// <summary>数值类型 MN/KG.</summary>
    public required PointValueKind ValueKind { get; init; }

    /// <summary>单位.</summary>
    public string Unit { get; init; } = "";

    /// <summary>高量程.</summary>
    public double? RangeHigh { get; init; }

    /// <summary>低量程.</summary>
    public double? RangeLow { get; init; }

    /// <summary>上限报警.</summary>
    public double? UpperAlarm { get; init; }

    /// <summary>上限解报.</summary>
    public double? UpperAlarmClear { get; init; }

    /// <summary>下限报警.</summary>
    public double? LowerAlarm { get; init; }

    /// <summary>下限解报.</summary>
    public double? LowerAlarmClear { get; init; }

    /// <summary>上限断电.</summary>
    public double? UpperPowerOff { get; init; }

    /// <summary>上限复电.</summary>
    public double? UpperPowerRestore { get; init; }

    /// <summary>下限断电.</summary>
    public double? LowerPowerOff { get; init; }

    /// <summary>下限复电.</summary>
    public double? LowerPowerRestore { get; init; }

    /// <summary>开描述 (switch points).</summary>
    public string OnDescription { get; init; } = "";

    /// <summary>停描述 (switch points).</summary>
    public string OffDescription { get; init; } = "";

    /// <summary>安装位置.</summary>
    public string Location { get; init; } = "";

    /// <summary>X 坐标.</summary>
    public double? X { get; init; }

    /// <summary>Y 坐标.</summary>
    public double? Y { get; init; }

    /// <summary>Z 坐标.</summary>
    public double? Z { get; init; }

    /// <summary>关联关系, verbatim.</summary>
    public string Relation { get; init; } = "";

    /// <summary>数据时间.</summary>
    public required DateTimeOffset DataTime { get; init; }
}

/// <summary>CDDY 测点定义. Header <c>煤矿编码;煤矿名称;系统型号;系统名称;生产厂家;日期;上传时间</c>.</summary>
public sealed class CddyFormat : FeedFormat<CddyPoint>
{
    internal CddyFormat()
        : base(
            FeedType.Cddy,
            ["煤矿编码", "煤矿名称", "系统型号", "系统名称", "生产厂家", "日期", "上传时间"],
            [
                "测点编码", "系统编码", "分站编码", "传感器类型", "数值类型", "单位", "高量程", "低量程", "上限报警", "上限解报",
                "下限报警", "下限解报", "上限断电", "上限复电", "下限断电", "下限复电", "开描述", "停描述", "安装位置",
                "X", "Y", "Z", "关联关系", "数据时间",
            ])
    {
    }

    internal override CddyPoint ParseRecord(ref RecordParser p) => new()
    {
        PointCode = p.Code(),
        SystemCode = p.Text(),
        SubstationCode = p.Text(),
        SensorType = p.Text(),
        ValueKind = ParseValueKind(ref p),
        Unit = p.Text(),
        RangeHigh = p.OptionalNumber(),
        RangeLow = p.OptionalNumber(),
        UpperAlarm = p.OptionalNumber(),
        UpperAlarmClear = p.OptionalNumber(),
        LowerAlarm = p.OptionalNumber(),
        LowerAlarmClear = p.OptionalNumber(),
        UpperPowerOff = p.OptionalNumber(),
        UpperPowerRestore = p.OptionalNumber(),
        LowerPowerOff = p.OptionalNumber(),
        LowerPowerRestore = p.OptionalNumber(),
        OnDescription = p.Text(),
        OffDescription = p.Text(),
        Location = p.Text(),
        X = p.OptionalNumber(),
        Y = p.OptionalNumber(),
        Z = p.OptionalNumber(),
        Relation = p.Text(),
        DataTime = p.Time(),
    };

    internal override void WriteRecord(FieldWriter w, CddyPoint r)
    {
        ArgumentNullException.ThrowIfNull(r);
        w.Code(r.PointCode);
        w.Text(r.SystemCode);
        w.Text(r.SubstationCode);
        w.Text(r.SensorType);
        w.Text(r.ValueKind switch
        {
            PointValueKind.Analog => "MN",
            PointValueKind.Switch => "KG",
            _ => throw new ArgumentException($"数值类型 {r.ValueKind} 无效", nameof(r)),
        });
        w.Text(r.Unit);
        w.Number(r.RangeHigh);
        w.Number(r.RangeLow);
        w.Number(r.UpperAlarm);
        w.Number(r.UpperAlarmClear);
        w.Number(r.LowerAlarm);
        w.Number(r.LowerAlarmClear);
        w.Number(r.UpperPowerOff);
        w.Number(r.UpperPowerRestore);
        w.Number(r.LowerPowerOff);
        w.Number(r.LowerPowerRestore);
        w.Text(r.OnDescription);
        w.Text(r.OffDescription);
        w.Text(r.Location);
        w.Number(r.X);
        w.Number(r.Y);
        w.Number(r.Z);
        w.Text(r.Relation);
        w.Time(r.DataTime);
    }

    private static PointValueKind ParseValueKind(ref RecordParser p)
    {
        var raw = p.Next();
        if (raw.IsEmpty)
        {
            p.FailMissing();
        }

        // Case does not change meaning ("mn" is MN); anything else (e.g. 累计量 codes) is not defined in §8.
        if (raw.Length == 2)
        {
            int code = ((raw[0] | 0x20) << 8) | (raw[1] | 0x20);
            if (code == (('m' << 8) | 'n'))
            {
                return PointValueKind.Analog;
            }

            if (code == (('k' << 8) | 'g'))
            {
                return PointValueKind.Switch;
            }
        }

        p.Fail(FeedErrorKind.InvalidValue, $"数值类型「{FeedText.Quote(raw)}」应为 MN（模拟量）或 KG（开关量）");
        return default;
    }
}
