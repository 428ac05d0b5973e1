using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Stability;

public sealed record ConflictListItem(long Id, string Number, long MineId, string MineName, string MineCode, string RegionCode, string CountyName, string TownshipName,
    ConflictCategory Category, string CategoryName, string Description, double? Amount, int? Persons, RiskGrade RiskGrade, string RiskGradeName,
    long LeaderUserId, string LeaderName, string? LeaderUserName, string? ResponsibleUnit, string? ResponsiblePerson, string? Measures, DateOnly DueOn,
    ConflictState State, string StateName, bool Overdue, string? LatestProgress, DateTime RegisteredAt, DateTime? ClosedAt);

public sealed record ConflictDetail(ConflictListItem Item, string? Measures, string RegisteredByName, string? ResolutionNote, string? ClosedByName,
    int Rebounds, int Version, IReadOnlyList<TimelineView> Timeline);

public sealed record AssessmentListItem(long Id, string Number, long MineId, string MineName, string CountyName, AssessmentState State, string StateName,
    double Score, RiskGrade Grade, string GradeName, string? Veto, string AssessorName, string? ApproverName, int TemplateVersion,
    DateTime CreatedAt, DateTime? ApprovedAt);

public sealed record ScoreView(string Key, string Name, double Weight, double? Score, double? SuggestedScore, string? Evidence, string? Reason,
    string Guidance0, string Guidance5, string Guidance10);

public sealed record AssessmentDetail(AssessmentListItem Item, string? Notes, string? ReturnReason, long AssessorId, int TemplateVersion,
    string TemplateName, IReadOnlyList<ScoreView> Scores, IReadOnlyList<TimelineView> Timeline);

public sealed record GradeCounts(int High, int Medium, int Low, int Unassessed);

public sealed record CountyGrades(string CountyCode, string CountyName, int High, int Medium, int Low, int Unassessed);

public sealed record SummaryRow(string CountyCode, string CountyName, ConflictCategory Category, string CategoryName, int Open, int New, int Closed,
    int Overdue, double Amount, int Persons);

public sealed record MonthlySummary(string Month, IReadOnlyList<SummaryRow> Rows, IReadOnlyList<string> Sentences, int Open, int New, int Closed,
    int Overdue, double Amount, int Persons);

public sealed record ComplianceGap(long MineId, string MineName, string CountyName, RiskGrade? Grade, long? TaskForceId, string? TaskForceName,
    DateOnly? LastPatrol, string Gap);

/// <summary>Read models of the stability module, shared by pages and API.</summary>
public static class StabilityViews
{
    public static IQueryable<ConflictListItem> ToListItems(IQueryable<Conflict> conflicts, DateOnly today) => ToListItems(conflicts, () => today);

    /// <summary>The list projection, with "today" (for 逾期) given as an expression: a compiled query binds it as its parameter.</summary>
    public static IQueryable<ConflictListItem> ToListItems(IQueryable<Conflict> conflicts, Expression<Func<DateOnly>> today) =>
        conflicts.Select(Expression.Lambda<Func<Conflict, ConflictListItem>>(
            ReplacingExpressionVisitor.Replace(ConflictItem.Parameters[1], today.Body, ConflictItem.Body), ConflictItem.Parameters[0]));

    private static readonly Expression<Func<Conflict, DateOnly, ConflictListItem>> ConflictItem = (c, today) => new ConflictListItem(
        c.Id, c.Number, c.MineId, c.Mine!.Name, c.Mine.Code, c.RegionCode, c.Mine.Region!.Parent!.Name, c.Mine.Region.Name,
        c.Category, "", c.Description, c.Amount, c.Persons, c.RiskGrade, "", c.LeaderUserId, c.LeaderName, null, c.ResponsibleUnit, c.ResponsiblePerson, c.Measures, c.DueOn,
        c.State, "", c.State != ConflictState.Closed && c.DueOn < today, c.LatestProgress, c.RegisteredAt, c.ClosedAt);

