using System.ComponentModel.DataAnnotations;

namespace MineRisk.Web.Platform.Regions;

public enum RegionLevel
{
    [Display(Name = "全国")] Nation = 0,
    [Display(Name = "省")] Province = 1,
    [Display(Name = "市")] City = 2,
    [Display(Name = "县(区)")] County = 3,
    [Display(Name = "乡镇(街道)")] Township = 4,
}

/// <summary>
/// A node of the administrative region tree 省 → 市 → 县(区) → 乡镇(街道), keyed by its GB/T 2260 code
/// (6 digits for 省/市/县; 9 digits for 乡镇, GB/T 10114). The root 100000 stands for the whole country.
/// </summary>
[System.ComponentModel.DisplayName("行政区划")]
public sealed class Region
{
    public required string Code { get; init; }

    public required string Name { get; set; }

    public RegionLevel Level { get; init; }

    public string? ParentCode { get; init; }

    public Region? Parent { get; init; }

    /// <summary>The full name from the province down, e.g. 云南省曲靖市麒麟区.</summary>
    public string? FullName { get; set; }
}

/// <summary>Rules of GB/T 2260 codes, used for jurisdiction: a region's subtree is a code range.</summary>
public static class RegionCodes
{
    /// <summary>The code of the root region (the whole country), not part of GB/T 2260.</summary>
    public const string Nation = "100000";

    /// <summary>
    /// The prefix shared by a region and everything below it: 530000 (省) → "53", 530300 (市) → "5303",
    /// 530302 (县) → "530302", 530302101 (乡镇) → itself; the nation → "".
    /// </summary>
    public static string Prefix(string code)
    {
        if (code == Nation)
        {
            return "";
        }

        if (code.Length == 6)
        {
            if (code.EndsWith("0000", StringComparison.Ordinal))
            {
                return code[..2];
            }

            if (code.EndsWith("00", StringComparison.Ordinal))
            {
                return code[..4];
            }
        }

        return code;
    }

    /// <summary>The smallest string above every code that starts with <paramref name="prefix"/> (digits only).</summary>
    public static string UpperBound(string prefix)
    {
        if (prefix.Length == 0)
        {
            return "~";
        }

        var chars = prefix.ToCharArray();
        for (var i = chars.Length - 1; i >= 0; i--)
        {
            if (chars[i] < '9')
            {
                chars[i]++;
                return new string(chars, 0, i + 1);
            }
        }

        return prefix + "~";
    }

    public static RegionLevel LevelOf(string code) => code switch
    {
        Nation => RegionLevel.Nation,
        { Length: 6 } when code.EndsWith("0000", StringComparison.Ordinal) => RegionLevel.Province,
        { Length: 6 } when code.EndsWith("00", StringComparison.Ordinal) => RegionLevel.City,
        { Length: 6 } => RegionLevel.County,
        _ => RegionLevel.Township,
    };

    /// <summary>A well-formed code: 6, 9 or 12 digits.</summary>
    public static bool IsWellFormed(string? code) =>
        code is { Length: 6 or 9 or 12 } && code.All(char.IsAsciiDigit);

    /// <summary>True when <paramref name="code"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsWithin(string code, string ancestor)
    {
        var prefix = Prefix(ancestor);
        return code.StartsWith(prefix, StringComparison.Ordinal);
    }
}
