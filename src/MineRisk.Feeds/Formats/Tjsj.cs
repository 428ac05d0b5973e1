using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>TJSJ 统计数据, one point's statistics over a period (12 fields); sent about every 5 minutes.</summary>
public sealed record TjsjStatistics
{
    /// <summary>测点编码.</summary>
    public required string PointCode { get; init; }

    /// <summary>类型名称.</summary>
    public string SensorTypeName { get; init; } = "";

    /// <summary>位置.</summary>
    public string Location { get; init; } = "";

    /// <summary>单位.</summary>
    public string Unit { get; init; } = "";

    /// <summary>开始 (required).</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>结束 (required: a statistic covers a closed period).</summary>
    public required DateTimeOffset EndTime { get; init; }

    /// <summary>最大值.</summary>
    public double? MaxValue { get; init; }

    /// <summary>最大时刻.</summary>
    public DateTimeOffset? MaxTime { get; init; }

    /// <summary>最小值.</summary>
    public double? MinValue { get; init; }

    /// <summary>最小时刻.</summary>
    public DateTimeOffset? MinTime { get; init; }

    /// <summary>平均值.</summary>
    public double? AverageValue { get; init; }

    /// <summary>数据时间.</summary>
    public required DateTimeOffset DataTime { get; init; }
}

/// <summary>TJSJ 统计数据. Header <c>煤矿编码;煤矿名称;上传时间</c>.</summary>
public sealed class TjsjFormat : FeedFormat<TjsjStatistics>
{
    internal TjsjFormat()
        : base(
            FeedType.Tjsj,
            FeedFormats.BasicHeader,
            ["测点编码", "类型名称", "位置", "单位", "开始", "结束", "最大值", "最大时刻", "最小值", "最小时刻", "平均值", "数据时间"])
    {
    }

    internal override TjsjStatistics ParseRecord(ref RecordParser p) => new()
    {
        PointCode = p.Code(),
        SensorTypeName = p.Text(),
        Location = p.Text(),
        Unit = p.Text(),
        StartTime = p.Time(),
        EndTime = p.Time(),
        MaxValue = p.OptionalNumber(),
        MaxTime = p.OptionalTime(),
        MinValue = p.OptionalNumber(),
        MinTime = p.OptionalTime(),
        AverageValue = p.OptionalNumber(),
        DataTime = p.Time(),
    };

    internal override void WriteRecord(FieldWriter w, TjsjStatistics r)
    {
        ArgumentNullException.ThrowIfNull(r);
        w.Code(r.PointCode);
        w.Text(r.SensorTypeName);
        w.Text(r.Location);
        w.Text(r.Unit);
        w.Time(r.StartTime);
        w.Time(r.EndTime);
        w.Number(r.MaxValue);
        w.Time(r.MaxTime);
        w.Number(r.MinValue);
        w.Time(r.MinTime);
        w.Number(r.AverageValue);
        w.Time(r.DataTime);
    }
}
