using System.Globalization;

namespace MineRisk.Bench;

/// <summary>Which endpoint of the stability module a case calls.</summary>
public enum StabilityKind
{
    /// <summary><c>GET /api/v1/conflicts</c>: 不稳定因素台账 (target p95 ≤ 100 ms).</summary>
    Conflicts,

    /// <summary><c>GET /api/v1/assessments</c>: 一矿一评估 (target p95 ≤ 100 ms).</summary>
    Assessments,

    /// <summary><c>GET /api/v1/conflicts/summary</c>: 每月一汇总, county × category (target ≤ 300 ms).</summary>
    Monthly,

    /// <summary><c>GET /api/v1/stability/summary</c>: mines in scope by current grade (target ≤ 300 ms).</summary>
    Grades,
}

/// <summary>
/// One query of the stability bench (bench/stability.sh): the query string sent to the API. <c>{mine}</c> is replaced
/// by the mine with the most assessments, <c>{month-N}</c> by the month N months before the current one (China time).
/// </summary>
public sealed record StabilityCase(StabilityKind Kind, string Name, string Query)
{
    /// <summary>The queries of issue 4's performance line, at national scale (4,300 mines, 50,000 conflicts).</summary>
    public static readonly IReadOnlyList<StabilityCase> All =
    [
        new(StabilityKind.Conflicts, "no filter", ""),
        new(StabilityKind.Conflicts, "city 530300", "regionCode=530300"),
        new(StabilityKind.Conflicts, "county 530302", "regionCode=530302"),
        new(StabilityKind.Conflicts, "category=wageArrears", "category=wageArrears"),
        new(StabilityKind.Conflicts, "state=resolving", "state=resolving"),
        new(StabilityKind.Conflicts, "open=true", "open=true"),
        new(StabilityKind.Conflicts, "overdue=true", "overdue=true"),
        new(StabilityKind.Conflicts, "city+category+state", "regionCode=530300&category=wageArrears&state=resolving"),
        new(StabilityKind.Conflicts, "page 100", "page=100"),
        new(StabilityKind.Conflicts, "pageSize=200", "pageSize=200"),
        new(StabilityKind.Conflicts, "q=拖欠 (text)", "q=" + Uri.EscapeDataString("拖欠")),
        new(StabilityKind.Assessments, "no filter", ""),
        new(StabilityKind.Assessments, "mineId", "mineId={mine}"),
        new(StabilityKind.Assessments, "city 530300", "regionCode=530300"),
        new(StabilityKind.Assessments, "grade=high", "grade=high"),
        new(StabilityKind.Monthly, "this month", ""),
        new(StabilityKind.Monthly, "this month, city", "regionCode=530300"),
        new(StabilityKind.Monthly, "3 months ago", "month={month-3}"),
        new(StabilityKind.Grades, "no region", ""),
        new(StabilityKind.Grades, "province 530000", "regionCode=530000"),
        new(StabilityKind.Grades, "city 530300", "regionCode=530300"),
        new(StabilityKind.Grades, "county 530302", "regionCode=530302"),
    ];

    public string Path => Kind switch
    {
        StabilityKind.Conflicts => "api/v1/conflicts",
        StabilityKind.Assessments => "api/v1/assessments",
        StabilityKind.Monthly => "api/v1/conflicts/summary",
        _ => "api/v1/stability/summary",
    };

    /// <summary>The target of issue 4: lists p95 ≤ 100 ms, summaries ≤ 300 ms.</summary>
    public double TargetMs => Kind is StabilityKind.Conflicts or StabilityKind.Assessments ? 100 : 300;

    public string KindName => Kind switch
    {
        StabilityKind.Conflicts => "conflicts",
        StabilityKind.Assessments => "assessments",
        StabilityKind.Monthly => "monthly",
        _ => "grades",
    };

    /// <summary>The query string with its placeholders filled in.</summary>
    public string Resolve(long mineId, DateOnly today)
    {
        var query = Query.Replace("{mine}", mineId.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        for (var n = 0; n <= 12; n++)
        {
            query = query.Replace($"{{month-{n}}}", new DateOnly(today.Year, today.Month, 1).AddMonths(-n).ToString("yyyy-MM", CultureInfo.InvariantCulture),
                StringComparison.Ordinal);
        }

        return query;
    }
}

/// <summary>
/// A query string parsed the way the stability API reads it (ConflictQuery.Parse, Paging, the assessment list's
/// parameters, ParseMonth), so that the raw SQL and EF in process get the same values as the API.
/// </summary>
public sealed record StabilityFilter(
    string? RegionCode, long? MineId, int? Category, int? State, int? Grade, bool? Open, bool? Overdue, string? Q, int Page, int PageSize, DateOnly? Month)
{
    /// <summary>camelCase names of ConflictCategory 1..11 (JsonStringEnumConverter's names, which the API also accepts).</summary>
    public static readonly string[] Categories =
        ["assetsDebt", "loans", "wageArrears", "resettlement", "legal", "mineVillage", "water", "houseDamage", "pollution", "compensation", "other"];

    public static readonly string[] ConflictStates = ["registered", "resolving", "claimed", "closed"];

    public static readonly string[] AssessmentStates = ["draft", "submitted", "approved", "returned"];

    /// <summary>RiskGrade 1..3.</summary>
    public static readonly string[] Grades = ["low", "medium", "high"];

    public int Skip => (Page - 1) * PageSize;

    public static StabilityFilter Parse(StabilityKind kind, string query)
    {
        var values = query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair => pair.Split('=', 2))
            .ToDictionary(p => p[0], p => Uri.UnescapeDataString(p.Length > 1 ? p[1] : ""), StringComparer.OrdinalIgnoreCase);
        string? Text(string key) => values.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        int? Enum(string key, string[] names) => Text(key) is { } v
            ? Array.FindIndex(names, n => n.Equals(v, StringComparison.OrdinalIgnoreCase)) is var i and >= 0 ? i + 1 : throw new ArgumentException($"{key}={v}")
            : null;
        bool? Flag(string key) => Text(key) is { } v ? bool.Parse(v) : null;
        var page = Text("page") is { } p ? int.Parse(p, CultureInfo.InvariantCulture) : 1;
        var size = Text("pageSize") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 20;
        return new StabilityFilter(Text("regionCode"), Text("mineId") is { } m ? long.Parse(m, CultureInfo.InvariantCulture) : null,
            Enum("category", Categories), Enum("state", kind == StabilityKind.Assessments ? AssessmentStates : ConflictStates), Enum("grade", Grades), Flag("open"), Flag("overdue"),
            Text("q"), Math.Max(1, page), Math.Clamp(size, 1, 200),
            Text("month") is { } month ? DateOnly.ParseExact(month + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture) : null);
    }
}
