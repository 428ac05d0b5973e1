using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Tests.Features.Hazards;

/// <summary>
/// The city-scale hazard demo data: DESIGN §3 volume over the year before the clock, a plausible mix, and consistent
/// with the workflow rules of <see cref="HazardService"/> (verifier ≠ rectifier, majors with criterion and plan,
/// deadlines for what is open, 第70条 candidates, numbers the service continues), reproducible from the seed.
/// </summary>
public abstract partial class HazardDemoDataTests(AppFixture app)
{
    private DateTime Now => app.Clock.GetUtcNow().UtcDateTime;

    private Task<List<Hazard>> AllAsync() => app.WithDbAsync(db => db.Set<Hazard>().AsNoTracking().ToListAsync());

    [Fact]
    public async Task CityScale_HasTheDesignVolume_FoundOverTheYearBeforeTheClock_MostAtProducingMines()
    {
        var hazards = await AllAsync();
        Assert.InRange(hazards.Count, 18_000, 22_000); // DESIGN §3: 20,000 a year at a city
        Assert.All(hazards, h => Assert.InRange(h.FoundAt, Now.AddDays(-367), Now));
        Assert.All(hazards, h => Assert.InRange(h.RegisteredAt, h.FoundAt, Now));
        var months = hazards.GroupBy(h => ChinaTime.ToChina(h.FoundAt).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(months.Count >= 12, $"只有 {months.Count} 个月有隐患");
        Assert.All(months.Where(m => m.Key != months.Keys.Min() && m.Key != months.Keys.Max()), m => Assert.InRange(m.Value, 800, 2600));

        var mines = await app.WithDbAsync(db => db.Set<Mine>().Select(m => new { m.Id, m.Status }).ToDictionaryAsync(m => m.Id, m => m.Status));
        var perMine = hazards.GroupBy(h => h.MineId).ToDictionary(g => g.Key, g => g.Count());
        double Average(Func<MineStatus, bool> which) => mines.Where(m => which(m.Value)).Average(m => perMine.GetValueOrDefault(m.Key));
        Assert.True(Average(s => s == MineStatus.Producing) > 3 * Average(s => s != MineStatus.Producing),
            $"正常生产煤矿平均 {Average(s => s == MineStatus.Producing):0} 条，其他煤矿平均 {Average(s => s != MineStatus.Producing):0} 条");
        Assert.All(hazards, h => Assert.Equal(mines[h.MineId] == MineStatus.Producing, h.FoundWhileProducing));

        // Nothing found at a closed mine after production stopped there (its 停产 milestone).
        var stopped = await app.WithDbAsync(db => db.Set<Milestone>()
            .Where(m => m.Name == "停产" && m.CompletedAt != null && db.Set<Mine>().Any(x => x.Id == m.MineId && x.Status == MineStatus.Closed))
            .Select(m => new { m.MineId, m.CompletedAt }).ToListAsync());
        Assert.NotEmpty(stopped);
        var closedMines = mines.Where(m => m.Value == MineStatus.Closed).Select(m => m.Key).ToHashSet();
        var stoppedAt = stopped.ToDictionary(s => s.MineId, s => s.CompletedAt!.Value);
        Assert.All(hazards.Where(h => closedMines.Contains(h.MineId)), h => Assert.True(h.FoundAt < stoppedAt[h.MineId], $"{h.Number} 在煤矿停产后发现"));
        Assert.Contains(hazards, h => closedMines.Contains(h.MineId));
    }

    [Fact]
    public async Task MonthlyRollup_EqualsTheSeededHazards_AndTheOverviewStatisticsMatchThem()
    {
        var hazards = await AllAsync();
        var counted = hazards.GroupBy(h => (HazardRollup.County(h.RegionCode), HazardRollup.MonthOf(h.FoundAt)))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Count(h => h.State == HazardState.Closed), g.Count(h => h.Level == HazardLevel.Major)));
        var rollup = await app.WithDbAsync(db => db.Set<HazardMonth>().IgnoreQueryFilters().ToListAsync());
        Assert.Equal(counted.OrderBy(c => c.Key).ToList(), rollup.ToDictionary(m => (m.RegionCode, m.Month), m => (m.Found, m.Closed, m.Major)).OrderBy(c => c.Key).ToList());

