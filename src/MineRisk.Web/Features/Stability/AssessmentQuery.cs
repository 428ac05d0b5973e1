using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// The assessments list's filters, shared by the page and <c>GET /api/v1/assessments</c>: newest first, within the
/// jurisdiction (query filter), compiled once per shape (<see cref="QueryShapes{TArgs}"/>).
/// </summary>
public sealed record AssessmentQuery(long? MineId = null, AssessmentState? State = null, RiskGrade? Grade = null, string? RegionCode = null)
{
    /// <summary>A page of the list and the number of assessments it pages through.</summary>
    public async Task<(List<AssessmentListItem> Items, int Total)> PageAsync(AppDbContext db, Paging paging, CancellationToken ct)
    {
        var values = new Values { Skip = paging.Skip, Take = paging.PageSize };
        var shape = Bind(values);
        var key = shape.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var total = await Shapes.CountAsync(db, key, values, v => Build(db, shape, v), ct);
        var items = await Shapes.ToListAsync(db, key, values, v => StabilityViews.ToListItems(
            Build(db, shape, v).OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).SkipTake(() => v.Skip, () => v.Take)), paging.PageSize, ct);
        return (items, total);
    }

    private static readonly QueryShapes<Values> Shapes = new();

    /// <summary>The values a query binds; each is a parameter of the compiled query.</summary>
    private sealed class Values
    {
        public string Prefix = "", Upper = "";
        public long Mine;
        public AssessmentState State;
        public RiskGrade Grade;
        public int Skip, Take;
    }

    private const int ByMine = 1, ByState = 2, ByGrade = 4, InRegion = 8;

    private int Bind(Values v)
    {
        var shape = 0;
        if (MineId is { } mine)
        {
            (v.Mine, shape) = (mine, shape | ByMine);
        }

        if (State is { } state)
        {
            (v.State, shape) = (state, shape | ByState);
        }

        if (Grade is { } grade)
        {
            (v.Grade, shape) = (grade, shape | ByGrade);
        }

        if (!string.IsNullOrWhiteSpace(RegionCode))
        {
            v.Prefix = Platform.Regions.RegionCodes.Prefix(RegionCode.Trim());
            v.Upper = Platform.Regions.RegionCodes.UpperBound(v.Prefix);
            shape |= InRegion;
        }

        return shape;
    }

    private static IQueryable<Assessment> Build(AppDbContext db, int shape, Values v)
    {
        var assessments = db.Set<Assessment>().AsNoTracking();
        if ((shape & ByMine) != 0)
        {
            assessments = assessments.Where(a => a.MineId == v.Mine);
        }

        if ((shape & ByState) != 0)
        {
            assessments = assessments.Where(a => a.State == v.State);
        }

        if ((shape & ByGrade) != 0)
        {
            assessments = assessments.Where(a => a.Grade == v.Grade);
        }

        if ((shape & InRegion) != 0)
        {
            assessments = assessments.WithinRange(() => v.Prefix, () => v.Upper);
        }

        return assessments;
    }
}
