using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Platform;

/// <summary>
/// The jurisdiction filter in SQL: a scope of every region puts no bound on region codes (so that a query's own
/// region filter is what the database seeks), and every scope still sees exactly its rows.
/// </summary>
public abstract class ScopeQueryTests(AppFixture app)
{
    protected static readonly UserScope Nation = UserScope.ForRegion(RegionCodes.Nation, 1, "全国");

    [Fact]
    public async Task NationScope_WithACountyFilter_SeesWhatTheCountySees()
    {
        var county = await CountAsync(UserScope.ForRegion("530302", 1, "麒麟区"), new MineQuery());
        var nationFiltered = await CountAsync(Nation, new MineQuery(RegionCode: "530302"));
        var nationAll = await CountAsync(Nation, new MineQuery());
        Assert.True(county > 0);
        Assert.Equal(county, nationFiltered);
        Assert.Equal(await app.WithDbAsync(db => db.Set<Mine>().CountAsync()), nationAll);
    }

    [Fact]
    public async Task EnterpriseScope_CoversEveryRegion_ButOnlyItsEnterprise()
    {
        var enterpriseId = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.EnterpriseId != null).Select(m => m.EnterpriseId!.Value).FirstAsync());
        var scope = UserScope.ForEnterprise(enterpriseId, 1, "某煤业");
        Assert.True(scope.AllRegions);
        Assert.Equal(await app.WithDbAsync(db => db.Set<Mine>().CountAsync(m => m.EnterpriseId == enterpriseId)), await CountAsync(scope, new MineQuery()));
    }

    [Fact]
    public async Task NothingScope_SeesNoMineAndNoRegion()
    {
        Assert.False(UserScope.Nothing.AllRegions);
        Assert.Equal(0, await CountAsync(UserScope.Nothing, new MineQuery()));
        Assert.Equal(0, await app.WithDbAsync(db =>
        {
            db.Scope = UserScope.Nothing;
            return db.Regions.CountAsync();
        }));
    }

    /// <summary>
    /// The kind of scope is a flag of the filter (AppDbContext.ScopeFilter) — a constant of the SQL on PostgreSQL, a
    /// parameter on SQLite: when kinds alternate, EF's translation cache keeps them apart and each sees exactly its rows.
    /// </summary>
    [Fact]
    public async Task AlternatingKindsOfScope_EachSeeExactlyTheirRows()
    {
        var (county, enterprise) = await KindsAsync();
        var expected = new Dictionary<UserScope, int>
        {
            [county] = await app.WithDbAsync(db => db.Set<Mine>().IgnoreQueryFilters().CountAsync(m => m.RegionCode.StartsWith("530302"))),
            [Nation] = await app.WithDbAsync(db => db.Set<Mine>().IgnoreQueryFilters().CountAsync()),
            [enterprise] = await app.WithDbAsync(db => db.Set<Mine>().IgnoreQueryFilters().CountAsync(m => m.EnterpriseId == enterprise.EnterpriseId)),
            [UserScope.Nothing] = 0,
        };
        Assert.True(expected[county] > 0 && expected[county] < expected[Nation] && expected[enterprise] < expected[Nation]);
        foreach (var scope in new[] { county, Nation, enterprise, UserScope.Nothing, county, enterprise, Nation, county })
        {
            Assert.Equal(expected[scope], await CountAsync(scope, new MineQuery()));
        }
    }

    protected async Task<(UserScope County, UserScope Enterprise)> KindsAsync()
    {
        var enterpriseId = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.EnterpriseId != null).Select(m => m.EnterpriseId!.Value).FirstAsync());
        return (UserScope.ForRegion("530302", 1, "麒麟区"), UserScope.ForEnterprise(enterpriseId, 1, "某煤业"));
    }

    protected Task<string> SqlAsync(UserScope scope) => app.WithDbAsync(db =>
    {
        db.Scope = scope;
        return Task.FromResult(db.Set<Mine>().AsNoTracking().Select(m => m.Id).ToQueryString());
    });

    protected Task<int> CountAsync(UserScope scope, MineQuery query) => app.WithDbAsync(db =>
    {
        db.Scope = scope;
        return query.Rows(db).CountAsync();
    });
}