    public static ConflictListItem Labelled(ConflictListItem c) =>
        c with { CategoryName = c.Category.Label(), RiskGradeName = c.RiskGrade.Label(), StateName = c.State.Label() };

    public static async Task<ConflictDetail?> ConflictAsync(AppDbContext db, long id, DateOnly today, CancellationToken ct)
    {
        var item = await ToListItems(db.Set<Conflict>().AsNoTracking().Where(c => c.Id == id), today).SingleOrDefaultAsync(ct);
        if (item is null)
        {
            return null;
        }

        var extra = await db.Set<Conflict>().AsNoTracking().Where(c => c.Id == id)
            .Select(c => new { c.Measures, c.RegisteredByName, c.ResolutionNote, c.ClosedByName, c.Rebounds, c.Version }).SingleAsync(ct);
        return new ConflictDetail(Labelled(item), extra.Measures, extra.RegisteredByName, extra.ResolutionNote, extra.ClosedByName, extra.Rebounds, extra.Version,
            await Timelines.LoadAsync(db, ConflictService.Subject, id, ct));
    }

    public static IQueryable<AssessmentListItem> ToListItems(IQueryable<Assessment> assessments) => assessments.Select(a => new AssessmentListItem(
        a.Id, a.Number, a.MineId, a.Mine!.Name, a.Mine.Region!.Parent!.Name, a.State, "", a.Score, a.Grade, "", a.Veto, a.AssessorName, a.ApproverName,
        a.Template!.Version, a.CreatedAt, a.ApprovedAt));

    public static AssessmentListItem Labelled(AssessmentListItem a) => a with { StateName = a.State.Label(), GradeName = a.Grade.Label() };

    public static async Task<AssessmentDetail?> AssessmentAsync(AppDbContext db, long id, CancellationToken ct)
    {
        var item = await ToListItems(db.Set<Assessment>().AsNoTracking().Where(a => a.Id == id)).SingleOrDefaultAsync(ct);
        if (item is null)
        {
            return null;
        }

        var assessment = await db.Set<Assessment>().AsNoTracking().Include(a => a.Scores).SingleAsync(a => a.Id == id, ct);
        var template = await db.Set<AssessmentTemplate>().AsNoTracking().Include(t => t.Dimensions).SingleAsync(t => t.Id == assessment.TemplateId, ct);
        var scores = template.Dimensions.OrderBy(d => d.Seq).Select(d =>
        {
            var s = assessment.Scores.FirstOrDefault(x => x.DimensionKey == d.Key);
            return new ScoreView(d.Key, d.Name, d.Weight, s?.Score, s?.SuggestedScore, s?.Evidence, s?.Reason, d.Guidance0, d.Guidance5, d.Guidance10);
        }).ToList();
        return new AssessmentDetail(Labelled(item), assessment.Notes, assessment.ReturnReason, assessment.AssessorId, template.Version, template.Name, scores,
            await Timelines.LoadAsync(db, AssessmentService.Subject, id, ct));
    }

    /// <summary>Each mine in scope counted once by its current grade (the newest approved assessment).</summary>
    public static async Task<GradeCounts> GradesAsync(AppDbContext db, RegionTree regions, string? regionCode, CancellationToken ct)
    {
        var rows = await ByCountyAsync(db, regions, regionCode, ct);
        return new GradeCounts(rows.Sum(r => r.High), rows.Sum(r => r.Medium), rows.Sum(r => r.Low), rows.Sum(r => r.Unassessed));
    }

