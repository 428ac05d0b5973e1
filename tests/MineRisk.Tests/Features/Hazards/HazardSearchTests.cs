using System.Linq.Expressions;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Features.Hazards;

/// <summary>
/// The ledger's text search through its bigram index (<see cref="HazardSearch"/>) finds exactly what the plain substring
/// match finds (number, place, description, mine name), in the same order, counted the same way up to 10,000, whatever the
/// word's length, script or frequency, the jurisdiction and the filters; and the index stays equal to the hazards' text
/// after bulk seeding, registration, an edit, a rollback and an upgrade from a version without it.
/// </summary>
public abstract class HazardSearchTests(AppFixture app)
{
    private static readonly DateOnly Today = ChinaTime.DateOf(TestClock.DefaultStart.UtcDateTime);

    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    /// <summary>The ledger's text match before the index: what every search must still return, computed by the database alone.</summary>
    private static Expression<Func<Hazard, bool>> Substring(string q) =>
        h => h.Number == q || h.Description.Contains(q) || h.Location.Contains(q) || h.Mine!.Name.Contains(q);

    /// <summary>Searches as a jurisdiction (every region, 曲靖市, 麒麟区, an enterprise's mines), without or with other filters.</summary>
    private async Task AssertSameAsSubstringAsync(string q, string jurisdiction, HazardQuery query)
    {
        var enterprise = jurisdiction == "enterprise"
            ? await app.WithDbAsync(db => db.Set<Hazard>().Where(h => h.EnterpriseId != null).GroupBy(h => h.EnterpriseId).OrderByDescending(g => g.Count()).Select(g => g.Key!.Value).FirstAsync())
            : 0;
        var (ids, page, count, expectedIds, expectedPage, expectedCount) = await app.WithDbAsync(async db =>
        {
            db.Scope = jurisdiction switch
            {
                "nation" => UserScope.ForRegion(RegionCodes.Nation, 1, "全国"),
                "city" => UserScope.ForRegion("530300", 1, "曲靖市"),
                "county" => UserScope.ForRegion("530302", 1, "麒麟区"),
                _ => UserScope.ForEnterprise(enterprise, 1, "企业"),
            };
            var selection = await (query with { Q = q }).SelectAsync(db, Today, CancellationToken.None);
            var reference = query.Apply(db.Set<Hazard>().AsNoTracking(), Today).Where(Substring(q));
            return (
                await selection.Rows.Select(h => h.Id).ToListAsync(),
                await selection.Page(20, 20).Select(h => h.Id).ToListAsync(),
                await selection.CountAsync(CancellationToken.None),
                await reference.Select(h => h.Id).ToListAsync(),
                await HazardViews.Ordered(reference).Skip(20).Take(20).Select(h => h.Id).ToListAsync(),
                await Paging.CountAsync(reference, CancellationToken.None));
        });
        Assert.Equal(expectedIds.Order(), ids.Order());
        Assert.Equal(expectedPage, page);
        Assert.Equal(expectedCount, count);
    }

    [Theory]
    [InlineData("顶板")] // two characters: one bigram, exactly the matches
    [InlineData("记录")] // two characters in a quarter of the ledger: more candidates than are read by id
    [InlineData("瓦斯抽采")] // longer: the bigrams may occur apart, confirmed by the substring match
    [InlineData("工作面")] // longer and common: read once by id (≤ 10,000 candidates needing a count)
    [InlineData("工")] // one character: every bigram it starts
    [InlineData("擅")] // one rare character
    [InlineData("0")] // one character in most texts: in a jurisdiction, candidates confirmed newest first until 10,000 match
    [InlineData("350 mm")] // digits, a space and letters
    [InlineData("MPa")] // ASCII
    [InlineData("mpa")] // ASCII in another case: the match is case-sensitive
    [InlineData("3#")] // ASCII with a symbol, not in the demo texts
    [InlineData("切眼")] // only in places, never in descriptions
    [InlineData("煤矿")] // in nearly every mine's name: every hazard of those mines
    [InlineData("一个不存在的词")] // nowhere
    public async Task Search_FindsWhatTheSubstringMatchFinds_InTheSameOrder_AndCountsTheSame(string q)
    {
        await AssertSameAsSubstringAsync(q, "nation", new HazardQuery());
        await AssertSameAsSubstringAsync(q, "city", new HazardQuery());
        await AssertSameAsSubstringAsync(q, "county", new HazardQuery());
        await AssertSameAsSubstringAsync(q, "enterprise", new HazardQuery());
        await AssertSameAsSubstringAsync(q, "nation", new HazardQuery(Open: true));
        await AssertSameAsSubstringAsync(q, "city", new HazardQuery(RegionCode: "530302", Level: HazardLevel.General));
        await AssertSameAsSubstringAsync(q, "nation", new HazardQuery(RegionCode: "530300", Category: "通风"));
        await AssertSameAsSubstringAsync(q, "nation", new HazardQuery(From: new DateOnly(2026, 1, 1), To: new DateOnly(2026, 3, 31)));
    }

