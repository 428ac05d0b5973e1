using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Stability;

/// <summary>The ledger's filters, shared by the page, the API and the Excel export.</summary>
public sealed record ConflictQuery(string? RegionCode = null, long? MineId = null, ConflictCategory? Category = null, ConflictState? State = null,
    bool? Open = null, bool? Overdue = null, long? LeaderUserId = null, RiskGrade? RiskGrade = null, string? Q = null)
{
    /// <summary>
    /// The ledger's conflicts this query selects, unordered: the jurisdiction's (its range repeated for SQLite to seek,
    /// <see cref="AppDbContext.SeekScope"/>), then the filters.
    /// </summary>
    public IQueryable<Conflict> Rows(AppDbContext db, DateOnly today)
    {
        var values = new Values { Today = today };
        return Build(db, Bind(db, values), values);
    }

    /// <summary>
    /// A page of the ledger, newest first, and the number of conflicts it pages through, as the ledger page and
    /// <c>GET /api/v1/conflicts</c> show them: two statements compiled once per shape of the query (<see cref="QueryShapes{TArgs}"/>).
    /// </summary>
    public async Task<(List<ConflictListItem> Items, int Total)> PageAsync(AppDbContext db, DateOnly today, Paging paging, CancellationToken ct)
    {
        var values = new Values { Today = today, Skip = paging.Skip, Take = paging.PageSize };
        var shape = Bind(db, values);
        var key = shape.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var total = await Shapes.CountAsync(db, key, values, v => Build(db, shape, v), ct);
        var items = await Shapes.ToListAsync(db, key, values, v => StabilityViews.ToListItems(
            Build(db, shape, v).OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).SkipTake(() => v.Skip, () => v.Take), () => v.Today), paging.PageSize, ct);
        return (items, total);
    }

    private static readonly QueryShapes<Values> Shapes = new();

    /// <summary>The values a query binds; each is a parameter of the compiled query.</summary>
    private sealed class Values
    {
        public string ScopeLow = "", ScopeHigh = "", Prefix = "", Upper = "", Q = "";
        public long Mine, Leader;
        public ConflictCategory Category;
        public ConflictState State;
        public RiskGrade Grade;
        public DateOnly Today;
        public int Skip, Take;
    }

    // The shape: which conditions the query has (one bit each).
    private const int Seek = 1, InRegion = 2, ByMine = 4, ByCategory = 8, ByState = 16, OpenOnly = 32, OverdueOnly = 64, ByLeader = 128, ByGrade = 256, Text = 512;

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

        if (MineId is { } mineId)
        {
            (v.Mine, shape) = (mineId, shape | ByMine);
        }

        if (Category is { } category)
        {
            (v.Category, shape) = (category, shape | ByCategory);
        }

        if (State is { } state)
        {
            (v.State, shape) = (state, shape | ByState);
        }

        if (Open == true)
        {
            shape |= OpenOnly;
        }

        if (Overdue == true)
        {
            shape |= OverdueOnly;
        }

        if (LeaderUserId is { } leader)
        {
            (v.Leader, shape) = (leader, shape | ByLeader);
        }

        if (RiskGrade is { } grade)
        {
            (v.Grade, shape) = (grade, shape | ByGrade);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            (v.Q, shape) = (Q.Trim(), shape | Text);
        }

        return shape;
    }

    /// <summary>The conflicts of the conditions in <paramref name="shape"/>, their values read from <paramref name="v"/>.</summary>
    private static IQueryable<Conflict> Build(AppDbContext db, int shape, Values v)
    {
        var conflicts = db.Set<Conflict>().AsNoTracking();
        if ((shape & Seek) != 0)
        {
            conflicts = conflicts.WithinRange(() => v.ScopeLow, () => v.ScopeHigh);
        }

        if ((shape & InRegion) != 0)
        {
            conflicts = conflicts.WithinRange(() => v.Prefix, () => v.Upper);
        }

        if ((shape & ByMine) != 0)
        {
            conflicts = conflicts.Where(c => c.MineId == v.Mine);
        }

        if ((shape & ByCategory) != 0)
        {
            conflicts = conflicts.Where(c => c.Category == v.Category);
        }

        if ((shape & ByState) != 0)
        {
            conflicts = conflicts.Where(c => c.State == v.State);
        }

        if ((shape & OpenOnly) != 0)
        {
            conflicts = conflicts.Where(c => c.State != ConflictState.Closed);
        }

        if ((shape & OverdueOnly) != 0)
        {
            conflicts = conflicts.Where(c => c.State != ConflictState.Closed && c.DueOn < v.Today);
        }

        if ((shape & ByLeader) != 0)
        {
            conflicts = conflicts.Where(c => c.LeaderUserId == v.Leader);
        }

        if ((shape & ByGrade) != 0)
        {
            conflicts = conflicts.Where(c => c.RiskGrade == v.Grade);
        }

        if ((shape & Text) != 0)
        {
            conflicts = conflicts.Where(c => c.Number == v.Q || c.Description.Contains(v.Q) || c.Mine!.Name.Contains(v.Q));
        }

        return conflicts;
    }

    /// <summary>Parses choices given by name (any case) or Chinese label; unknown ones are a 400 with the options.</summary>
    public static Result<ConflictQuery> Parse(string? regionCode, long? mineId, string? category, string? state, bool? open, bool? overdue,
        long? leaderUserId, string? riskGrade, string? q)
    {
        var errors = new Dictionary<string, string[]>();
        T? Choice<T>(string? text, string field, string label) where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (EnumLabels.TryParse<T>(text, out var value))
            {
                return value;
            }

            errors[field] = [$"{label}「{text}」无效。可选：{string.Join("、", Enum.GetValues<T>().Select(v => $"{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString())}（{v.Label()}）"))}。"];
            return null;
        }

        var query = new ConflictQuery(regionCode, mineId, Choice<ConflictCategory>(category, "category", "类别"), Choice<ConflictState>(state, "state", "状态"),
            open, overdue, leaderUserId, Choice<RiskGrade>(riskGrade, "riskGrade", "风险等级"), q);
        return errors.Count == 0 ? query : new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
    }
}