    /// <summary>
    /// The mines in scope (and in <paramref name="regionCode"/>) by county and current grade: one statement, compiled once
    /// per shape (<see cref="QueryShapes{TArgs}"/>); the counties' names come from the region tree in memory.
    /// </summary>
    public static async Task<List<CountyGrades>> ByCountyAsync(AppDbContext db, RegionTree regions, string? regionCode, CancellationToken ct)
    {
        var values = new GradeValues();
        var shape = 0;
        if (!string.IsNullOrWhiteSpace(regionCode))
        {
            values.Prefix = RegionCodes.Prefix(regionCode.Trim());
            values.Upper = RegionCodes.UpperBound(values.Prefix);
            shape = 1;
        }

        var grouped = await GradeShapes.ToListAsync(db, shape == 0 ? "all" : "region", values, v =>
        {
            var mines = db.Set<Mine>().AsNoTracking();
            if (shape != 0)
            {
                mines = mines.WithinRange(() => v.Prefix, () => v.Upper);
            }

            return mines.GroupBy(m => new { County = m.Region!.ParentCode, m.RiskGrade })
                .Select(g => new CountyGradeCount(g.Key.County, g.Key.RiskGrade, g.Count()));
        }, 64, ct);
        var names = await regions.NamesAsync(ct);
        return grouped.GroupBy(g => g.County ?? "").OrderBy(g => g.Key).Select(g => new CountyGrades(g.Key, names.Name(g.Key),
            g.Where(x => x.Grade == RiskGrade.High).Sum(x => x.Count), g.Where(x => x.Grade == RiskGrade.Medium).Sum(x => x.Count),
            g.Where(x => x.Grade == RiskGrade.Low).Sum(x => x.Count), g.Where(x => x.Grade == null).Sum(x => x.Count))).ToList();
    }

    private sealed record CountyGradeCount(string? County, RiskGrade? Grade, int Count);

    private sealed class GradeValues
    {
        public string Prefix = "", Upper = "";
    }

    private static readonly QueryShapes<GradeValues> GradeShapes = new();

