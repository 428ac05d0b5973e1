using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>
/// RYSS 人员实时, one person's current position (15 fields). <see cref="InOutFlag"/> is the file's 出入井标志
/// (0, 1 or 2), kept as the number: DOMAIN §8 gives the codes but not their meaning.
/// </summary>
public sealed record RyssPosition
{
    /// <summary>卡号 (required).</summary>
    public required string CardNumber { get; init; }

    /// <summary>姓名.</summary>
    public string Name { get; init; } = "";

    /// <summary>出入井标志: 0, 1 or 2.</summary>
    public required byte InOutFlag { get; init; }

    /// <summary>入井时刻.</summary>
    public DateTimeOffset? InTime { get; init; }

    /// <summary>出井时刻.</summary>
    public DateTimeOffset? OutTime { get; init; }

    /// <summary>区域编码.</summary>
    public string AreaCode { get; init; } = "";

    /// <summary>进入区域时刻.</summary>
    public DateTimeOffset? AreaEnterTime { get; init; }

    /// <summary>基站编码.</summary>
    public string StationCode { get; init; } = "";

    /// <summary>进入基站时刻.</summary>
    public DateTimeOffset? StationEnterTime { get; init; }

    /// <summary>劳动组织方式.</summary>
    public string WorkOrganization { get; init; } = "";

    /// <summary>距基站距离 in metres, signed (which side of the station).</summary>
    public double? DistanceToStation { get; init; }

    /// <summary>工作状态, verbatim.</summary>
    public string WorkStatus { get; init; } = "";

    /// <summary>是否矿领导.</summary>
    public bool? IsMineLeader { get; init; }

    /// <summary>是否特种人员.</summary>
    public bool? IsSpecialWorker { get; init; }

    /// <summary>行进轨迹, verbatim.</summary>
    public string Track { get; init; } = "";
}

/// <summary>RYSS 人员实时. Header <c>煤矿编码;煤矿名称;上传时间</c>.</summary>
public sealed class RyssFormat : FeedFormat<RyssPosition>
{
    internal RyssFormat()
        : base(
            FeedType.Ryss,
            FeedFormats.BasicHeader,
            ["卡号", "姓名", "出入井标志", "入井时刻", "出井时刻", "区域编码", "进入区域时刻", "基站编码", "进入基站时刻", "劳动组织方式", "距基站距离", "工作状态", "是否矿领导", "是否特种人员", "行进轨迹"])
    {
    }

    internal override RyssPosition ParseRecord(ref RecordParser p) => new()
    {
        CardNumber = p.Code(),
        Name = p.Text(),
        InOutFlag = p.Choice([0, 1, 2], "0、1 或 2"),
        InTime = p.OptionalTime(),
        OutTime = p.OptionalTime(),
        AreaCode = p.Text(),
        AreaEnterTime = p.OptionalTime(),
        StationCode = p.Text(),
        StationEnterTime = p.OptionalTime(),
        WorkOrganization = p.Text(),
        DistanceToStation = p.OptionalNumber(),
        WorkStatus = p.Text(),
        IsMineLeader = p.OptionalFlag(),
        IsSpecialWorker = p.OptionalFlag(),
        Track = p.Text(),
    };

    internal override void WriteRecord(FieldWriter w, RyssPosition r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.InOutFlag > 2)
        {
            throw new ArgumentException($"出入井标志 {r.InOutFlag} 应为 0、1 或 2", nameof(r));
        }

        w.Code(r.CardNumber);
        w.Text(r.Name);
        w.Integer(r.InOutFlag);
        w.Time(r.InTime);
        w.Time(r.OutTime);
        w.Text(r.AreaCode);
        w.Time(r.AreaEnterTime);
        w.Text(r.StationCode);
        w.Time(r.StationEnterTime);
        w.Text(r.WorkOrganization);
        w.Number(r.DistanceToStation);
        w.Text(r.WorkStatus);
        w.Flag(r.IsMineLeader);
        w.Flag(r.IsSpecialWorker);
        w.Text(r.Track);
    }
}
