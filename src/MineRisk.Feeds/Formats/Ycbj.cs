using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>YCBJ 异常类型 (DOMAIN §8): the code in the file is the number, zero-padded to three digits.</summary>
public enum AlarmKind : byte
{
    /// <summary>001 超限.</summary>
    OverLimit = 1,

    /// <summary>002 断电.</summary>
    PowerCut = 2,

    /// <summary>003 馈电异常.</summary>
    FeedbackAbnormal = 3,

    /// <summary>004 断线.</summary>
    Disconnected = 4,

    /// <summary>005 基站断电.</summary>
    StationPowerCut = 5,

    /// <summary>006 基站不通.</summary>
    StationUnreachable = 6,

    /// <summary>007 标校.</summary>
    Calibrating = 7,

    /// <summary>008 超量程.</summary>
    OverRange = 8,

    /// <summary>009 超上限预警.</summary>
    UpperWarning = 9,

    /// <summary>010 超下限预警.</summary>
    LowerWarning = 10,
}

/// <summary>
/// YCBJ 异常报警, one alarm (17 fields). An open alarm has no <see cref="EndTime"/> and is re-sent in later files
/// until it ends: deduplicate on <see cref="Identity"/>.
/// </summary>
public sealed record YcbjAlarm
{
    /// <summary>测点编码.</summary>
    public required string PointCode { get; init; }

    /// <summary>类型名称.</summary>
    public string SensorTypeName { get; init; } = "";

    /// <summary>位置.</summary>
    public string Location { get; init; } = "";

    /// <summary>单位.</summary>
    public string Unit { get; init; } = "";

    /// <summary>异常类型.</summary>
    public required AlarmKind Kind { get; init; }

    /// <summary>开始 (required).</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>结束; null while the alarm is still open.</summary>
    public DateTimeOffset? EndTime { get; init; }

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

    /// <summary>原因.</summary>
    public string Cause { get; init; } = "";

    /// <summary>措施.</summary>
    public string Measures { get; init; } = "";

    /// <summary>录入时间.</summary>
    public DateTimeOffset? EnteredAt { get; init; }

    /// <summary>录入人.</summary>
    public string EnteredBy { get; init; } = "";

    /// <summary>数据时间.</summary>
    public required DateTimeOffset DataTime { get; init; }

    /// <summary>True while 结束 is empty.</summary>
    public bool IsOpen => EndTime is null;

    /// <summary>What identifies one alarm across re-sends: point, kind and start.</summary>
    public (string PointCode, AlarmKind Kind, DateTimeOffset StartTime) Identity => (PointCode, Kind, StartTime);
}

/// <summary>YCBJ 异常报警. Header <c>煤矿编码;煤矿名称;上传时间</c>.</summary>
public sealed class YcbjFormat : FeedFormat<YcbjAlarm>
{
    internal YcbjFormat()
        : base(
            FeedType.Ycbj,
            FeedFormats.BasicHeader,
            ["测点编码", "类型名称", "位置", "单位", "异常类型", "开始", "结束", "最大值", "最大时刻", "最小值", "最小时刻", "平均值", "原因", "措施", "录入时间", "录入人", "数据时间"])
    {
    }

    internal override YcbjAlarm ParseRecord(ref RecordParser p) => new()
    {
        PointCode = p.Code(),
        SensorTypeName = p.Text(),
        Location = p.Text(),
        Unit = p.Text(),
        Kind = ParseKind(ref p),
        StartTime = p.Time(),
        EndTime = p.OptionalTime(),
        MaxValue = p.OptionalNumber(),
        MaxTime = p.OptionalTime(),
        MinValue = p.OptionalNumber(),
        MinTime = p.OptionalTime(),
        AverageValue = p.OptionalNumber(),
        Cause = p.Text(),
        Measures = p.Text(),
        EnteredAt = p.OptionalTime(),
        EnteredBy = p.Text(),
        DataTime = p.Time(),
    };

    internal override void WriteRecord(FieldWriter w, YcbjAlarm r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.Kind is < AlarmKind.OverLimit or > AlarmKind.LowerWarning)
        {
            throw new ArgumentException($"异常类型 {(int)r.Kind} 不在 001–010 之内", nameof(r));
        }

        w.Code(r.PointCode);
        w.Text(r.SensorTypeName);
        w.Text(r.Location);
        w.Text(r.Unit);
        w.Padded((int)r.Kind, 3);
        w.Time(r.StartTime);
        w.Time(r.EndTime);
        w.Number(r.MaxValue);
        w.Time(r.MaxTime);
        w.Number(r.MinValue);
        w.Time(r.MinTime);
        w.Number(r.AverageValue);
        w.Text(r.Cause);
        w.Text(r.Measures);
        w.Time(r.EnteredAt);
        w.Text(r.EnteredBy);
        w.Time(r.DataTime);
    }

    private static AlarmKind ParseKind(ref RecordParser p)
    {
        var raw = p.Next();
        if (raw.IsEmpty)
        {
            p.FailMissing();
        }

        // "001", "01" and "1" are the same code; "+1", "1.0" or "011" are not codes.
        if (raw.Length <= 3 && Ascii.IsDigits(raw))
        {
            int value = 0;
            foreach (byte b in raw)
            {
                value = (value * 10) + (b - '0');
            }

            if (value is >= 1 and <= 10)
            {
                return (AlarmKind)value;
            }
        }

        p.Fail(FeedErrorKind.InvalidValue, $"异常类型「{FeedText.Quote(raw)}」应为 001–010");
        return default;
    }
}