    /// <summary>
    /// 每月一汇总 (seed 003): for each county and category — open at the end of the month, new and closed in it, overdue
    /// at its end (or today, for the current month), and the amount and people of the open ones.
    /// </summary>
    public static async Task<MonthlySummary> MonthlyAsync(AppDbContext db, DateOnly month, string? regionCode, DateTime nowUtc, CancellationToken ct)
    {
        var start = ChinaTime.StartOfDay(new DateOnly(month.Year, month.Month, 1));
        var end = ChinaTime.StartOfDay(new DateOnly(month.Year, month.Month, 1).AddMonths(1));
        var asOf = end < nowUtc ? end : nowUtc;
        var asOfDay = DateOnly.FromDateTime(ChinaTime.ToChina(asOf));
        var conflicts = InRegion(db.SeekScope(db.Set<Conflict>().AsNoTracking()), regionCode)
            .Where(c => c.RegisteredAt < end && (c.ClosedAt == null || c.ClosedAt >= start));
        var rows = await conflicts
            .GroupBy(c => new { County = c.RegionCode.Substring(0, 6), c.Category })
            .Select(g => new
            {
                g.Key.County,
                g.Key.Category,
                Open = g.Count(c => c.ClosedAt == null || c.ClosedAt >= end),
                New = g.Count(c => c.RegisteredAt >= start),
                Closed = g.Count(c => c.ClosedAt != null && c.ClosedAt >= start && c.ClosedAt < end),
                Overdue = g.Count(c => (c.ClosedAt == null || c.ClosedAt >= asOf) && c.DueOn < asOfDay),
                Amount = g.Where(c => c.ClosedAt == null || c.ClosedAt >= end).Sum(c => c.Amount ?? 0),
                Persons = g.Where(c => c.ClosedAt == null || c.ClosedAt >= end).Sum(c => c.Persons ?? 0),
            })
            .ToListAsync(ct);
        var codes = rows.Select(r => r.County).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().IgnoreQueryFilters().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var result = rows.OrderBy(r => r.County).ThenBy(r => r.Category)
            .Select(r => new SummaryRow(r.County, names.GetValueOrDefault(r.County) ?? r.County, r.Category, r.Category.Label(), r.Open, r.New, r.Closed, r.Overdue,
                Math.Round(r.Amount, 2), r.Persons)).ToList();
        var sentences = result.GroupBy(r => r.Category).Where(g => g.Sum(r => r.Open) > 0).OrderBy(g => g.Key)
            .Select(g => Sentence(g.Key, g.Sum(r => r.Open), g.Sum(r => r.Persons), g.Sum(r => r.Amount))).ToList();
        return new MonthlySummary(month.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), result, sentences, result.Sum(r => r.Open), result.Sum(r => r.New),
            result.Sum(r => r.Closed), result.Sum(r => r.Overdue), Math.Round(result.Sum(r => r.Amount), 2), result.Sum(r => r.Persons));
    }

    /// <summary>The gaps of 一矿一专班: 高/中 mines without an active task force, task forces without a recent patrol.</summary>
    public static async Task<List<ComplianceGap>> ComplianceAsync(AppDbContext db, DateOnly today, int patrolGapDays, CancellationToken ct)
    {
        var risky = await db.Set<Mine>().AsNoTracking().Where(m => m.RiskGrade == RiskGrade.High || m.RiskGrade == RiskGrade.Medium)
            .Select(m => new { m.Id, m.Name, County = m.Region!.Parent!.Name, m.RiskGrade }).ToListAsync(ct);
        var forces = await db.Set<TaskForce>().AsNoTracking().Where(t => t.Active)
            .Select(t => new { t.Id, t.Name, t.MineId, MineName = t.Mine!.Name, County = t.Mine.Region!.Parent!.Name, t.Mine.RiskGrade }).ToListAsync(ct);
        var last = await db.Set<PatrolLog>().AsNoTracking().GroupBy(p => p.TaskForceId).Select(g => new { g.Key, Last = g.Max(p => p.Date) })
            .ToDictionaryAsync(x => x.Key, x => x.Last, ct);
        var gaps = new List<ComplianceGap>();
        var covered = forces.Select(f => f.MineId).ToHashSet();
        gaps.AddRange(risky.Where(m => !covered.Contains(m.Id)).Select(m => new ComplianceGap(m.Id, m.Name, m.County, m.RiskGrade, null, null, null,
            $"{m.RiskGrade!.Value.Label()}风险煤矿未成立专班")));
        var since = today.AddDays(-patrolGapDays);
        gaps.AddRange(forces.Where(f => !last.TryGetValue(f.Id, out var d) || d < since).Select(f => new ComplianceGap(f.MineId, f.MineName, f.County, f.RiskGrade,
            f.Id, f.Name, last.TryGetValue(f.Id, out var d) ? d : null,
            last.TryGetValue(f.Id, out var l) ? $"专班已 {today.DayNumber - l.DayNumber} 天未巡查" : "专班从未巡查")));
        return gaps.OrderByDescending(g => g.Grade).ThenBy(g => g.CountyName).ThenBy(g => g.MineName).ToList();
    }

    private static IQueryable<T> InRegion<T>(IQueryable<T> items, string? regionCode) where T : class, IScoped
    {
        if (string.IsNullOrWhiteSpace(regionCode))
        {
            return items;
        }

        var prefix = RegionCodes.Prefix(regionCode.Trim());
        var upper = RegionCodes.UpperBound(prefix);
        return items.WithinRange(() => prefix, () => upper);
    }

    /// <summary>Seed 000's words: "欠薪 12 件，涉及 320 人 1468 万元" (people or money left out when there are none).</summary>
    public static string Sentence(ConflictCategory category, int open, int persons, double amount)
    {
        var involved = new List<string>();
        if (persons > 0)
        {
            involved.Add($"{persons} 人");
        }

        if (amount > 0)
        {
            involved.Add($"{Wan(amount)} 万元");
        }

        return $"{category.Label()} {open} 件" + (involved.Count == 0 ? "" : $"，涉及 {string.Join(" ", involved)}");
    }

    /// <summary>An amount in 万元 as the seeds write it: 1.2 亿 is 12000 万.</summary>
    public static string Wan(double amount) => amount.ToString(amount >= 100 ? "0" : "0.##", System.Globalization.CultureInfo.InvariantCulture);
}
