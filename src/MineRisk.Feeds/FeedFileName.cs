using System.Diagnostics.CodeAnalysis;
using MineRisk.Feeds.Parsing;

namespace MineRisk.Feeds;

/// <summary>
/// A feed file name <c>{煤矿编码}_{TYPE}_{yyyyMMddHHmmss}.txt</c>, e.g. <c>530381000123_CDSS_20250301083000.txt</c>.
/// The mine code has 12 digits, or 11 for older codes still in use; the timestamp is China time.
/// </summary>
/// <param name="MineCode">煤矿编码, 11 or 12 ASCII digits.</param>
/// <param name="Type">The file type.</param>
/// <param name="Timestamp">The name's timestamp, China time (+08:00), whole seconds.</param>
public readonly record struct FeedFileName(string MineCode, FeedType Type, DateTimeOffset Timestamp)
{
    /// <summary>Parses <paramref name="fileName"/> (a bare name, not a path).</summary>
    /// <exception cref="FeedFormatException">Kind <see cref="FeedErrorKind.InvalidFileName"/> or <see cref="FeedErrorKind.UnknownType"/>.</exception>
    public static FeedFileName Parse(string fileName)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        if (TryParseCore(fileName, out var result, out var error))
        {
            return result;
        }

        throw new FeedFormatException(error);
    }

    /// <summary>Parses without throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? fileName, out FeedFileName result)
    {
        if (fileName is null)
        {
            result = default;
            return false;
        }

        return TryParseCore(fileName, out result, out _);
    }

    /// <summary>The canonical name: upper-case type, lower-case ".txt", timestamp in China time.</summary>
    public override string ToString() => Format(MineCode, Type, Timestamp);

    /// <summary>Builds a canonical file name.</summary>
    public static string Format(string mineCode, FeedType type, DateTimeOffset timestamp)
    {
        if (!MineCodes.IsValid(mineCode))
        {
            throw new ArgumentException($"煤矿编码「{mineCode}」应为 11 或 12 位数字", nameof(mineCode));
        }

        return $"{mineCode}_{type.Code()}_{timestamp.ToChinaTime():yyyyMMddHHmmss}.txt";
    }

    private static bool TryParseCore(string fileName, out FeedFileName result, out FeedError error)
    {
        result = default;
        var name = fileName.AsSpan();
        var bad = new FeedError(
            FeedErrorKind.InvalidFileName, fileName, null, null,
            $"文件名「{FeedText.Quote(fileName)}」不符合「煤矿编码_类型_yyyyMMddHHmmss.txt」", null);
        error = bad;

        // Extension: ".TXT" is seen from Windows-based vendors; the case does not change meaning.
        if (!name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        name = name[..^4];
        int first = name.IndexOf('_');
        int last = name.LastIndexOf('_');
        if (first <= 0 || last == first)
        {
            return false;
        }

        var code = name[..first];
        var typeCode = name[(first + 1)..last];
        var stamp = name[(last + 1)..];
        if (!MineCodes.IsValid(code))
        {
            error = bad with { Reason = $"文件名中的煤矿编码「{FeedText.Quote(code.ToString())}」应为 11 或 12 位数字" };
            return false;
        }

        if (stamp.Length != 14 || !Ascii.IsDigits(stamp) || !TryParseStamp(stamp, out var timestamp))
        {
            error = bad with { Reason = $"文件名中的时间「{FeedText.Quote(stamp.ToString())}」不是有效的 yyyyMMddHHmmss" };
            return false;
        }

        if (!FeedTypes.TryParseCode(typeCode, out var type))
        {
            error = bad with
            {
                Kind = FeedErrorKind.UnknownType,
                Reason = $"未知的文件类型「{FeedText.Quote(typeCode.ToString())}」，应为 CDDY、CDSS、YCBJ、TJSJ、RYQY、RYXX、RYSS 或 JZSS",
            };
            return false;
        }

        result = new FeedFileName(code.ToString(), type, timestamp);
        return true;
    }

    private static bool TryParseStamp(ReadOnlySpan<char> s, out DateTimeOffset value)
    {
        static int N(ReadOnlySpan<char> digits)
        {
            int value = 0;
            foreach (char c in digits)
            {
                value = (value * 10) + (c - '0');
            }

            return value;
        }

        int year = N(s[..4]), month = N(s[4..6]), day = N(s[6..8]);
        int hour = N(s[8..10]), minute = N(s[10..12]), second = N(s[12..14]);
        return Utf8Time.TryCompose(year, month, day, hour, minute, second, 0, out value);
    }
}
