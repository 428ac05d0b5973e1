using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>
/// JZSS 基站状态, one base station (4 fields). Both states are codes 0, 1, 2 or 9 (DOMAIN §8 for 供电状态;
/// public parsers apply the same set to 运行状态), kept as numbers.
/// </summary>
public sealed record JzssStation
{
    /// <summary>基站编码 (required).</summary>
    public required string StationCode { get; init; }

    /// <summary>运行状态: 0, 1, 2 or 9.</summary>
    public required byte RunState { get; init; }

    /// <summary>供电状态: 0, 1, 2 or 9.</summary>
    public required byte PowerState { get; init; }

    /// <summary>数据时间.</summary>
    public required DateTimeOffset DataTime { get; init; }
}

/// <summary>JZSS 基站状态. Header <c>煤矿编码;煤矿名称;上传时间</c>.</summary>
public sealed class JzssFormat : FeedFormat<JzssStation>
{
    internal JzssFormat()
        : base(FeedType.Jzss, FeedFormats.BasicHeader, ["基站编码", "运行状态", "供电状态", "数据时间"])
    {
    }

    internal override JzssStation ParseRecord(ref RecordParser p) => new()
    {
        StationCode = p.Code(),
        RunState = p.Choice([0, 1, 2, 9], "0、1、2 或 9"),
        PowerState = p.Choice([0, 1, 2, 9], "0、1、2 或 9"),
        DataTime = p.Time(),
    };

    internal override void WriteRecord(FieldWriter w, JzssStation r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.RunState is not (0 or 1 or 2 or 9) || r.PowerState is not (0 or 1 or 2 or 9))
        {
            throw new ArgumentException($"运行状态 {r.RunState} / 供电状态 {r.PowerState} 应为 0、1、2 或 9", nameof(r));
        }

        w.Code(r.StationCode);
        w.Integer(r.RunState);
        w.Integer(r.PowerState);
        w.Time(r.DataTime);
    }
}
