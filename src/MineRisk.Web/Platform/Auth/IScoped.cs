namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// An entity that belongs to a jurisdiction: the region (township or higher) of its mine, and its mine's
/// enterprise. Every such entity gets the same query filter (<see cref="Data.AppDbContext"/>), so a user never
/// reads a row outside their scope, whatever page or endpoint asks.
/// </summary>
public interface IScoped
{
    string RegionCode { get; }

    long? EnterpriseId { get; }
}

public static class ScopedRows
{
    /// <summary>
    /// The rows whose region code is in [<paramref name="low"/>, <paramref name="high"/>) — a region and everything under
    /// it (<see cref="Regions.RegionCodes.Prefix"/>, <see cref="Regions.RegionCodes.UpperBound"/>), one index range. The
    /// bounds are expressions so that a compiled query (<see cref="Data.QueryShapes{TArgs}"/>) binds them as parameters.
    /// </summary>
    public static IQueryable<T> WithinRange<T>(this IQueryable<T> rows, System.Linq.Expressions.Expression<Func<string>> low,
        System.Linq.Expressions.Expression<Func<string>> high) where T : class, IScoped
    {
        var within = Range<T>.Condition;
        var body = Microsoft.EntityFrameworkCore.Query.ReplacingExpressionVisitor.Replace(within.Parameters[1], low.Body,
            Microsoft.EntityFrameworkCore.Query.ReplacingExpressionVisitor.Replace(within.Parameters[2], high.Body, within.Body));
        return rows.Where(System.Linq.Expressions.Expression.Lambda<Func<T, bool>>(body, within.Parameters[0]));
    }

    private static class Range<T> where T : class, IScoped
    {
        public static readonly System.Linq.Expressions.Expression<Func<T, string, string, bool>> Condition =
            (e, low, high) => string.Compare(e.RegionCode, low) >= 0 && string.Compare(e.RegionCode, high) < 0;
    }
}
