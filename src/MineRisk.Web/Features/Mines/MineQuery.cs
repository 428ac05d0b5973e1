using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// The registry's filters and sort, shared by the list page, <c>GET /api/v1/mines</c> and the Excel export, so that
/// an export holds exactly what the list shows. Jurisdiction is applied before, by the query filter.
/// </summary>
public sealed record MineQuery(
    string? RegionCode = null,
    MineStatus? Status = null,
    Disposition? Disposition = null,
    GasLevel? GasLevel = null,
    double? MinCapacity = null,
    double? MaxCapacity = null,
    string? Q = null,
    string? Sort = null,
    RiskGrade? Grade = null,
    bool Unassessed = false)
{
    public static readonly IReadOnlyDictionary<string, string> Sorts = new Dictionary<string, string>
    {
        ["code"] = "按编码",
        ["name"] = "按名称",
        ["capacity"] = "按核定产能（大到小）",
        ["status"] = "按生产状态",
        ["updated"] = "按最近更新",
    };

    /// <summary>
    /// The registry's mines this query selects, unordered: the jurisdiction's (its range repeated for SQLite to seek,
    /// <see cref="AppDbContext.SeekScope"/>), then the filters.
    /// </summary>
    public IQueryable<Mine> Rows(AppDbContext db)
    {
        var values = new Values();
        return Build(db, Bind(db, values), values);
    }

    /// <summary>
    /// A page of the list and the number of mines it pages through, as the list page and <c>GET /api/v1/mines</c> show
    /// them: two statements compiled once per shape of the query (<see cref="QueryShapes{TArgs}"/>).
    /// </summary>
    public async Task<(List<MineListItem> Items, int Total)> PageAsync(AppDbContext db, Paging paging, CancellationToken ct)
    {
        var values = new Values { Skip = paging.Skip, Take = paging.PageSize };
        var shape = Bind(db, values);
        // Unknown sorts sort by code (Order): one shape for them all, so that the cache keeps a bounded number of queries.
        var key = shape.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var sort = Sort is { } s && Sorts.ContainsKey(s) ? s : "code";
        var total = await Shapes.CountAsync(db, key, values, v => Build(db, shape, v), ct);
        var items = await Shapes.ToListAsync(db, key + ":" + sort, values,
            v => MineViews.ToListItems(Order(Build(db, shape, v)).SkipTake(() => v.Skip, () => v.Take)), paging.PageSize, ct);
        return (items, total);
    }

    private static readonly QueryShapes<Values> Shapes = new();

    /// <summary>The values a query binds; each is a parameter of the compiled query.</summary>
    private sealed class Values
    {
        public string ScopeLow = "", ScopeHigh = "", Prefix = "", Upper = "", Q = "";
        public MineStatus Status;
        public Disposition Disposition;
        public GasLevel Gas;
        public double Min, Max;
        public RiskGrade Grade;
        public int Skip, Take;
    }

    // The shape: which conditions the query has (one bit each).
    private const int Seek = 1, InRegion = 2, ByStatus = 4, ByDisposition = 8, ByGas = 16, AtLeast = 32, AtMost = 64, ByGrade = 128, NotAssessed = 256, Text = 512;

    /// <summary>Sets <paramref name="v"/> from the filters; returns the shape of the conditions they make.</summary>
    private int Bind(AppDbContext db, Values v)
    {
        var shape = 0;
        if (db.SeekRange is var (low, high))
        {
            (v.ScopeLow, v.ScopeHigh, shape) = (low, high, shape | Seek);
        }

        if (!string.IsNullOrWhiteSpace(RegionCode))
        {
            v.Prefix = Platform.Regions.RegionCodes.Prefix(RegionCode.Trim());
            v.Upper = Platform.Regions.RegionCodes.UpperBound(v.Prefix);
            shape |= InRegion;
        }

        if (Status is { } status)
        {
            (v.Status, shape) = (status, shape | ByStatus);
        }

        if (Disposition is { } disposition)
        {
            (v.Disposition, shape) = (disposition, shape | ByDisposition);
        }

        if (GasLevel is { } gas)
        {
            (v.Gas, shape) = (gas, shape | ByGas);
        }

        if (MinCapacity is { } min)
        {
            (v.Min, shape) = (min, shape | AtLeast);
        }

        if (MaxCapacity is { } max)
        {
            (v.Max, shape) = (max, shape | AtMost);
        }

        if (Grade is { } grade)
        {
            (v.Grade, shape) = (grade, shape | ByGrade);
        }

        if (Unassessed)
        {
            shape |= NotAssessed;
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            (v.Q, shape) = (Q.Trim(), shape | Text);
        }

        return shape;
    }

    /// <summary>The mines of the conditions in <paramref name="shape"/>, their values read from <paramref name="v"/>.</summary>
    private static IQueryable<Mine> Build(AppDbContext db, int shape, Values v)
    {
        var mines = db.Set<Mine>().AsNoTracking();
        if ((shape & Seek) != 0)
        {
            mines = mines.WithinRange(() => v.ScopeLow, () => v.ScopeHigh);
        }

        if ((shape & InRegion) != 0)
        {
            mines = mines.WithinRange(() => v.Prefix, () => v.Upper);
        }

        if ((shape & ByStatus) != 0)
        {
            mines = mines.Where(m => m.Status == v.Status);
        }

        if ((shape & ByDisposition) != 0)
        {
            mines = mines.Where(m => m.Disposition == v.Disposition);
        }

        if ((shape & ByGas) != 0)
        {
            mines = mines.Where(m => m.GasLevel == v.Gas);
        }

        if ((shape & AtLeast) != 0)
        {
            mines = mines.Where(m => m.ApprovedCapacity >= v.Min);
        }

        if ((shape & AtMost) != 0)
        {
            mines = mines.Where(m => m.ApprovedCapacity <= v.Max);
        }

        if ((shape & ByGrade) != 0)
        {
            mines = mines.Where(m => m.RiskGrade == v.Grade);
        }

        if ((shape & NotAssessed) != 0)
        {
            mines = mines.Where(m => m.RiskGrade == null);
        }

        if ((shape & Text) != 0)
        {
            mines = mines.Where(m => m.Name.Contains(v.Q) || m.Code.StartsWith(v.Q));
        }

        return mines;
    }

    public IQueryable<Mine> Order(IQueryable<Mine> mines) => Sort switch
    {
        "name" => mines.OrderBy(m => m.Name).ThenBy(m => m.Id),
        "capacity" => mines.OrderByDescending(m => m.ApprovedCapacity).ThenBy(m => m.Code),
        "status" => mines.OrderBy(m => m.Status).ThenBy(m => m.Code),
        "updated" => mines.OrderByDescending(m => m.UpdatedAt).ThenBy(m => m.Id),
        _ => mines.OrderBy(m => m.Code),
    };
}
