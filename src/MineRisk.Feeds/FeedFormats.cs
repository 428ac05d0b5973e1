namespace MineRisk.Feeds;

/// <summary>The eight formats. Instances are immutable and thread-safe.</summary>
public static class FeedFormats
{
    internal static readonly string[] BasicHeader = ["煤矿编码", "煤矿名称", "上传时间"];

    /// <summary>CDDY 测点定义.</summary>
    public static CddyFormat Cddy { get; } = new();

    /// <summary>CDSS 实时数据.</summary>
    public static CdssFormat Cdss { get; } = new();

    /// <summary>YCBJ 异常报警.</summary>
    public static YcbjFormat Ycbj { get; } = new();

    /// <summary>TJSJ 统计数据.</summary>
    public static TjsjFormat Tjsj { get; } = new();

    /// <summary>RYQY 区域定义.</summary>
    public static RyqyFormat Ryqy { get; } = new();

    /// <summary>RYXX 人员信息.</summary>
    public static RyxxFormat Ryxx { get; } = new();

    /// <summary>RYSS 人员实时.</summary>
    public static RyssFormat Ryss { get; } = new();

    /// <summary>JZSS 基站状态.</summary>
    public static JzssFormat Jzss { get; } = new();

    /// <summary>The format of <paramref name="type"/>.</summary>
    public static FeedFormat For(FeedType type) => type switch
    {
        FeedType.Cddy => Cddy,
        FeedType.Cdss => Cdss,
        FeedType.Ycbj => Ycbj,
        FeedType.Tjsj => Tjsj,
        FeedType.Ryqy => Ryqy,
        FeedType.Ryxx => Ryxx,
        FeedType.Ryss => Ryss,
        FeedType.Jzss => Jzss,
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };
}
