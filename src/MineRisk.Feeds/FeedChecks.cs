using MineRisk.Feeds.Parsing;

namespace MineRisk.Feeds;

/// <summary>
/// Intake checks beyond the layout (DOMAIN §8 intake practice). They take what they compare against as
/// arguments (the sender's code, the current time from the app's <see cref="TimeProvider"/>): the library reads no clock.
/// </summary>
public static class FeedChecks
{
    /// <summary>The header's 煤矿编码 must equal the one in the file name.</summary>
    /// <exception cref="FeedFormatException">Kind <see cref="FeedErrorKind.MineCodeMismatch"/>.</exception>
    public static void EnsureMineCodeMatchesFileName(FeedHeader header, FeedFileName name, string fileName)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.MineCode != name.MineCode)
        {
            throw Mismatch(fileName, $"文件头煤矿编码「{FeedText.Quote(header.MineCode)}」与文件名中的「{name.MineCode}」不一致");
        }
    }

    /// <summary>The header's 煤矿编码 must be the mine the upload key belongs to.</summary>
    /// <exception cref="FeedFormatException">Kind <see cref="FeedErrorKind.MineCodeMismatch"/>.</exception>
    public static void EnsureMineCodeIs(FeedHeader header, string expectedMineCode, string fileName)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.MineCode != expectedMineCode)
        {
            throw Mismatch(fileName, $"文件头煤矿编码「{FeedText.Quote(header.MineCode)}」不是上传单位的煤矿编码「{FeedText.Quote(expectedMineCode)}」");
        }
    }

    /// <summary>The header's 上传时间 must not be later than <paramref name="now"/> plus <paramref name="tolerance"/> (clock skew).</summary>
    /// <exception cref="FeedFormatException">Kind <see cref="FeedErrorKind.FutureTime"/>.</exception>
    public static void EnsureNotInFuture(FeedHeader header, DateTimeOffset now, TimeSpan tolerance, string fileName)
    {
        ArgumentNullException.ThrowIfNull(header);
        if (header.UploadTime > now + tolerance)
        {
            throw new FeedFormatException(new FeedError(
                FeedErrorKind.FutureTime,
                fileName,
                0,
                "上传时间",
                $"上传时间 {header.UploadTime:yyyy-MM-dd HH:mm:ss} 晚于当前时间 {now.ToChinaTime():yyyy-MM-dd HH:mm:ss} 超过 {tolerance.TotalMinutes:0.#} 分钟",
                null));
        }
    }

    private static FeedFormatException Mismatch(string fileName, string reason) =>
        new(new FeedError(FeedErrorKind.MineCodeMismatch, fileName, 0, "煤矿编码", reason, null));
}
