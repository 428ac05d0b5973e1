using System.Globalization;

namespace MineRisk.Feeds.Parsing;

/// <summary>
/// Parses decimal numbers straight from UTF-8 bytes. Grammar: <c>[+-]? (d+ [. d*]? | . d+) ([eE] [+-]? d+)?</c>;
/// no NaN, Infinity, thousands separators, hex or decimal commas. The common short forms take Clinger's
/// exact fast path (an integer below 2^53 times or divided by an exact power of ten is correctly rounded);
/// everything else goes to <see cref="double.TryParse(ReadOnlySpan{byte}, NumberStyles, IFormatProvider?, out double)"/>,
/// so results are always identical to <see cref="double.Parse(string, IFormatProvider?)"/>.
/// </summary>
internal static class Utf8Number
{
    private static readonly double[] PowersOf10 =
    [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];

    public enum Result
    {
        Ok,
        NotANumber,
        OutOfRange,
    }

    public static Result TryParse(ReadOnlySpan<byte> s, out double value)
    {
        value = 0;
        int i = 0, n = s.Length;
        if (n == 0)
        {
            return Result.NotANumber;
        }

        bool negative = false;
        if (s[0] is (byte)'+' or (byte)'-')
        {
            negative = s[0] == (byte)'-';
            i = 1;
        }

        ulong mantissa = 0;
        int significant = 0, scale = 0;
        bool anyDigit = false, exact = true;

        for (; i < n; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
            {
                break;
            }

            anyDigit = true;
            if (significant < 19)
            {
                mantissa = (mantissa * 10) + d;
                if (mantissa != 0)
                {
                    significant++;
                }
            }
            else
            {
                scale++;
                exact = false;
            }
        }

        if (i < n && s[i] == (byte)'.')
        {
            for (i++; i < n; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9)
                {
                    break;
                }

                anyDigit = true;
                if (significant < 19)
                {
                    mantissa = (mantissa * 10) + d;
                    scale--;
                    if (mantissa != 0)
                    {
                        significant++;
                    }
                }
                else
                {
                    exact = false;
                }
            }
        }

        if (!anyDigit)
        {
            return Result.NotANumber;
        }

        int exponent = 0;
        if (i < n && (s[i] | 0x20) == (byte)'e')
        {
            i++;
            bool negativeExponent = false;
            if (i < n && s[i] is (byte)'+' or (byte)'-')
            {
                negativeExponent = s[i] == (byte)'-';
                i++;
            }

            int start = i;
            for (; i < n; i++)
            {
                uint d = (uint)(s[i] - '0');
                if (d > 9)
                {
                    break;
                }

                if (exponent < 100_000)
                {
                    exponent = (exponent * 10) + (int)d;
                }
            }

            if (i == start)
            {
                return Result.NotANumber;
            }

            if (negativeExponent)
            {
                exponent = -exponent;
            }
        }

        if (i != n)
        {
            return Result.NotANumber;
        }

        int power = exponent + scale;
        if (exact && significant <= 15 && power is >= -22 and <= 22)
        {
            double m = mantissa;
            value = power < 0 ? m / PowersOf10[-power] : m * PowersOf10[power];
            if (negative)
            {
                value = -value;
            }

            return Result.Ok;
        }

        const NumberStyles Style = NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent;
        if (!double.TryParse(s, Style, CultureInfo.InvariantCulture, out value))
        {
            return Result.NotANumber;
        }

        return double.IsFinite(value) ? Result.Ok : Result.OutOfRange;
    }

    public static Result TryParseInteger(ReadOnlySpan<byte> s, out long value)
    {
        value = 0;
        int i = 0;
        bool negative = false;
        if (s.Length > 0 && s[0] is (byte)'+' or (byte)'-')
        {
            negative = s[0] == (byte)'-';
            i = 1;
        }

        if (i == s.Length)
        {
            return Result.NotANumber;
        }

        for (; i < s.Length; i++)
        {
            uint d = (uint)(s[i] - '0');
            if (d > 9)
            {
                return Result.NotANumber;
            }

            if (value > 100_000_000_000L)
            {
                // Keep scanning so "12x" is still "not a number", but the value is already out of any range.
                value = long.MaxValue / 2;
                continue;
            }

            value = (value * 10) + d;
        }

        if (negative)
        {
            value = -value;
        }

        return Result.Ok;
    }
}
