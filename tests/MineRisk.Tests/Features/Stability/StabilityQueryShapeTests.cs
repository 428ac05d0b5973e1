using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Features.Stability;

/// <summary>
/// The conflict ledger, the assessments list and the grade counts run as queries compiled once per shape
/// (QueryShapes): each must hold what the same query holds run as plain LINQ, for every filter, page and scope.
/// </summary>
public abstract class StabilityQueryShapeTests(AppFixture app)
{
    private static UserScope[] Scopes(long enterprise) =>
    [
        UserScope.System,
        UserScope.ForRegion("530300", 1, "曲靖市"),
        UserScope.ForRegion("530302", 1, "麒麟区"),
        UserScope.ForEnterprise(enterprise, 1, MineDemoSeeder.DemoEnterprise),
    ];

    private Task<long> DemoEnterpriseAsync() =>
        app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Enterprise!.Name == MineDemoSeeder.DemoEnterprise).Select(m => m.EnterpriseId!.Value).FirstAsync());

    [Fact]
    public async Task ConflictPages_HoldWhatThePlainQueryHolds()
    {
        var mine = await app.WithDbAsync(db => db.Set<Conflict>().GroupBy(c => c.MineId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync());
        var leader = await app.WithDbAsync(db => db.Set<Conflict>().Select(c => c.LeaderUserId).FirstAsync());
        ConflictQuery[] queries =
        [
            new(),
            new(RegionCode: "530302"),
            new(MineId: mine),
            new(Category: ConflictCategory.WageArrears, State: ConflictState.Resolving),
            new(Open: true, RiskGrade: RiskGrade.High),
            new(Overdue: true),
            new(LeaderUserId: leader, Open: true),
            new(Q: "欠"),
        ];
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var compared = 0;
        foreach (var scope in Scopes(await DemoEnterpriseAsync()))
        {
            foreach (var query in queries)
            {
                foreach (var page in new[] { 1, 2 })
                {
                    var paging = new Paging(page, 5);
                    var (items, total, expected, expectedTotal) = await app.WithDbAsync(async db =>
                    {
                        db.Scope = scope;
                        var (items, total) = await query.PageAsync(db, today, paging, CancellationToken.None);
                        var rows = query.Rows(db, today);
                        var expected = await StabilityViews.ToListItems(rows.OrderByDescending(c => c.RegisteredAt).ThenByDescending(c => c.Id).Skip(paging.Skip).Take(paging.PageSize), today)
                            .ToListAsync();
                        return (items, total, expected, await rows.CountAsync());
                    });
                    var label = $"{scope.Description} {query} 第 {page} 页";
                    Assert.True(expectedTotal == total, $"{label}：总数 {total}，应为 {expectedTotal}");
                    Assert.True(expected.SequenceEqual(items), $"{label}：{string.Join(",", items.Select(i => i.Id))}，应为 {string.Join(",", expected.Select(i => i.Id))}");
                    compared += items.Count;
                }
            }
        }

        Assert.True(compared > 50, $"只比较了 {compared} 行");
    }

    [Fact]
    public async Task AssessmentPages_HoldWhatThePlainQueryHolds()
    {
        var mine = await app.WithDbAsync(db => db.Set<Assessment>().GroupBy(a => a.MineId).OrderByDescending(g => g.Count()).Select(g => g.Key).FirstAsync());
        AssessmentQuery[] queries =
        [
            new(),
            new(MineId: mine),
            new(State: AssessmentState.Approved, Grade: RiskGrade.High),
            new(RegionCode: "530302"),
        ];
        var compared = 0;
        foreach (var scope in Scopes(await DemoEnterpriseAsync()))
        {
            foreach (var query in queries)
            {
                foreach (var page in new[] { 1, 2 })
                {
                    var paging = new Paging(page, 4);
                    var (ids, total, expected, expectedTotal) = await app.WithDbAsync(async db =>
                    {
                        db.Scope = scope;
                        var (items, total) = await query.PageAsync(db, paging, CancellationToken.None);
                        var rows = db.Set<Assessment>().AsNoTracking()
                            .Where(a => query.MineId == null || a.MineId == query.MineId)
                            .Where(a => query.State == null || a.State == query.State)
                            .Where(a => query.Grade == null || a.Grade == query.Grade)
                            .Where(a => query.RegionCode == null || a.RegionCode.StartsWith(RegionCodes.Prefix(query.RegionCode)));
                        var expected = await rows.OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id).Skip(paging.Skip).Take(paging.PageSize).Select(a => a.Id).ToListAsync();
                        return (items.Select(i => i.Id).ToList(), total, expected, await rows.CountAsync());
                    });
                    var label = $"{scope.Description} {query} 第 {page} 页";
                    Assert.True(expectedTotal == total, $"{label}：总数 {total}，应为 {expectedTotal}");
                    Assert.True(expected.SequenceEqual(ids), $"{label}：{string.Join(",", ids)}，应为 {string.Join(",", expected)}");
                    compared += ids.Count;
                }
            }
        }

        Assert.True(compared > 20, $"只比较了 {compared} 行");
    }

    [Fact]
    public async Task GradeCounts_CountEachMineInScopeByItsGrade_UnderItsCountysName()
    {
        var regions = app.Services.GetRequiredService<RegionTree>();
        foreach (var scope in Scopes(await DemoEnterpriseAsync()))
        {
            foreach (var region in new[] { null, "530300", "530381" })
            {
                var (counties, expected, names) = await app.WithDbAsync(async db =>
                {
                    db.Scope = scope;
                    var counties = await StabilityViews.ByCountyAsync(db, regions, region, CancellationToken.None);
                    var mines = db.Set<Mine>().AsQueryable();
                    if (region is not null)
                    {
                        var prefix = RegionCodes.Prefix(region);
                        mines = mines.Where(m => m.RegionCode.StartsWith(prefix));
                    }

                    var expected = await mines.Select(m => new { County = m.Region!.ParentCode, m.RiskGrade }).ToListAsync();
                    var names = await db.Regions.IgnoreQueryFilters().ToDictionaryAsync(r => r.Code, r => r.Name);
                    return (counties, expected, names);
                });
                var label = $"{scope.Description} {region ?? "全部"}";
                var expectedCounties = string.Join(",", expected.Select(e => e.County).Distinct().Order(StringComparer.Ordinal));
                Assert.True(expectedCounties == string.Join(",", counties.Select(c => c.CountyCode)), $"{label}：{string.Join(",", counties.Select(c => c.CountyCode))}，应为 {expectedCounties}（{expected.Count} 座煤矿）");
                foreach (var county in counties)
                {
                    var mines = expected.Where(e => e.County == county.CountyCode).ToList();
                    Assert.True(names[county.CountyCode] == county.CountyName, $"{label}：{county.CountyCode} 名称 {county.CountyName}");
                    Assert.Equal((mines.Count(m => m.RiskGrade == RiskGrade.High), mines.Count(m => m.RiskGrade == RiskGrade.Medium), mines.Count(m => m.RiskGrade == RiskGrade.Low),
                        mines.Count(m => m.RiskGrade == null)), (county.High, county.Medium, county.Low, county.Unassessed));
                }
            }
        }
    }
}

public sealed class StabilityQueryShapeTestsSqlite(SqliteApp app) : StabilityQueryShapeTests(app), IClassFixture<SqliteApp>;

public sealed class StabilityQueryShapeTestsPostgres(PostgresApp app) : StabilityQueryShapeTests(app), IClassFixture<PostgresApp>;