        // The default period (the last 12 whole months) of one county, as the county sees it, from the roll-up.
        var county = await app.ApiAsAsync("county.qilin");
        var stats = await HttpAssert.JsonAsync(await county.GetAsync("/api/v1/hazards/stats?regionCode=530302"), HttpStatusCode.OK);
        var today = ChinaTime.DateOf(Now);
        var from = new DateOnly(today.Year, today.Month, 1).AddMonths(-11);
        var expected = hazards.Where(h => h.RegionCode.StartsWith("530302", StringComparison.Ordinal) && ChinaTime.DateOf(h.FoundAt) >= from)
            .GroupBy(h => ChinaTime.ToChina(h.FoundAt).ToString("yyyy-MM", CultureInfo.InvariantCulture))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Count(h => h.State == HazardState.Closed), g.Count(h => h.IsOpen && h.DueOn < today), g.Count(h => h.Level == HazardLevel.Major)));
        var actual = stats.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("month").GetString()!,
            r => (r.GetProperty("found").GetInt32(), r.GetProperty("closed").GetInt32(), r.GetProperty("overdue").GetInt32(), r.GetProperty("major").GetInt32()));
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(e => e.Key).ToList(), actual.OrderBy(a => a.Key).ToList());
    }

    [Fact]
    public async Task Ledger_CountsUpTo10000_FindsAWholeNumberByItsIndex_AndListsOpenOnesNewestFirst()
    {
        var hazards = await AllAsync();
        var city = await app.ApiAsAsync("city");
        var all = await HttpAssert.JsonAsync(await city.GetAsync("/api/v1/hazards?pageSize=5"), HttpStatusCode.OK);
        Assert.True(hazards.Count > Paging.CountCap);
        Assert.Equal(Paging.CountCap, all.GetProperty("total").GetInt32());
        Assert.True(all.GetProperty("totalCapped").GetBoolean());
        var newest = hazards.OrderByDescending(h => h.FoundAt).ThenByDescending(h => h.Id).Take(5).Select(h => h.Id).ToList();
        Assert.Equal(newest, all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList());

        var open = await HttpAssert.JsonAsync(await city.GetAsync("/api/v1/hazards?open=true&pageSize=5"), HttpStatusCode.OK);
        Assert.Equal(hazards.Count(h => h.IsOpen), open.GetProperty("total").GetInt32());
        Assert.False(open.TryGetProperty("totalCapped", out _));
        Assert.Equal(hazards.Where(h => h.IsOpen).OrderByDescending(h => h.FoundAt).ThenByDescending(h => h.Id).Take(5).Select(h => h.Id).ToList(),
            open.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList());

        var one = hazards[hazards.Count / 2];
        var found = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/hazards?q={one.Number.ToLowerInvariant()}"), HttpStatusCode.OK);
        Assert.Equal(one.Id, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetInt64());

        var page = await (await app.BrowserAsAsync("city")).GetStringAsync("/hazards/list");
        Assert.Contains("共 10,000+ 项", WebUtility.HtmlDecode(page));
    }

    [Fact]
    public async Task Mix_OfLevelsStatesSourcesAndCategories_IsPlausible()
    {
        var hazards = await AllAsync();
        var n = (double)hazards.Count;
        var majors = hazards.Count(h => h.Level == HazardLevel.Major);
        Assert.InRange(majors / n, 0.02, 0.04);
        Assert.All(Enum.GetValues<HazardState>(), s => Assert.Contains(hazards, h => h.State == s));
        var today = ChinaTime.DateOf(Now);
        var overdue = hazards.Count(h => h.IsOpen && h.DueOn < today);
        Assert.InRange(overdue / n, 0.005, 0.05); // a few percent open past the deadline
        Assert.InRange(hazards.Count(h => h.IsOpen) / n, 0.02, 0.15);
        // Old ones are nearly all closed; the open ones are mostly recent.
        var old = hazards.Where(h => h.FoundAt < Now.AddDays(-120)).ToList();
        Assert.True(old.Count(h => h.State == HazardState.Closed) >= old.Count * 0.98);
        Assert.True(hazards.Count(h => h.IsOpen && h.FoundAt > Now.AddDays(-60)) > hazards.Count(h => h.IsOpen) / 2);
        Assert.Contains(hazards, h => h.Reopens > 0);
        Assert.Contains(hazards, h => h.Extensions > 0);
        Assert.Contains(hazards, h => h.ExtensionDueOn is not null && h.State == HazardState.Rectifying);

        var sources = hazards.GroupBy(h => h.Source).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(Enum.GetValues<HazardSource>().Length, sources.Count);
        Assert.Equal(HazardSource.SelfCheck, sources.MaxBy(s => s.Value).Key);
        var categories = hazards.Select(h => h.ProfessionalCategory).Distinct().ToList();
        Assert.All(categories, c => Assert.Contains(c, HazardOptions.DefaultCategories));
        Assert.True(categories.Count >= 12);
        Assert.Equal(hazards.Count, hazards.Select(h => h.Number).Distinct().Count());
        Assert.All(hazards, h => Assert.Matches(NumberPattern(), h.Number));
        Assert.All(hazards, h => Assert.StartsWith($"YH-{h.RegionCode[..6]}-{ChinaTime.ToChina(h.RegisteredAt).Year}-", h.Number));
    }

    [Fact]
    public async Task ClosedHazards_WereVerifiedBySomeoneOtherThanWhoFixedThem()
    {
        var closed = (await AllAsync()).Where(h => h.State == HazardState.Closed).ToList();
        Assert.NotEmpty(closed);
        Assert.All(closed, h =>
        {
            Assert.NotNull(h.Level);
            Assert.NotNull(h.VerifierName);
            Assert.NotNull(h.VerificationOpinion);
            Assert.NotNull(h.RectifiedByName);
            Assert.True(h.SubmittedAt <= h.VerifiedAt && h.VerifiedAt == h.ClosedAt && h.ClosedAt <= Now, h.Number);
            Assert.NotEqual(h.RectifierUserId, h.VerifierId);
            Assert.NotEqual(h.RectifiedById, h.VerifierId);
            Assert.NotEqual(h.RectifierName, h.VerifierName);
            Assert.Null(h.DeadlineId); // deadlines only for open hazards
        });
    }

    [Fact]
    public async Task MajorHazards_HaveACriterion_StoppedProduction_APlanBeforeRectification_AndAreListedByCountyOrCity()
    {
        var hazards = await AllAsync();
        var majors = hazards.Where(h => h.Level == HazardLevel.Major).ToList();
        var criteria = await app.WithDbAsync(db => db.Set<HazardCriterion>().Where(c => db.Set<HazardStandard>().Any(s => s.Current && s.Id == c.Category!.StandardId))
            .Select(c => c.Id).ToListAsync());
        Assert.All(majors, h =>
        {
            Assert.Contains(h.CriterionId!.Value, criteria);
            Assert.StartsWith("2020版第", h.Basis);
            Assert.False(string.IsNullOrWhiteSpace(h.StoppedArea));
            Assert.NotNull(h.ReportedAt);
            Assert.EndsWith("应急管理局", h.ReportedTo);
        });
        // The six elements before rectification starts (HazardService refuses 开始整改 otherwise); only the newest wait for their plan.
        Assert.All(majors.Where(h => h.State != HazardState.Graded), h => Assert.True(h.PlanComplete, $"{h.Number} 缺少治理方案要素"));
        Assert.All(majors.Where(h => !h.PlanComplete), h => Assert.True(h.State == HazardState.Graded && h.RegisteredAt > Now.AddDays(-6), h.Number));
        Assert.True(majors.Count(h => h.PlanComplete) >= majors.Count * 0.98);
        Assert.All(majors.Where(h => h.PlanComplete && h.Extensions == 0), h => Assert.Equal(h.PlanDueOn, h.DueOn)); // the plan sets the deadline
        Assert.All(hazards.Where(h => h.Level != HazardLevel.Major), h => Assert.True(h.CriterionId is null && h.PlanGoal is null && h.ListedAt is null, h.Number));

        var listed = majors.Where(h => h.ListedAt is not null).ToList();
        Assert.InRange(listed.Count, majors.Count / 2, majors.Count);
        Assert.All(listed, h =>
        {
            Assert.Matches(DocumentPattern(), h.ListDocumentNumber!);
            Assert.True(h.ListRegionCode == h.RegionCode[..6] || h.ListRegionCode == h.RegionCode[..4] + "00", $"{h.Number} 由 {h.ListRegionCode} 挂牌");
            Assert.True(h.DelistedAt is null || (h.State == HazardState.Closed && h.DelistedAt >= h.ClosedAt), $"{h.Number} 未销号即销牌");
        });
        Assert.Contains(listed, h => h.ListRegionCode!.EndsWith("00", StringComparison.Ordinal));
        Assert.Contains(listed, h => !h.ListRegionCode!.EndsWith("00", StringComparison.Ordinal));
        Assert.True(listed.Count(h => h.DelistedAt is not null) > listed.Count / 2);
        Assert.Contains(listed, h => h.IsOpen); // still under 督办
    }

    [Fact]
    public async Task OpenHazards_HaveTheirDeadlines_WithPastEscalationsRecorded_AndTheirTimeline()
    {
        var open = (await AllAsync()).Where(h => h.IsOpen).ToList();
        var deadlines = await app.WithDbAsync(db => db.Deadlines.Where(d => d.SubjectType == HazardService.Subject || d.SubjectType == HazardService.ListingSubject)
            .ToListAsync());
        var byId = deadlines.ToDictionary(d => d.Id);
        Assert.All(open, h =>
        {
            Assert.True(h.DeadlineId is { } id && byId.ContainsKey(id), $"{h.Number} 没有期限");
            var d = byId[h.DeadlineId!.Value];
            Assert.Equal((HazardService.Subject, h.Id, h.RectifierUserId, h.MineId), (d.SubjectType, d.SubjectId, d.AssigneeUserId!.Value, d.MineId!.Value));
            Assert.Equal(DeadlineService.EndOf(h.DueOn), d.DueAt);
            Assert.Null(d.CompletedAt);
            Assert.Equal(h.RegionCode, d.RegionCode);
        });
        Assert.Equal(open.Count(h => h.IsListed), deadlines.Count(d => d.SubjectType == HazardService.ListingSubject));
        Assert.Equal(open.Count + open.Count(h => h.IsListed), deadlines.Count);
        // The steps already due were done when the demo was made: a first sweep has nothing to send.
        Assert.DoesNotContain(deadlines, d => d.NextEscalationAt is { } next && next <= Now);
        Assert.Contains(deadlines, d => d.StatusAt(Now) == DeadlineStatus.Overdue && d.EscalatedLevel >= 2);

        var timelines = await app.WithDbAsync(db => db.Timeline.Where(t => t.SubjectType == HazardService.Subject)
            .Select(t => new { t.SubjectId, t.Action, t.ToState, t.At }).ToListAsync());
        var bySubject = timelines.GroupBy(t => t.SubjectId).ToDictionary(g => g.Key, g => g.OrderBy(t => t.At).ToList());
        Assert.All(open, h =>
        {
            Assert.True(bySubject.TryGetValue(h.Id, out var steps), $"{h.Number} 没有办理过程");
            Assert.Equal("登记", steps![0].Action);
            Assert.Equal(h.State.Label(), steps[^1].ToState);
        });
    }

    [Fact]
    public async Task AtCityScale_EveryHazardHasItsTimeline()
    {
        var count = await app.WithDbAsync(db => db.Set<Hazard>().CountAsync());
        var withTimeline = await app.WithDbAsync(db => db.Timeline.Where(t => t.SubjectType == HazardService.Subject).Select(t => t.SubjectId).Distinct().CountAsync());
        Assert.Equal(count, withTimeline);
    }

    [Fact]
    public async Task CityDemo_HasAFewClosureCandidates_Article70()
    {
        var options = new HazardOptions();
        var candidates = await app.WithDbAsync(db => HazardViews.ClosureCandidatesAsync(db, Now, options.ClosureMajorCount, options.ClosureWindowMonths, null, default));
        Assert.InRange(candidates.Count, 1, 8);
        Assert.All(candidates, c => Assert.InRange(c.Majors, 2, 3));
        var api = await HttpAssert.JsonAsync(await (await app.ApiAsAsync("city")).GetAsync("/api/v1/hazards/closure-candidates"), HttpStatusCode.OK);
        Assert.Equal(candidates.Count, api.GetArrayLength());
    }

    [Fact]
    public async Task CountyQilin_SeesOnlyQilinHazardsThroughTheApi_AndTheEnterpriseItsOwnSelfReports()
    {
        var qilin = await app.WithDbAsync(db => db.Set<Hazard>().CountAsync(h => h.RegionCode.StartsWith("530302")));
        Assert.True(qilin > 500, $"麒麟区只有 {qilin} 条");
        var client = await app.ApiAsAsync("county.qilin");
        var page = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/hazards?pageSize=200"), HttpStatusCode.OK);
        Assert.Equal(qilin, page.GetProperty("total").GetInt32());
        Assert.Equal(200, page.GetProperty("items").GetArrayLength());
        Assert.All(page.GetProperty("items").EnumerateArray(), i => Assert.StartsWith("530302", i.GetProperty("regionCode").GetString()));
        var elsewhere = await app.WithDbAsync(db => db.Set<Hazard>().Where(h => !h.RegionCode.StartsWith("530302")).Select(h => h.Id).FirstAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/hazards/{elsewhere}")).StatusCode);

        var (enterpriseUser, enterpriseId) = await app.WithDbAsync(async db => await db.Users.Where(u => u.UserName == "enterprise.demo")
            .Select(u => new ValueTuple<long, long>(u.Id, u.Organisation!.EnterpriseId!.Value)).SingleAsync());
        var own = await app.WithDbAsync(db => db.Set<Hazard>().Where(h => h.EnterpriseId == enterpriseId)
            .Select(h => new { h.Source, h.RegisteredById, h.RectifierUserId, h.VerifierId }).ToListAsync());
        Assert.Contains(own, h => h.Source == HazardSource.SelfCheck && h.RegisteredById == enterpriseUser);
        Assert.All(own, h => Assert.Equal(enterpriseUser, h.RectifierUserId));
        Assert.DoesNotContain(own, h => h.VerifierId == enterpriseUser);
        var enterprise = await HttpAssert.JsonAsync(await (await app.ApiAsAsync("enterprise.demo")).GetAsync("/api/v1/hazards?pageSize=1"), HttpStatusCode.OK);
        Assert.Equal(own.Count, enterprise.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task HazardService_ContinuesTheDemoNumbers_AndIds()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var mine = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.RegionCode.StartsWith("530302") && m.Status == MineStatus.Producing).Select(m => m.Id).FirstAsync());
        var key = $"YH-530302-{ChinaTime.ToChina(Now).Year}-";
        var last = await app.WithDbAsync(db => db.Set<Hazard>().Where(h => h.Number.StartsWith(key)).MaxAsync(h => h.Number));
        var maxId = await app.WithDbAsync(db => db.Set<Hazard>().MaxAsync(h => h.Id));
        var created = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/hazards", new
        {
            mineId = mine, location = "3102 回风巷", description = "甲烷传感器吊挂位置距顶板 350 mm", professionalCategory = "瓦斯",
            deadline = ChinaTime.DateOf(Now).AddDays(3),
        }), HttpStatusCode.Created);
        var next = int.Parse(last[key.Length..], CultureInfo.InvariantCulture) + 1;
        Assert.Equal($"{key}{next:000000}", created.GetProperty("number").GetString());
        Assert.True(created.GetProperty("id").GetInt64() > maxId);
    }

    [Fact]
    public async Task Revisits_ReopenWhatTheyFoundAgain_AndNumberInDateOrder()
    {
        var (revisits, items) = await app.WithDbAsync(async db => (
            await db.Set<Revisit>().AsNoTracking().ToListAsync(),
            await db.Set<RevisitItem>().AsNoTracking().ToListAsync()));
        Assert.NotEmpty(revisits);
        Assert.All(revisits, r => Assert.NotNull(r.CompletedAt));
        var reopened = (await AllAsync()).Where(h => h.Reopens > 0).Select(h => h.Id).ToHashSet();
        Assert.NotEmpty(reopened);
        Assert.Equal(reopened.Order(), items.Where(i => i.Outcome == RevisitOutcome.Reopened).Select(i => i.HazardId).Order());
        Assert.Contains(items, i => i.Outcome == RevisitOutcome.Confirmed);
        foreach (var key in revisits.GroupBy(r => r.Number[..^7]))
        {
            var dates = key.OrderBy(r => r.Number, StringComparer.Ordinal).Select(r => r.ScheduledOn).ToList();
            Assert.Equal(dates.Order(), dates);
        }
    }

    [Fact]
    public async Task BulkSeed_IsOneAuditEvent_NotOneEntryPerRow()
    {
        var events = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Action == "生成演示数据" && a.EntityName == "隐患").Select(a => a.Summary).ToListAsync());
        Assert.Single(events);
        Assert.Contains("隐患", events[0]);
        // Only hazards registered through the app (by other tests of this class) have row audits.
        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "hazards").Select(a => a.EntityId).Distinct().ToListAsync());
        var registeredNow = await app.WithDbAsync(db => db.Set<Hazard>().Where(h => h.RegisteredAt >= Now.AddMinutes(-1)).Select(h => h.Id).ToListAsync());
        Assert.All(audited, id => Assert.Contains(long.Parse(id!, CultureInfo.InvariantCulture), registeredNow));
    }

    /// <summary>The same seed gives the same ledger, on either database.</summary>
    [Fact]
    public async Task DemoData_IsReproducibleFromTheSeed()
    {
        await using var again = new ExistingDatabaseApp(TestDatabase.Sqlite(), "city");
        await again.StartAsync();
        Assert.Equal(await FingerprintAsync(app), await FingerprintAsync(again));
    }

    private static Task<List<string>> FingerprintAsync(AppFixture a) => a.WithDbAsync(db => db.Set<Hazard>()
        .Where(h => h.RegisteredAt < a.Clock.GetUtcNow().UtcDateTime.AddMinutes(-5)) // not what other tests registered
        .OrderBy(h => h.Number)
        .Select(h => new { h.Number, h.Mine!.Code, h.Level, h.State, h.Location, h.Description, h.FoundAt, h.DueOn, h.VerifierName, h.ListDocumentNumber })
        .ToListAsync()
        .ContinueWith(t => t.Result.Select(h => $"{h.Number}|{h.Code}|{h.Level}|{h.State}|{h.Location}|{h.Description}|{h.FoundAt:yyyy-MM-dd HH:mm:ss}|{h.DueOn}|{h.VerifierName}|{h.ListDocumentNumber}").ToList(),
            TaskScheduler.Default));

    [GeneratedRegex(@"^YH-\d{6}-\d{4}-\d{6}$")]
    private static partial Regex NumberPattern();

    [GeneratedRegex(@"^\p{IsCJKUnifiedIdeographs}+安委办督〔\d{4}〕\d+号$")]
    private static partial Regex DocumentPattern();
}

public sealed class HazardDemoDataTestsSqlite(SqliteApp app) : HazardDemoDataTests(app), IClassFixture<SqliteApp>;

public sealed class HazardDemoDataTestsPostgres(PostgresApp app) : HazardDemoDataTests(app), IClassFixture<PostgresApp>;
