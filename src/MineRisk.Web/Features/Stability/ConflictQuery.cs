using MineRisk.Web.Features.Mines;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
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
    public IQueryable<Conflict> Rows(AppDbContext db, DateOnly today) => Apply(db.SeekScope(db.Set<Conflict>().AsNoTracking()), today);

    private IQueryable<Conflict> Apply(IQueryable<Conflict> conflicts, DateOnly today)
    {
        if (!string.IsNullOrWhiteSpace(RegionCode))
        {
            var prefix = Platform.Regions.RegionCodes.Prefix(RegionCode.Trim());
            var upper = Platform.Regions.RegionCodes.UpperBound(prefix);
            conflicts = conflicts.Where(c => string.Compare(c.RegionCode, prefix) >= 0 && string.Compare(c.RegionCode, upper) < 0);
        }

        if (MineId is { } mineId)
        {
            conflicts = conflicts.Where(c => c.MineId == mineId);
        }

        if (Category is { } category)
        {
            conflicts = conflicts.Where(c => c.Category == category);
        }

        if (State is { } state)
        {
            conflicts = conflicts.Where(c => c.State == state);
        }

        if (Open == true)
        {
            conflicts = conflicts.Where(c => c.State != ConflictState.Closed);
        }

        if (Overdue == true)
        {
            conflicts = conflicts.Where(c => c.State != ConflictState.Closed && c.DueOn < today);
        }

        if (LeaderUserId is { } leader)
        {
            conflicts = conflicts.Where(c => c.LeaderUserId == leader);
        }

        if (RiskGrade is { } grade)
        {
            conflicts = conflicts.Where(c => c.RiskGrade == grade);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            var q = Q.Trim();
            conflicts = conflicts.Where(c => c.Number == q || c.Description.Contains(q) || c.Mine!.Name.Contains(q));
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
