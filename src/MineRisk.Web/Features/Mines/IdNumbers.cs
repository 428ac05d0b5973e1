namespace MineRisk.Web.Features.Mines;

/// <summary>居民身份证号码 (GB 11643-1999): 18 characters, the last a check digit (ISO 7064 MOD 11-2).</summary>
public static class IdNumbers
{
    private static readonly int[] Weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    private const string CheckDigits = "10X98765432";

    public static bool IsValid(string id)
    {
        if (id.Length != 18 || !id[..17].All(char.IsAsciiDigit))
        {
            return false;
        }

        return char.ToUpperInvariant(id[17]) == CheckDigit(id[..17]);
    }

    public static char CheckDigit(string first17)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += (first17[i] - '0') * Weights[i];
        }

        return CheckDigits[sum % 11];
    }
}
