namespace MineRisk.Feeds;

/// <summary>
/// The first segment of every file: <c>煤矿编码;煤矿名称;…;上传时间</c>. Types differ only in the fields between
/// the name and the upload time (<see cref="Details"/>): none for CDSS, YCBJ, TJSJ, RYQY, RYSS, JZSS;
/// 系统型号, 系统名称, 生产厂家, 日期 for CDDY; five vendor fields for RYXX. See <see cref="FeedFormat.HeaderFieldNames"/>.
/// </summary>
/// <param name="MineCode">煤矿编码: 12 digits (11 for older codes).</param>
/// <param name="MineName">煤矿名称.</param>
/// <param name="UploadTime">上传时间, China time.</param>
public sealed record FeedHeader(string MineCode, string MineName, DateTimeOffset UploadTime)
{
    /// <summary>The fields between 煤矿名称 and 上传时间, verbatim (trimmed). Empty for most types.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];

    /// <inheritdoc/>
    public bool Equals(FeedHeader? other) =>
        other is not null
        && MineCode == other.MineCode
        && MineName == other.MineName
        && UploadTime.Equals(other.UploadTime)
        && Details.SequenceEqual(other.Details);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(MineCode, MineName, UploadTime, Details.Count);
}
