using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>RYQY 区域定义, one area of the personnel-positioning system (4 fields).</summary>
public sealed record RyqyArea
{
    /// <summary>区域类型, verbatim (vendors use codes or words).</summary>
    public string AreaType { get; init; } = "";

    /// <summary>区域编码 (required; 16 characters in practice, length not enforced).</summary>
    public required string AreaCode { get; init; }

    /// <summary>核定人数; null when empty.</summary>
    public int? RatedCapacity { get; init; }

    /// <summary>区域名称.</summary>
    public string AreaName { get; init; } = "";
}

/// <summary>RYQY 区域定义. Header <c>煤矿编码;煤矿名称;上传时间</c>.</summary>
public sealed class RyqyFormat : FeedFormat<RyqyArea>
{
    internal RyqyFormat()
        : base(FeedType.Ryqy, FeedFormats.BasicHeader, ["区域类型", "区域编码", "核定人数", "区域名称"])
    {
    }

    internal override RyqyArea ParseRecord(ref RecordParser p) => new()
    {
        AreaType = p.Text(),
        AreaCode = p.Code(),
        RatedCapacity = p.OptionalInteger(0, 1_000_000),
        AreaName = p.Text(),
    };

    internal override void WriteRecord(FieldWriter w, RyqyArea r)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.RatedCapacity is < 0 or > 1_000_000)
        {
            throw new ArgumentException($"核定人数 {r.RatedCapacity} 超出范围 0–1000000", nameof(r));
        }

        w.Text(r.AreaType);
        w.Code(r.AreaCode);
        w.Integer(r.RatedCapacity);
        w.Text(r.AreaName);
    }
}
