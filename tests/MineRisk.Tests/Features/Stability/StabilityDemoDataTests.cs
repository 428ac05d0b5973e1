using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;

namespace MineRisk.Tests.Features.Stability;

/// <summary>The city-scale stability demo data: DESIGN §3 volumes, and consistent with itself (a 高 mine has open conflicts and a task force).</summary>
public sealed class StabilityDemoDataTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task CityScale_HasDesignVolumes_AndEveryMineAGradeFromAnApprovedAssessment()
    {
        var conflicts = await app.WithDbAsync(db => db.Set<Conflict>().CountAsync());
        Assert.InRange(conflicts, 1600, 2400); // DESIGN §3: 2,000 at a city
        var mines = await app.WithDbAsync(db => db.Set<Mine>().Select(m => new { m.Id, m.RiskGrade }).ToListAsync());
        Assert.All(mines, m => Assert.NotNull(m.RiskGrade));
        var newest = await app.WithDbAsync(db => db.Set<Assessment>().Where(a => a.State == AssessmentState.Approved)
            .GroupBy(a => a.MineId).Select(g => new { MineId = g.Key, Grade = g.OrderByDescending(a => a.ApprovedAt).Select(a => a.Grade).First() }).ToListAsync());
        Assert.Equal(mines.ToDictionary(m => m.Id, m => m.RiskGrade!.Value), newest.ToDictionary(n => n.MineId, n => n.Grade));
        Assert.InRange(mines.Count(m => m.RiskGrade == RiskGrade.High), 30, 50);
    }

    [Fact]
    public async Task HighMines_HaveOpenConflictsAndTaskForces_AndFewItemsAreOverdue()
    {
        var (high, withOpen, withForce) = await app.WithDbAsync(async db =>
        {
            var ids = await db.Set<Mine>().Where(m => m.RiskGrade == RiskGrade.High).Select(m => m.Id).ToListAsync();
            var open = await db.Set<Conflict>().Where(c => ids.Contains(c.MineId) && c.State != ConflictState.Closed).Select(c => c.MineId).Distinct().CountAsync();
            var forces = await db.Set<TaskForce>().Where(t => ids.Contains(t.MineId) && t.Active).Select(t => t.MineId).Distinct().CountAsync();
            return (ids.Count, open, forces);
        });
        Assert.True(withOpen >= high * 0.9, $"{high} 个高风险煤矿中只有 {withOpen} 个有未销号的不稳定因素");
        Assert.True(withForce >= high * 0.85, $"{high} 个高风险煤矿中只有 {withForce} 个成立了专班");

        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        var (open, overdue, withoutDeadline) = await app.WithDbAsync(async db => (
            await db.Set<Conflict>().CountAsync(c => c.State != ConflictState.Closed),
            await db.Set<Conflict>().CountAsync(c => c.State != ConflictState.Closed && c.DueOn < today),
            await db.Set<Conflict>().CountAsync(c => c.State != ConflictState.Closed && c.DeadlineId == null)));
        Assert.InRange(overdue, 1, open * 0.35);
        Assert.Equal(0, withoutDeadline);
    }
}
