namespace MineRisk.Web.Platform;

/// <summary>A page of a list: <c>{"items":[...],"total":N}</c>.</summary>
public sealed record PagedResult<T>(IReadOnlyList<T> Items, int Total, int Page, int PageSize)
{
    public int PageCount => PageSize == 0 ? 0 : (Total + PageSize - 1) / PageSize;
}

/// <summary>Page number and size from a query string, clamped (page ≥ 1, 1 ≤ size ≤ <see cref="MaxPageSize"/>).</summary>
public readonly record struct Paging(int Page, int PageSize)
{
    public const int MaxPageSize = 200;

    public static Paging From(int? page, int? pageSize, int defaultSize = 20) =>
        new(Math.Max(1, page ?? 1), Math.Clamp(pageSize ?? defaultSize, 1, MaxPageSize));

    public int Skip => (Page - 1) * PageSize;
}

/// <summary>What the shared pager partial needs: position, size and how to link to a page.</summary>
public sealed record Pager(int Page, int PageCount, int Total, Func<int, string> Url)
{
    /// <summary>
    /// The query parameter pages use for the page number. Not <c>page</c>: Razor Pages reserves that route value.
    /// (The API's lists use <c>page</c>.)
    /// </summary>
    public const string Parameter = "p";

    public static Pager For<T>(PagedResult<T> result, string path, IQueryCollection query) =>
        new(result.Page, result.PageCount, result.Total, page => WithPage(path, query, page));

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
