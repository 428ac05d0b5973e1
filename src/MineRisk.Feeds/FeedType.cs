namespace MineRisk.Feeds;

/// <summary>The upload file types of DOMAIN §8 (煤安监办〔2019〕42号, MT/T 1201-2023).</summary>
public enum FeedType
{
    /// <summary>CDDY 测点定义.</summary>
    Cddy = 1,

    /// <summary>CDSS 实时数据.</summary>
    Cdss,

    /// <summary>YCBJ 异常报警.</summary>
    Ycbj,

    /// <summary>TJSJ 统计数据.</summary>
    Tjsj,

    /// <summary>RYQY 区域定义.</summary>
    Ryqy,

    /// <summary>RYXX 人员信息.</summary>
    Ryxx,

    /// <summary>RYSS 人员实时.</summary>
    Ryss,

    /// <summary>JZSS 基站状态.</summary>
    Jzss,
}

/// <summary>Codes and zh-CN names of <see cref="FeedType"/>.</summary>
public static class FeedTypes
{
    /// <summary>All types, in the order of DOMAIN §8.</summary>
    public static IReadOnlyList<FeedType> All { get; } =
        [FeedType.Cddy, FeedType.Cdss, FeedType.Ycbj, FeedType.Tjsj, FeedType.Ryqy, FeedType.Ryxx, FeedType.Ryss, FeedType.Jzss];

    /// <summary>The four-letter code used in file names, e.g. "CDSS".</summary>
    public static string Code(this FeedType type) => type switch
    {
        FeedType.Cddy => "CDDY",
        FeedType.Cdss => "CDSS",
        FeedType.Ycbj => "YCBJ",
        FeedType.Tjsj => "TJSJ",
        FeedType.Ryqy => "RYQY",
        FeedType.Ryxx => "RYXX",
        FeedType.Ryss => "RYSS",
        FeedType.Jzss => "JZSS",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>The zh-CN name, e.g. "实时数据".</summary>
    public static string DisplayName(this FeedType type) => type switch
    {
        FeedType.Cddy => "测点定义",
        FeedType.Cdss => "实时数据",
        FeedType.Ycbj => "异常报警",
        FeedType.Tjsj => "统计数据",
        FeedType.Ryqy => "区域定义",
        FeedType.Ryxx => "人员信息",
        FeedType.Ryss => "人员实时",
        FeedType.Jzss => "基站状态",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
    };

    /// <summary>Parses a file-name type code. Case-insensitive: vendors differ and case does not change meaning.</summary>
    public static bool TryParseCode(ReadOnlySpan<char> code, out FeedType type)
    {
        foreach (var candidate in All)
        {
            if (code.Equals(candidate.Code(), StringComparison.OrdinalIgnoreCase))
            {
                type = candidate;
                return true;
            }
        }

        type = default;
        return false;
    }
}
