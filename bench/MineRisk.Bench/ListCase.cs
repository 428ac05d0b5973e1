using System.Globalization;

namespace MineRisk.Bench;

/// <summary>One list query of the benchmark: the query string sent to <c>GET /api/v1/mines</c>.</summary>
public sealed record ListCase(string Name, string Query)
{
    /// <summary>The queries of issue 3's performance line, at national scale (4,300 mines).</summary>
    public static readonly IReadOnlyList<ListCase> All =
    [
        new("no filter", ""),
        new("county 530325", "regionCode=530325"),
        new("status=producing", "status=producing"),
        new("q=煤矿 (text)", "q=" + Uri.EscapeDataString("煤矿")),
        new("capacity 30–90", "minCapacity=30&maxCapacity=90"),
        new("sort=capacity", "sort=capacity"),
        new("page 50", "page=50"),
        new("pageSize=200", "pageSize=200"),
        new("city+filters+sort", "regionCode=530300&status=producing&gasLevel=outburst&minCapacity=30&sort=capacity"),
    ];

    public MineFilter Filter => MineFilter.Parse(Query);
}

/// <summary>
/// The query string parsed the way the app reads it (MineListRequest, MineQuery, Paging), so that the raw SQL gets
/// the same values as the API.
/// </summary>
public sealed record MineFilter(
    string? RegionCode, int? Status, int? Disposition, int? GasLevel, double? MinCapacity, double? MaxCapacity, string? Q, string? Sort,
    int Page, int PageSize)
{
    private static readonly string[] Statuses =
        ["producing", "underConstruction", "suspendedForRectification", "constructionHalted", "technicalUpgrade", "longIdle", "closed"];

    private static readonly string[] Dispositions = ["retain", "merge", "closeExit"];

    private static readonly string[] GasLevels = ["low", "high", "outburst"];

    public int Skip => (Page - 1) * PageSize;

    public static MineFilter Parse(string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.OrdinalIgnoreCase);
        string? Text(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        double? Number(string key) => Text(key) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : null;
        int? Enum(string key, string[] names) => Text(key) is { } v
            ? Array.FindIndex(names, n => n.Equals(v, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i + 1 : throw new ArgumentException($"{key}={v}")
            : null;
        var page = Text("page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        var size = Text("pageSize") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 20;
        return new MineFilter(Text("regionCode"), Enum("status", Statuses), Enum("disposition", Dispositions), Enum("gasLevel", GasLevels),
            Number("minCapacity"), Number("maxCapacity"), Text("q"), Text("sort"), Math.Max(1, page), Math.Clamp(size, 1, 200));
    }
}

/// <summary>
/// What the caller may see, as the app's query filter applies it: region codes in [Low, High), optionally one
/// enterprise (a copy of RegionCodes.Prefix/UpperBound in src/MineRisk.Web/Platform/Regions/Region.cs).
/// </summary>
public sealed record Scope(string Low, string High, long? EnterpriseId)
{
    /// <summary>Every region: the query filters put no bound on region codes (UserScope.AllRegions).</summary>
    public bool AllRegions => Low.Length == 0 && High == "~";

    public static Scope ForRegion(string regionCode, long? enterpriseId)
    {
        if (enterpriseId is not null)
        {
            return new Scope("", "~", enterpriseId);
        }

        var prefix = Prefix(regionCode);
        return new Scope(prefix, UpperBound(prefix), null);
    }

    public static string Prefix(string code) => code switch
    {
        "100000" => "",
        { Length: 6 } when code.EndsWith("0000", StringComparison.Ordinal) => code[..2],
        { Length: 6 } when code.EndsWith("00", StringComparison.Ordinal) => code[..4],
        _ => code,
    };

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
}
