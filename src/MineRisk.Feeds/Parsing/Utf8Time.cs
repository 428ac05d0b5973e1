namespace MineRisk.Feeds.Parsing;

/// <summary>
/// Parses China wall-clock times from UTF-8: <c>yyyy-MM-dd HH:mm:ss</c> (the standard) and the variants
/// vendors send that mean the same: '/' as date separator, 'T' as date/time separator, month, day, hour,
/// minute and second with one digit (zh-CN <c>DateTime.ToString()</c> writes <c>2025/3/1 8:30:00</c>),
/// and a fraction of a second of 1–7 digits. No time-zone suffix: the files are China time by definition.
/// </summary>
internal static class Utf8Time
{
    /// <summary>Years outside this range are vendor placeholders or garbage, not monitoring times.</summary>
    public const int MinYear = 1900;

    public const int MaxYear = 2199;

    /// <summary>Caches the ticks of the last date seen: every record of a file usually has the same date.</summary>
    public struct DateCache
    {
        internal int Key;
        internal long Ticks;
    }

    public static bool TryParse(ReadOnlySpan<byte> s, ref DateCache cache, out DateTimeOffset value)
    {
        value = default;
        int i = 0;
        if (!Number(s, ref i, 4, 4, out int year))
        {
            return false;
        }

        if (i >= s.Length || s[i] is not ((byte)'-' or (byte)'/'))
        {
            return false;
        }

        byte dateSeparator = s[i++];
        if (!Number(s, ref i, 1, 2, out int month) || i >= s.Length || s[i++] != dateSeparator)
        {
            return false;
        }

        if (!Number(s, ref i, 1, 2, out int day) || i >= s.Length || s[i++] is not ((byte)' ' or (byte)'T'))
        {
            return false;
        }

        if (!Number(s, ref i, 1, 2, out int hour) || i >= s.Length || s[i++] != (byte)':')
        {
            return false;
        }

        if (!Number(s, ref i, 1, 2, out int minute) || i >= s.Length || s[i++] != (byte)':')
        {
            return false;
        }

        if (!Number(s, ref i, 1, 2, out int second))
        {
            return false;
        }

        long fractionTicks = 0;
        if (i < s.Length && s[i] == (byte)'.')
        {
            i++;
            int start = i;
            if (!Number(s, ref i, 1, 7, out int fraction))
            {
                return false;
            }

            fractionTicks = fraction;
            for (int digits = i - start; digits < 7; digits++)
            {
                fractionTicks *= 10;
            }
        }

        if (i != s.Length)
        {
            return false;
        }

        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        int key = (year * 10_000) + (month * 100) + day;
        if (key != cache.Key)
        {
            if (day > DateTime.DaysInMonth(year, month))
            {
                return false;
            }

            cache.Ticks = new DateTime(year, month, day).Ticks;
            cache.Key = key;
        }

        long ticks = cache.Ticks + (hour * TimeSpan.TicksPerHour) + (minute * TimeSpan.TicksPerMinute)
            + (second * TimeSpan.TicksPerSecond) + fractionTicks;
        value = new DateTimeOffset(ticks, ChinaTime.Offset);
        return true;
    }

    public static bool TryCompose(int year, int month, int day, int hour, int minute, int second, long fractionTicks, out DateTimeOffset value)
    {
        value = default;
        if (year is < MinYear or > MaxYear || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        value = new DateTimeOffset(new DateTime(year, month, day, hour, minute, second).Ticks + fractionTicks, ChinaTime.Offset);
        return true;
    }

    private static bool Number(ReadOnlySpan<byte> s, ref int i, int minDigits, int maxDigits, out int value)
    {
        value = 0;
        int start = i;
        while (i < s.Length && i - start < maxDigits)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
            {
                break;
            }

            value = (value * 10) + (int)d;
            i++;
        }

        return i - start >= minDigits;
    }
}
