using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Features.Stability;

/// <summary>
/// How SQLite reads the conflict ledger (bench/stability.sh at national scale: 50,000 conflicts): newest first from an
/// index rather than sorting every conflict for each page, and with statistics so that it picks the narrow index.
/// </summary>
public sealed class ConflictListPlanTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    [Theory]
    [InlineData(null)]
    [InlineData(ConflictState.Resolving)]
    public async Task NationWideLedger_IsReadNewestFirst_WithoutSorting(ConflictState? state)
    {
        var plan = await PlanAsync(new ConflictQuery(State: state));
        Assert.DoesNotContain("TEMP B-TREE", plan);
        Assert.Contains(state is null ? "ix_conflicts_registered_at" : "ix_conflicts_state_registered_at", plan);
    }

    [Fact]
    public async Task AfterStart_ThePlannerHasStatistics()
    {
        var rows = await app.WithDbAsync(async db =>
        {
            await db.Database.OpenConnectionAsync();
            await using var command = db.Database.GetDbConnection().CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'conflicts'";
            return Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        });
        Assert.True(rows > 0, "启动后 SQLite 应有 conflicts 表的统计信息（sqlite_stat1）");
    }

    /// <summary>The list API's query (StabilityApi.ListConflictsAsync) for a user who sees every region.</summary>
    private Task<string> PlanAsync(ConflictQuery query) => app.WithDbAsync(db =>
    {
        db.Scope = UserScope.ForRegion(RegionCodes.Nation, 1, "全国");
        var filtered = query.Apply(db.Set<Conflict>().AsNoTracking(), Today);
        return QueryPlan.SqliteAsync(db, StabilityViews.ToListItems(
            filtered.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Skip(0).Take(20), Today));
    });
}