    [Fact]
    public async Task Search_ByAMinesName_FindsEveryHazardOfThatMine()
    {
        var mine = await app.WithDbAsync(db => db.Set<Mine>().Where(m => db.Set<Hazard>().Any(h => h.MineId == m.Id)).OrderBy(m => m.Id)
            .Select(m => new { m.Id, m.Name }).FirstAsync());
        await AssertSameAsSubstringAsync(mine.Name, "nation", new HazardQuery());
        await AssertSameAsSubstringAsync(mine.Name, "city", new HazardQuery(Open: true));
        var ids = await app.WithDbAsync(async db =>
        {
            db.Scope = UserScope.System;
            return await (await new HazardQuery(Q: mine.Name).SelectAsync(db, Today, CancellationToken.None)).Rows.Select(h => h.MineId).Distinct().ToListAsync();
        });
        Assert.Contains(mine.Id, ids);
    }

    /// <summary>The words chosen above do reach each way of answering (a test that cannot fail is a defect).</summary>
    [Fact]
    public async Task TheWordsAbove_CoverFewAndManyCandidates_AndACappedCount()
    {
        var sizes = await app.WithDbAsync(async db => new
        {
            Rare = (await HazardSearch.CandidatesAsync(db, "擅", default)).Ids.Length,
            TwoCommon = (await HazardSearch.CandidatesAsync(db, "记录", default)).Ids.Length,
            LongCommon = await HazardSearch.CandidatesAsync(db, "工作面", default),
            Zero = (await HazardSearch.CandidatesAsync(db, "0", default)).Ids.Length,
            Mines = await db.Set<Hazard>().CountAsync(h => h.Mine!.Name.Contains("煤矿")),
        });
        Assert.InRange(sizes.Rare, 1, HazardSearch.FewCandidates);
        Assert.True(sizes.TwoCommon > HazardSearch.FewCandidates, $"记录 {sizes.TwoCommon}");
        Assert.True(sizes.LongCommon.Ids.Length > HazardSearch.FewCandidates && !sizes.LongCommon.Exact, $"工作面 {sizes.LongCommon.Ids.Length}");
        Assert.True(sizes.Zero > Paging.CountCap, $"0 {sizes.Zero}");
        Assert.True(sizes.Mines > Paging.CountCap, $"煤矿 {sizes.Mines}");
    }

    [Fact]
    public async Task SeededLedger_HasItsIndex()
    {
        Assert.True(await app.WithDbAsync(db => db.Set<HazardGram>().CountAsync()) > 1000);
        await AssertIndexExactAsync(app);
    }

    [Fact]
    public async Task Register_TheNewHazardIsFoundByEachOfItsWords_ThroughTheApiThePageAndTheExport()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var id = await RegisterAsync(county, "3#煤层 9901 试验巷", "锚杆托盘松动，检索测试甲乙");
        foreach (var q in new[] { "3#", "9901", "3#煤层 9901", "甲乙", "测试甲乙", "乙", "锚杆托盘松动，检索" })
        {
            var found = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards?pageSize=200&q={Uri.EscapeDataString(q)}"), HttpStatusCode.OK);
            Assert.Contains(id, found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        }

        var page = await (await app.BrowserAsAsync("county.qilin")).GetStringAsync($"/hazards/list?q={Uri.EscapeDataString("测试甲乙")}");
        Assert.Contains("检索测试甲乙", WebUtility.HtmlDecode(page));
        Assert.Contains("共 1 项", WebUtility.HtmlDecode(page));
        var sheet = XlsxReading.ReadFirstSheet(await county.GetByteArrayAsync($"/api/v1/hazards/export.xlsx?q={Uri.EscapeDataString("测试甲乙")}"));
        Assert.Equal(2, sheet.Count);
        Assert.Equal("锚杆托盘松动，检索测试甲乙", sheet[1][4]);
        await AssertIndexExactAsync(app);
    }

