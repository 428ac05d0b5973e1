using System.Text;

namespace MineRisk.Feeds.Parsing;

/// <summary>Formatting of raw values inside zh-CN error messages.</summary>
internal static class FeedText
{
    private const int MaxQuoted = 40;

    /// <summary>Shortens and makes control characters visible, so a garbage value cannot wreck a message.</summary>
    public static string Quote(string value)
    {
        var builder = new StringBuilder(Math.Min(value.Length, MaxQuoted) + 2);
        foreach (var rune in value.EnumerateRunes())
        {
            if (builder.Length >= MaxQuoted)
            {
                builder.Append('…');
                break;
            }

            if (Rune.IsControl(rune))
            {
                builder.Append($"\\x{rune.Value:X2}");
            }
            else
            {
                builder.Append(rune.ToString());
            }
        }

        return builder.ToString();
    }

    public static string Quote(ReadOnlySpan<byte> utf8) => Quote(Encoding.UTF8.GetString(utf8));
}