public sealed class ScopeQueryTestsSqlite(SqliteApp app) : ScopeQueryTests(app), IClassFixture<SqliteApp>
{
    /// <summary>
    /// SQLite seeks the first range of a column it is given. Bounded by the scope ["", "~"), the nation's registry was
    /// read through the region index and sorted (a temporary B-tree) on every page; unbounded, it is read in code order.
    /// </summary>
    [Fact]
    public async Task NationScope_ReadsTheRegistryInCodeOrder_WithoutSorting()
    {
        var plan = await app.WithDbAsync(async db =>
        {
            db.Scope = UserScope.ForRegion(RegionCodes.Nation, 1, "全国");
            var query = new MineQuery();
            return await QueryPlan.SqliteAsync(db, query.Order(query.Rows(db)).Take(20));
        });
        Assert.Contains("ix_mines_code", plan);
        Assert.DoesNotContain("TEMP B-TREE", plan);
    }

    /// <summary>
    /// The registry's lists repeat a regional scope's range as a plain condition (AppDbContext.SeekScope) so that SQLite
    /// reads a city's or county's mines through the region index — behind the filter's flag it walked the code index
    /// past the mines of every other region and counted by reading the table.
    /// </summary>
    [Theory]
    [InlineData("530300")]
    [InlineData("530302")]
    public async Task RegionalScope_RegistryListSeeksItsRange(string region)
    {
        var (page, count) = await app.WithDbAsync(async db =>
        {
            db.Scope = UserScope.ForRegion(region, 1, region);
            var query = new MineQuery();
            var filtered = query.Rows(db);
            return (await QueryPlan.SqliteAsync(db, query.Order(filtered).Take(20)), await QueryPlan.SqliteAsync(db, filtered.Select(m => m.Id)));
        });
        Assert.Contains("ix_mines_region_code (region_code>? AND region_code<?)", page);
        Assert.Contains("ix_mines_region_code (region_code>? AND region_code<?)", count);
    }

    /// <summary>
    /// On SQLite the scope's bounds stay behind a flag, so SQLite never seeks them: without range statistics it took a
    /// city's region range over the (level, found_at) index for the closure check of /hazards (72 → 348 ms as city at
    /// national scale, bench/hazards.sh, when the bounds were bare).
    /// </summary>
    [Fact]
    public async Task RegionalScope_IsNotAnIndexRangeForSqlite()
    {
        var (county, _) = await KindsAsync();
        Assert.Contains("@ef_filter__ScopeAllRegions", await SqlAsync(county));
        var plan = await app.WithDbAsync(async db =>
        {
            db.Scope = UserScope.ForRegion("530300", 1, "曲靖市");
            var since = DateTime.UtcNow.AddMonths(-3);
            return await QueryPlan.SqliteAsync(db, db.Set<Hazard>().AsNoTracking()
                .Where(h => h.Level == HazardLevel.Major && h.FoundWhileProducing && h.FoundAt >= since)
                .Select(h => new { h.MineId, h.FoundAt }));
        });
        Assert.DoesNotContain("region_code>", plan);
    }
}

public sealed class ScopeQueryTestsPostgres(PostgresApp app) : ScopeQueryTests(app), IClassFixture<PostgresApp>
{
    /// <summary>
    /// On PostgreSQL each kind of scope gets a statement with only the conditions it needs — no "@flag OR range", which
    /// kept PostgreSQL re-planning prepared statements on every execution (a generic plan of it cannot use the index).
    /// </summary>
    [Fact]
    public async Task EachKindOfScope_GetsItsOwnStatement_WithOnlyTheConditionsItNeeds()
    {
        var (county, enterprise) = await KindsAsync();
        var countySql = await SqlAsync(county);
        Assert.Contains("region_code", countySql);
        Assert.DoesNotContain("enterprise_id", countySql);
        Assert.DoesNotContain(" OR ", countySql);
        var nationSql = await SqlAsync(Nation);
        Assert.DoesNotContain("region_code", nationSql);
        Assert.DoesNotContain("enterprise_id", nationSql);
        var enterpriseSql = await SqlAsync(enterprise);
        Assert.Contains("enterprise_id", enterpriseSql);
        Assert.DoesNotContain("region_code", enterpriseSql);
        Assert.DoesNotContain(" OR ", enterpriseSql);
    }
}