    [Fact]
    public async Task Edit_OfDescriptionAndPlace_OldWordsNoLongerFindIt_NewOnesDo()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var id = await RegisterAsync(county, "旧地点丙丁巷", "旧描述丙丁");
        await app.WithDbAsync(async db =>
        {
            // An edit of the text, by whatever code path: the save hook sees the change, not the caller.
            var hazard = await db.Set<Hazard>().SingleAsync(h => h.Id == id);
            hazard.Description = "更正后描述戊己";
            hazard.Location = "更正地点";
            await db.SaveChangesAsync();
        });
        Assert.Empty(await SearchAsync(county, "丙丁"));
        Assert.Equal([id], await SearchAsync(county, "戊己"));
        Assert.Equal([id], await SearchAsync(county, "更正地点"));

        // A workflow step changes no text and leaves the index as it was.
        var before = await app.WithDbAsync(db => db.Set<HazardGram>().AsNoTracking().OrderBy(g => g.Gram).ThenBy(g => g.Block).ToListAsync());
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/hazards/{id}/transitions", new { action = "grade", level = "general" }), HttpStatusCode.OK);
        var after = await app.WithDbAsync(db => db.Set<HazardGram>().AsNoTracking().OrderBy(g => g.Gram).ThenBy(g => g.Block).ToListAsync());
        Assert.Equal(before.Select(g => (g.Gram, g.Block, Convert.ToHexString(g.Postings))), after.Select(g => (g.Gram, g.Block, Convert.ToHexString(g.Postings))));

