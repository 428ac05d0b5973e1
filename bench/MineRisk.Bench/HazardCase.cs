using System.Globalization;
using MineRisk.Web.Features.Hazards;

namespace MineRisk.Bench;

/// <summary>
/// One query of the hazard bench (bench/hazards.sh, issue 5): the ledger API (<c>GET /api/v1/hazards</c>, target p95
/// ≤ 100 ms and ≤ 2× raw SQL) or the statistics (<c>GET /api/v1/hazards/stats</c>, target ≤ 300 ms). Placeholders:
/// <c>{mine}</c> the mine with the most hazards, <c>{number}</c> a hazard number of the newest month, <c>{from}</c> the
/// first day of the month three months ago, <c>{to}</c> the last day of the month before the current one,
/// <c>{year}</c> the first day of the month eleven months ago (the stats' own default period).
/// </summary>
public sealed record HazardCase(bool Stats, string Name, string Query)
{
    /// <summary>The demo city (曲靖) and one of its counties (麒麟区), which have demo accounts.</summary>
    public const string City = "530300";

    public const string County = "530302";

    public static readonly IReadOnlyList<HazardCase> All =
    [
        new(false, "no filter (newest)", ""),
        new(false, "county, open", $"regionCode={County}&open=true"),
        new(false, "overdue", "overdue=true"),
        new(false, "county, overdue", $"regionCode={County}&overdue=true"),
        new(false, "level=major", "level=major"),
        new(false, "listed (挂牌督办)", "listed=true"),
        new(false, "a mine's", "mineId={mine}"),
        new(false, "a period (3 months)", "from={from}&to={to}"),
        new(false, "city, period, category", $"regionCode={City}&from={{from}}&to={{to}}&category=" + Uri.EscapeDataString("瓦斯")),
        new(false, "state=awaitingVerification", "state=awaitingVerification"),
        new(false, "source=selfCheck", "source=selfCheck"),
        new(false, "page 100", "page=100"),
        new(false, "q=number", "q={number}"),
        new(false, "q=text (顶板)", "q=" + Uri.EscapeDataString("顶板")),
        new(false, "q=text (顶板), county", $"regionCode={County}&q=" + Uri.EscapeDataString("顶板")),
        new(false, "q=text (顶板), open", "open=true&q=" + Uri.EscapeDataString("顶板")),
        new(false, "q=3 characters (防跑车)", "q=" + Uri.EscapeDataString("防跑车")),
        new(false, "q=text nowhere (冒顶事故)", "q=" + Uri.EscapeDataString("冒顶事故")),
        new(true, "county, 12 months", $"regionCode={County}"),
        new(true, "city, 12 months", $"regionCode={City}"),
        new(true, "jurisdiction, 12 months", ""),
    ];

    public string Path => Stats ? "api/v1/hazards/stats" : "api/v1/hazards";

    /// <summary>A text search (not a whole number): its statements read the search index and candidates, and the count is
    /// made in the app (HazardSearch), so the raw replay has no count of its own to compare; API and EF are compared.</summary>
    public bool Searches => Query.Contains("q=", StringComparison.Ordinal) && !Query.Contains("{number}", StringComparison.Ordinal);

    public double TargetMs => Stats ? 300 : 100;

    public string Resolve(long mineId, string number, DateOnly today)
    {
        var month = new DateOnly(today.Year, today.Month, 1);
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return Query.Replace("{mine}", mineId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{number}", Uri.EscapeDataString(number), StringComparison.Ordinal)
            .Replace("{from}", Day(month.AddMonths(-3)), StringComparison.Ordinal)
            .Replace("{to}", Day(month.AddDays(-1)), StringComparison.Ordinal)
            .Replace("{year}", Day(month.AddMonths(-11)), StringComparison.Ordinal);
    }

    /// <summary>The query string as the API reads it (HazardQuery.Parse with the default categories, Paging; the stats' period).</summary>
    public static (HazardQuery Query, int Page, int PageSize) ParseList(string query)
    {
        var v = Values(query);
        string? Text(string key) => v.TryGetValue(key, out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;
        bool? Flag(string key) => Text(key) is { } s ? bool.Parse(s) : null;
        DateOnly? Date(string key) => Text(key) is { } s ? DateOnly.ParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
        var parsed = HazardQuery.Parse(Text("regionCode"), Text("mineId") is { } m ? long.Parse(m, CultureInfo.InvariantCulture) : null, Text("level"),
            Text("category"), Text("state"), Flag("open"), Flag("overdue"), Text("source"), Date("from"), Date("to"), Flag("listed"), Text("q"),
            HazardOptions.DefaultCategories);
        if (!parsed.TryGetValue(out var q, out var error))
        {
            throw new ArgumentException($"{query}: {error.Message}");
        }

        return (q, Text("page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1, Text("pageSize") is { } z ? int.Parse(z, CultureInfo.InvariantCulture) : 20);
    }

    public static (string? RegionCode, DateOnly From, DateOnly To) ParseStats(string query, DateOnly today)
    {
        var v = Values(query);
        var region = v.TryGetValue("regionCode", out var r) && r.Length > 0 ? r : null;
        var end = v.TryGetValue("to", out var t) ? DateOnly.ParseExact(t, "yyyy-MM-dd", CultureInfo.InvariantCulture) : today;
        var start = v.TryGetValue("from", out var f) ? DateOnly.ParseExact(f, "yyyy-MM-dd", CultureInfo.InvariantCulture) : new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
        return (region, start, end);
    }

    private static Dictionary<string, string> Values(string query) => query.Split('&', StringSplitOptions.RemoveEmptyEntries)
        .Select(pair => pair.Split('=', 2))
        .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.OrdinalIgnoreCase);
}
