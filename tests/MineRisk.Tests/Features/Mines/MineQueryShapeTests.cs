using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Features.Mines;

/// <summary>
/// The registry's page runs as queries compiled once per shape (QueryShapes): it must hold what the same query holds
/// run as plain LINQ — every filter, sort and page, for every scope, the shapes shared between users as in the app.
/// </summary>
public abstract class MineQueryShapeTests(AppFixture app)
{
    private static readonly MineQuery[] Queries =
    [
        new(),
        new(RegionCode: "530325"),
        new(Status: MineStatus.Producing, Sort: "capacity"),
        new(RegionCode: "530300", Status: MineStatus.Producing, GasLevel: GasLevel.Outburst, MinCapacity: 30, Sort: "capacity"),
        new(MinCapacity: 30, MaxCapacity: 90, Sort: "name"),
        new(Disposition: Disposition.CloseExit, Sort: "status"),
        new(Q: "煤矿", Sort: "updated"),
        new(Q: "5303"),
        new(Grade: RiskGrade.High),
        new(Unassessed: true, Sort: "no-such-sort"),
    ];

    [Fact]
    public async Task PageAsync_HoldsWhatThePlainQueryHolds_ForEveryFilterSortPageAndScope()
    {
        var enterprise = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Enterprise!.Name == MineDemoSeeder.DemoEnterprise).Select(m => m.EnterpriseId!.Value).FirstAsync());
        UserScope[] scopes =
        [
            UserScope.System,
            UserScope.ForRegion("530300", 1, "曲靖市"),
            UserScope.ForRegion("530302", 1, "麒麟区"),
            UserScope.ForEnterprise(enterprise, 1, MineDemoSeeder.DemoEnterprise),
            UserScope.ForRegion("530381", 1, "宣威市"),
        ];
        var checkedRows = 0;
        foreach (var scope in scopes)
        {
            foreach (var query in Queries)
            {
                foreach (var page in new[] { 1, 2, 5 })
                {
                    var paging = new Paging(page, 7);
                    var (items, total, expectedIds, expectedTotal) = await app.WithDbAsync(async db =>
                    {
                        db.Scope = scope;
                        var (items, total) = await query.PageAsync(db, paging, CancellationToken.None);
                        var expected = await query.Order(query.Rows(db)).Skip(paging.Skip).Take(paging.PageSize).Select(m => m.Id).ToListAsync();
                        return (items, total, expected, await query.Rows(db).CountAsync());
                    });
                    var label = $"{scope.Description} {query} 第 {page} 页";
                    Assert.True(expectedTotal == total, $"{label}：总数 {total}，应为 {expectedTotal}");
                    Assert.True(expectedIds.SequenceEqual(items.Select(i => i.Id)), $"{label}：{string.Join(",", items.Select(i => i.Id))}，应为 {string.Join(",", expectedIds)}");
                    checkedRows += items.Count;
                }
            }
        }

        Assert.True(checkedRows > 300, $"只比较了 {checkedRows} 行");
    }

    private sealed class Bad
    {
        public string Prefix = "5303";
        public int Skip, Take = 3;
    }

    [Fact]
    public async Task ACapturedValueOrALiteralPage_IsRefused_RatherThanFrozenIntoTheCompiledQuery()
    {
        var shapes = new QueryShapes<Bad>();
        var local = "5303";
        await app.WithDbAsync(async db =>
        {
            // A local: compiled, its first value would serve every later call.
            var captured = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                shapes.CountAsync(db, "local", new Bad(), _ => db.Set<Mine>().Where(m => m.Code.StartsWith(local)), CancellationToken.None));
            Assert.Contains("未作为参数的捕获值", captured.Message);

            // Queryable.Skip takes the number itself: page 2 would be page 1 again.
            var literal = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                shapes.ToListAsync(db, "skip", new Bad { Skip = 7 }, b => db.Set<Mine>().OrderBy(m => m.Id).Skip(b.Skip).Take(7), 7, CancellationToken.None));
            Assert.Contains("SkipTake", literal.Message);

            // The arguments' fields are parameters: the same shape, other values, other rows.
            var first = await shapes.ToListAsync(db, "ok", new Bad { Prefix = "5303", Skip = 0 },
                b => db.Set<Mine>().Where(m => m.Code.StartsWith(b.Prefix)).OrderBy(m => m.Id).Select(m => m.Id).SkipTake(() => b.Skip, () => b.Take), 3, CancellationToken.None);
            var second = await shapes.ToListAsync<long>(db, "ok", new Bad { Prefix = "5303", Skip = 3 },
                b => throw new InvalidOperationException("已编译的形状不应再构建"), 3, CancellationToken.None);
            Assert.Equal(3, first.Count);
            Assert.Empty(first.Intersect(second));
            Assert.Equal(1, shapes.Count);
        });
    }
}

public sealed class QueryShapesCapacityTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private sealed class Args
    {
        public string Prefix = "";
    }

    [Fact]
    public async Task PastItsCapacity_TheCacheStartsAgain_AndStillAnswers()
    {
        var shapes = new QueryShapes<Args>(capacity: 2);
        await app.WithDbAsync(async db =>
        {
            foreach (var (shape, prefix) in new[] { ("a", "5303"), ("b", "530302"), ("c", "530381") })
            {
                var count = await shapes.CountAsync(db, shape, new Args { Prefix = prefix }, a => db.Set<Mine>().Where(m => m.RegionCode.StartsWith(a.Prefix)), CancellationToken.None);
                Assert.Equal(await db.Set<Mine>().CountAsync(m => m.RegionCode.StartsWith(prefix)), count);
            }

            Assert.Equal(1, shapes.Count); // a and b compiled, then the third started the cache again
        });
    }
}

public sealed class MineQueryShapeTestsSqlite(SqliteApp app) : MineQueryShapeTests(app), IClassFixture<SqliteApp>;

public sealed class MineQueryShapeTestsPostgres(PostgresApp app) : MineQueryShapeTests(app), IClassFixture<PostgresApp>;
