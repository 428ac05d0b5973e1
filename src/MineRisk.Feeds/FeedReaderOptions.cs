namespace MineRisk.Feeds;

/// <summary>
/// The few reader settings that differ between vendors (DOMAIN §8: "keep the format a per-mine setting").
/// The defaults are the documented tolerance decisions of docs/FEEDS.md.
/// </summary>
public sealed record FeedReaderOptions
{
    /// <summary>The defaults.</summary>
    public static FeedReaderOptions Default { get; } = new();

    /// <summary>
    /// When false (default), fields after the last defined one are ignored: vendors and newer revisions append
    /// fields at the end, and the defined fields keep their positions and meaning. When true they are an error.
    /// </summary>
    public bool RejectExtraFields { get; init; }

    /// <summary>
    /// When false (default), an empty CDSS 测点状态 is an error: a status changes what a reading means and we do
    /// not guess. A mine whose system leaves it empty for normal readings can be set to true, which reads it as 正常.
    /// </summary>
    public bool EmptyStatusIsNormal { get; init; }

    /// <summary>
    /// When true (default), a CDSS reading's 传感器类型名称, 安装位置 and 单位 are read. A reader that describes each point
    /// by its CDDY (the platform's intake) can set false: they are then empty strings and cost nothing; every other field
    /// is read and checked as always, and the file must still be UTF-8 throughout.
    /// </summary>
    public bool CdssDescriptions { get; init; } = true;

    /// <summary>Longest accepted record in bytes (default 1 MiB); bounds memory on garbage without '~'.</summary>
    public int MaxRecordBytes { get; init; } = 1 << 20;

    /// <summary>Bytes read from a stream at a time (default 64 KiB).</summary>
    public int StreamBufferSize { get; init; } = 64 * 1024;

    /// <summary>Where text fields are interned; null allocates a new string per field.</summary>
    public FeedStringCache? StringCache { get; init; } = FeedStringCache.Shared;
}
