namespace MineRisk.Feeds.Parsing;

internal static class Ascii
{
    public static bool IsDigits(ReadOnlySpan<char> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange('0', '9');

    public static bool IsDigits(ReadOnlySpan<byte> s) => !s.IsEmpty && !s.ContainsAnyExceptInRange((byte)'0', (byte)'9');

    /// <summary>Space, tab, CR, LF: the whitespace vendors put between records and around fields.</summary>
    public static bool IsWhite(byte b) => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';

    public static ReadOnlySpan<byte> WhiteBytes => " \t\r\n"u8;

    public static bool IsWhiteOnly(ReadOnlySpan<byte> s) => s.IndexOfAnyExcept(WhiteBytes) < 0;

    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        // Fast path: most fields have no surrounding whitespace.
        if (s.IsEmpty || (s[0] > (byte)' ' && s[^1] > (byte)' '))
        {
            return s;
        }

        return s.Trim(WhiteBytes);
    }
}

internal static class MineCodes
{
    /// <summary>12 digits, or 11 for older codes (DOMAIN §8: provinces vary).</summary>
    public static bool IsValid(ReadOnlySpan<char> code) => code.Length is 11 or 12 && Ascii.IsDigits(code);

    public static bool IsValid(ReadOnlySpan<byte> code) => code.Length is 11 or 12 && Ascii.IsDigits(code);
}
