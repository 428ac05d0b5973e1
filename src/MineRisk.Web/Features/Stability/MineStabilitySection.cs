using MineRisk.Web.Platform;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability;

public sealed record StabilitySection(long MineId, RiskGrade? Grade, AssessmentListItem? Latest, string? TrendChart, int OpenConflicts, int OverdueConflicts,
    IReadOnlyList<(string Category, int Count, double Amount, int Persons)> OpenByCategory, long? TaskForceId, string? TaskForceName, DateOnly? LastPatrol,
    IReadOnlyList<(TenItem Item, bool Done)> TenItems, bool CanAssess, bool CanKeepLedger);

/// <summary>The mine page's stability section: the grade and its trend, open conflicts, the task force, the 十到位 checklist.</summary>
public sealed class MineStabilityViewComponent(AppDbContext db, CurrentUser user, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        var grade = await db.Set<Mine>().Where(m => m.Id == mineId).Select(m => m.RiskGrade).SingleAsync();
        var approved = await StabilityViews.ToListItems(db.Set<Assessment>().AsNoTracking().Where(a => a.MineId == mineId && a.State == AssessmentState.Approved)
            .OrderBy(a => a.ApprovedAt)).ToListAsync();
        var latest = await StabilityViews.ToListItems(db.Set<Assessment>().AsNoTracking().Where(a => a.MineId == mineId).OrderByDescending(a => a.CreatedAt)).FirstOrDefaultAsync();
        var template = await db.Set<AssessmentTemplate>().AsNoTracking().OrderByDescending(t => t.Version).FirstAsync();
        var chart = approved.Count == 0 ? null : Charts.Trend(approved.Select(a => ChinaTime.FormatDate(a.ApprovedAt!.Value)).ToList(),
            approved.Select(a => a.Score).ToList(), template.HighThreshold, template.MediumThreshold);
        var open = await db.Set<Conflict>().AsNoTracking().Where(c => c.MineId == mineId && c.State != ConflictState.Closed)
            .Select(c => new { c.Category, c.Amount, c.Persons, c.DueOn }).ToListAsync();
        var byCategory = open.GroupBy(c => c.Category).OrderByDescending(g => g.Count())
            .Select(g => (g.Key.Label(), g.Count(), g.Sum(c => c.Amount ?? 0), g.Sum(c => c.Persons ?? 0))).ToList();
        var force = await db.Set<TaskForce>().AsNoTracking().Where(t => t.MineId == mineId && t.Active).Select(t => new { t.Id, t.Name }).FirstOrDefaultAsync();
        DateOnly? lastPatrol = force is null ? null : await db.Set<PatrolLog>().Where(p => p.TaskForceId == force.Id).MaxAsync(p => (DateOnly?)p.Date);
        var checks = await db.Set<TenItemCheck>().AsNoTracking().Where(t => t.MineId == mineId).ToDictionaryAsync(t => t.Item, t => t.Done);
        var ten = Enum.GetValues<TenItem>().Select(i => (i, checks.GetValueOrDefault(i))).ToList();
        return View("/Features/Stability/Section.cshtml", new StabilitySection(mineId, grade, latest is null ? null : StabilityViews.Labelled(latest), chart,
            open.Count, open.Count(c => c.DueOn < today), byCategory, force?.Id, force?.Name, lastPatrol, ten,
            StabilityAccess.CanAssess(user) && !user.IsReadOnly, StabilityAccess.CanKeepLedger(user) && !user.IsReadOnly));
    }
}
