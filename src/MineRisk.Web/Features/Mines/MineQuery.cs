using Microsoft.EntityFrameworkCore;
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
    public IQueryable<Mine> Rows(AppDbContext db) => Apply(db.SeekScope(db.Set<Mine>().AsNoTracking()));

    private IQueryable<Mine> Apply(IQueryable<Mine> mines)
    {
        if (!string.IsNullOrWhiteSpace(RegionCode))
        {
            var prefix = Platform.Regions.RegionCodes.Prefix(RegionCode.Trim());
            var upper = Platform.Regions.RegionCodes.UpperBound(prefix);
            mines = mines.Where(m => string.Compare(m.RegionCode, prefix) >= 0 && string.Compare(m.RegionCode, upper) < 0);
        }

        if (Status is { } status)
        {
            mines = mines.Where(m => m.Status == status);
        }

        if (Disposition is { } disposition)
        {
            mines = mines.Where(m => m.Disposition == disposition);
        }

        if (GasLevel is { } gas)
        {
            mines = mines.Where(m => m.GasLevel == gas);
        }

        if (MinCapacity is { } min)
        {
            mines = mines.Where(m => m.ApprovedCapacity >= min);
        }

        if (MaxCapacity is { } max)
        {
            mines = mines.Where(m => m.ApprovedCapacity <= max);
        }

        if (Grade is { } grade)
        {
            mines = mines.Where(m => m.RiskGrade == grade);
        }

        if (Unassessed)
        {
            mines = mines.Where(m => m.RiskGrade == null);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            mines = mines.Where(m => m.Name.Contains(q) || m.Code.StartsWith(q));
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