        // Its jurisdiction moves to another county (as it would with its mine): found there, no longer here.
        await app.WithDbAsync(async db =>
        {
            var hazard = await db.Set<Hazard>().SingleAsync(h => h.Id == id);
            hazard.RegionCode = "530381101";
            await db.SaveChangesAsync();
        });
        Assert.Empty(await SearchAsync(county, "戊己"));
        Task<List<long>> InRegionAsync(string regionCode) => app.WithDbAsync(async db =>
        {
            db.Scope = UserScope.ForRegion(RegionCodes.Nation, 1, "全国");
            return await (await new HazardQuery(RegionCode: regionCode, Q: "戊己").SelectAsync(db, Today, CancellationToken.None)).Rows.Select(h => h.Id).ToListAsync();
        });
        Assert.Equal([id], await InRegionAsync("530381"));
        Assert.Empty(await InRegionAsync("530302"));
        await AssertIndexExactAsync(app);
    }

    [Fact]
    public async Task RolledBack_RegistrationAndEdit_LeaveNothingBehindInTheIndex()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var id = await RegisterAsync(county, "回滚测试巷", "回滚前描述");
        await app.WithDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var hazard = await db.Set<Hazard>().SingleAsync(h => h.Id == id);
            hazard.Description = "回滚测试庚辛";
            db.Add(new Hazard
            {
                Number = "YH-530302-2099-999999", MineId = hazard.MineId, RegionCode = hazard.RegionCode, EnterpriseId = hazard.EnterpriseId,
                Location = "回滚新增地点", Description = "回滚测试壬癸", ProfessionalCategory = hazard.ProfessionalCategory, FoundAt = hazard.FoundAt,
                FoundByName = hazard.FoundByName, RectifierUserId = hazard.RectifierUserId, RectifierName = hazard.RectifierName, DueOn = hazard.DueOn,
                RegisteredById = hazard.RegisteredById, RegisteredByName = hazard.RegisteredByName, RegisteredAt = hazard.RegisteredAt, UpdatedAt = hazard.UpdatedAt,
            });
            await db.SaveChangesAsync();
            Assert.Contains(id, (await HazardSearch.CandidatesAsync(db, "庚辛", default)).Ids); // written, inside the transaction
            Assert.Single((await HazardSearch.CandidatesAsync(db, "壬癸", default)).Ids);
            await transaction.RollbackAsync();
        });
        Assert.Empty(await SearchAsync(county, "庚辛"));
        Assert.Empty(await SearchAsync(county, "壬癸"));
        Assert.Equal([id], await SearchAsync(county, "回滚前描述"));
        await AssertIndexExactAsync(app);
    }

    [Fact]
    public async Task Upgrade_OfADatabaseWithoutTheIndex_BuildsItForTheExistingHazards()
    {
        var database = app.IsPostgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        await using (var older = new ExistingDatabaseApp(database, "city", ownsDatabase: false))
        {
            await older.StartAsync();
            // As a version before the index left it: hazards, no hazard_grams table.
            await older.WithDbAsync(db => db.Database.ExecuteSqlRawAsync("DROP TABLE hazard_grams"));
        }

        await using var upgraded = new ExistingDatabaseApp(database, "city");
        await upgraded.StartAsync();
        Assert.True(await upgraded.WithDbAsync(db => db.Set<Hazard>().CountAsync()) > 10_000);
        await AssertIndexExactAsync(upgraded);
        var report = await upgraded.WithServicesAsync(sp => sp.GetRequiredService<MineRisk.Web.Platform.Data.SchemaUpgrader>().UpgradeAsync(CancellationToken.None));
        Assert.Empty(report.Changes); // built once, not again at every start
        var counted = await upgraded.WithDbAsync(async db =>
        {
            db.Scope = UserScope.ForRegion("530300", 1, "曲靖市");
            return await (await new HazardQuery(Q: "顶板").SelectAsync(db, Today, CancellationToken.None)).Rows.CountAsync();
        });
        Assert.Equal(await upgraded.WithDbAsync(db => db.Set<Hazard>().CountAsync(Substring("顶板"))), counted);
    }

    private async Task<long> RegisterAsync(HttpClient client, string location, string description)
    {
        var mine = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.RegionCode.StartsWith("530302") && m.Status == MineStatus.Producing).OrderBy(m => m.Id)
            .Select(m => m.Id).FirstAsync());
        var created = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/hazards", new
        {
            mineId = mine, location, description, professionalCategory = "顶板", deadline = ChinaTime.DateOf(Now).AddDays(3),
        }), HttpStatusCode.Created);
        return created.GetProperty("id").GetInt64();
    }

    private static async Task<List<long>> SearchAsync(HttpClient client, string q)
    {
        var found = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/hazards?pageSize=200&q={Uri.EscapeDataString(q)}"), HttpStatusCode.OK);
        return found.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
    }

    /// <summary>The stored index holds exactly the terms of every hazard (bigrams of description and place, province, city, county), and no empty row.</summary>
    private static Task AssertIndexExactAsync(AppFixture a) => a.WithDbAsync(async db =>
    {
        var hazards = await db.Set<Hazard>().IgnoreQueryFilters().AsNoTracking().Select(h => new { h.Id, h.Description, h.Location, h.RegionCode }).ToListAsync();
        var expected = new HashSet<(long Gram, long Id)>();
        var grams = new HashSet<long>();
        foreach (var h in hazards)
        {
            grams.Clear();
            HazardSearch.AddTerms(h.Description, h.Location, h.RegionCode, grams);
            expected.UnionWith(grams.Select(g => (g, h.Id)));
        }

        var rows = await db.Set<HazardGram>().AsNoTracking().ToListAsync();
        var actual = rows.SelectMany(r => HazardSearch.Ids(r).Select(id => (r.Gram, id))).ToHashSet();
        Assert.True(expected.SetEquals(actual),
            $"索引与隐患文字不一致：缺 {string.Join(",", expected.Except(actual).Take(5))}，多 {string.Join(",", actual.Except(expected).Take(5))}");
        Assert.All(rows, r => Assert.NotEmpty(HazardSearch.Ids(r)));
    });
}

public sealed class HazardSearchTestsSqlite(SqliteApp app) : HazardSearchTests(app), IClassFixture<SqliteApp>;

public sealed class HazardSearchTestsPostgres(PostgresApp app) : HazardSearchTests(app), IClassFixture<PostgresApp>;
