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
