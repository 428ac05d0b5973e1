using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>CDSS 测点状态: a bitmask (DOMAIN §8). 0 is 正常.</summary>
[Flags]
public enum PointStatus : byte
{
    /// <summary>正常.</summary>
    Normal = 0,

    /// <summary>报警.</summary>
    Alarm = 1,

    /// <summary>断电.</summary>
    PowerCut = 2,

    /// <summary>标校.</summary>
    Calibrating = 4,

    /// <summary>超量程.</summary>
    OverRange = 8,

    /// <summary>分站故障.</summary>
    SubstationFault = 16,

    /// <summary>不巡检.</summary>
    NotPolled = 32,

    /// <summary>暂停.</summary>
    Paused = 64,

    /// <summary>传感器故障.</summary>
    SensorFault = 128,
}

/// <summary>
/// CDSS 实时数据, one reading: <c>测点编码;传感器类型名称;安装位置;测点值;单位;测点状态;数据时间</c>.
/// A struct: the hot path of intake reads millions of these and should not allocate per reading.
/// </summary>
/// <param name="PointCode">测点编码 (required).</param>
/// <param name="SensorTypeName">传感器类型名称, e.g. 甲烷.</param>
/// <param name="Location">安装位置, e.g. 1301回采工作面回风隅角.</param>
/// <param name="Value">测点值; null when the field was empty (no value, never 0).</param>
/// <param name="Unit">单位, e.g. %CH4.</param>
/// <param name="Status">测点状态 bitmask.</param>
/// <param name="DataTime">数据时间, China time.</param>
public readonly record struct CdssReading(
    string PointCode,
    string SensorTypeName,
    string Location,
    double? Value,
    string Unit,
    PointStatus Status,
    DateTimeOffset DataTime);

/// <summary>CDSS 实时数据. Header <c>煤矿编码;煤矿名称;上传时间</c>.</summary>
public sealed class CdssFormat : FeedFormat<CdssReading>
{
    internal CdssFormat()
        : base(FeedType.Cdss, FeedFormats.BasicHeader, ["测点编码", "传感器类型名称", "安装位置", "测点值", "单位", "测点状态", "数据时间"])
    {
    }

    internal override CdssReading ParseRecord(ref RecordParser p)
    {
        var describe = p.Context.Options.CdssDescriptions;
        return new(
            p.Code(),
            describe ? p.Text() : p.Skip(),
            describe ? p.Text() : p.Skip(),
            p.OptionalNumber(),
            describe ? p.Text() : p.Skip(),
            ParseStatus(ref p),
            p.Time());
    }

    internal override void WriteRecord(FieldWriter w, CdssReading r)
    {
        w.Code(r.PointCode);
        w.Text(r.SensorTypeName);
        w.Text(r.Location);
        w.Number(r.Value);
        w.Text(r.Unit);
        w.Integer((byte)r.Status);
        w.Time(r.DataTime);
    }

    private static PointStatus ParseStatus(ref RecordParser p)
    {
        var raw = p.Next();
        if (raw.IsEmpty)
        {
            if (p.Context.Options.EmptyStatusIsNormal)
            {
                return PointStatus.Normal;
            }

            p.FailMissing();
        }

        if (Utf8Number.TryParseInteger(raw, out long value) != Utf8Number.Result.Ok)
        {
            p.Fail(FeedErrorKind.InvalidNumber, $"测点状态「{FeedText.Quote(raw)}」不是整数");
        }

        if (value is < 0 or > 255)
        {
            p.Fail(FeedErrorKind.InvalidValue, $"测点状态「{FeedText.Quote(raw)}」超出范围 0–255（8 位状态码）");
        }

        return (PointStatus)value;
    }
}
