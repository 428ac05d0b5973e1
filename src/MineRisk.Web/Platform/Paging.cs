using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;

namespace MineRisk.Web.Platform;

/// <summary>
/// A page of a list: <c>{"items":[...],"total":N}</c>, plus <c>"totalCapped":true</c> when counting stopped at
/// <see cref="Paging.CountCap"/> (the total is then a floor: "10,000+").
/// </summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool TotalCapped { get; init; }

    public int PageCount => PageSize == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

/// <summary>Page number and size from a query string, clamped (page ≥ 1, 1 ≤ size ≤ <see cref="MaxPageSize"/>).</summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public static Paging From(int? page, int? pageSize, int defaultSize = 20) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public int Skip => (Page - 1) * PageSize;

    /// <summary>How far a large ledger's total is counted (<see cref="CountAsync{T}"/>).</summary>
    public const int CountCap = 10_000;

    /// <summary>
    /// The number of matching rows, counted up to <see cref="CountCap"/>: at national scale an exact count of a broad
    /// filter reads every match (1,000,000 hazards: a full scan per page, bench/hazards.sh), while nobody pages
    /// through more than 10,000 rows — they narrow the filter. Capped means "more than the total".
    /// </summary>
    public static async Task<(int Total, bool Capped)> CountAsync<T>(IQueryable<T> query, CancellationToken ct)
    {
        var n = await query.Take(CountCap + 1).CountAsync(ct);
        return n > CountCap ? (CountCap, true) : (n, false);
    }
}

/// <summary>What the shared pager partial needs: position, size and how to link to a page.</summary>
public sealed record Pager(int Page, int PageCount, int Total, Func<int, string> Url, bool TotalCapped = false)
{
    /// <summary>The total as shown: "1,234", or "10,000+" when counting stopped there.</summary>
    public string TotalText => Total.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + (TotalCapped ? "+" : "");

    /// <summary>
    /// The query parameter pages use for the page number. Not <c>page</c>: Razor Pages reserves that route value.
    /// (The API's lists use <c>page</c>.)
    /// </summary>
    public const string Parameter = "p";

    public static Pager For<T>(PagedResult<T> result, string path, IQueryCollection query) =>
        new(result.Page, result.PageCount, result.Total, page => WithPage(path, query, page), result.TotalCapped);

    /// <summary>The page numbers shown around the current one.</summary>
    public IEnumerable<int> Window()
    {
        var from = Math.Max(1, Page - 2);
        var to = Math.Min(PageCount, from + 4);
        from = Math.Max(1, to - 4);
        return Enumerable.Range(from, to - from + 1);
    }

    public static string WithPage(string path, IQueryCollection query, int page)
    {
        var values = query.Where(q => q.Key != Parameter).ToDictionary(q => q.Key, q => (string?)q.Value.ToString());
        values[Parameter] = page.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(path, values);
    }
}
