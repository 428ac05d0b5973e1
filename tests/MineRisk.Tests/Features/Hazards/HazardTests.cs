using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Features.Mines;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Attachments;

namespace MineRisk.Tests.Features.Hazards;

/// <summary>
/// The hazard ledger through its API: registration rules, the closed loop with who may verify, the major hazard's plan,
/// 挂牌督办 and 销牌, extensions, photos, enterprise self-reporting, statistics, 第70条, exports and 回马枪.
/// </summary>
public abstract class HazardTests(AppFixture app)
{
    private static readonly object FullPlan = new
    {
        goal = "消除瓦斯超限隐患", methods = "调整通风系统，增设局部通风机", resources = "资金 80 万元，风机两台", people = "通风科科长牵头，通风队 12 人",
        dueOn = "2026-07-15", safety = "停产撤人，设置警戒，制定瓦斯异常应急预案",
    };

    private Task<long> UserIdAsync(string userName) => app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private async Task<long> NewMineAsync(HttpClient client) =>
        (await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;

    private static Dictionary<string, object?> Valid(long mineId) => new()
    {
        ["mineId"] = mineId, ["location"] = "3102 回风巷", ["description"] = "甲烷传感器吊挂位置距顶板超过 300 mm", ["source"] = "inspection",
        ["professionalCategory"] = "通风", ["deadline"] = "2026-06-30", ["measures"] = "重新吊挂传感器", ["funds"] = 0.2, ["responsiblePerson"] = "王强",
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, Dictionary<string, object?> body) =>
        await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/hazards", body), HttpStatusCode.Created);

    private static Task<HttpResponseMessage> ActAsync(HttpClient client, long id, object body) =>
        client.PostAsJsonAsync($"/api/v1/hazards/{id}/transitions", body);

    private static async Task OkAsync(HttpClient client, long id, object body) => await HttpAssert.JsonAsync(await ActAsync(client, id, body), HttpStatusCode.OK);

    private Task<Hazard> LoadAsync(long id) => app.WithDbAsync(db => db.Set<Hazard>().IgnoreQueryFilters().SingleAsync(h => h.Id == id));

    private Task<long> CriterionAsync() => app.WithDbAsync(db => db.Set<HazardCriterion>().OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());

    private static MultipartFormDataContent Photo(byte[] bytes, string name, string stage = "before") =>
        new() { { new ByteArrayContent(bytes), "file", name }, { new StringContent(stage), "stage" } };

    [Fact]
    public async Task Register_Valid_NumbersItOpensADeadlineAndRecordsTheStep()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var created = await CreateAsync(county, Valid(mine));
        Assert.Matches(@"^YH-530302-2026-\d{6}$", created.GetProperty("number").GetString());
        Assert.Equal("已登记", created.GetProperty("stateName").GetString());

        var id = created.GetProperty("id").GetInt64();
        var detail = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/{id}"), HttpStatusCode.OK);
        Assert.Equal("监管检查", detail.GetProperty("sourceName").GetString());
        Assert.Equal("张卫东", detail.GetProperty("rectifierName").GetString());
        Assert.Equal("2026-06-30", detail.GetProperty("dueOn").GetString());
        Assert.True(detail.GetProperty("foundWhileProducing").GetBoolean());
        Assert.Equal("登记", detail.GetProperty("timeline")[0].GetProperty("action").GetString());

        var hazard = await LoadAsync(id);
        var deadline = await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().SingleAsync(d => d.Id == hazard.DeadlineId));
        Assert.Equal(await UserIdAsync("county.qilin"), deadline.AssigneeUserId);
        Assert.Null(deadline.CompletedAt);
        Assert.Equal(mine, deadline.MineId);
    }

    [Fact]
    public async Task Register_BadInput_IsRefusedFieldByFieldAndChangesNothing()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var count = await app.WithDbAsync(db => db.Set<Hazard>().IgnoreQueryFilters().CountAsync());

        var empty = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards", new { mineId = mine }), HttpStatusCode.BadRequest);
        Assert.Contains("隐患地点", empty.Field("location"));
        Assert.Contains("隐患描述", empty.Field("description"));
        Assert.Contains("专业类别", empty.Field("professionalCategory"));
        Assert.Contains("整改期限", empty.Field("deadline"));

        var past = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards", Valid(mine).With("deadline", "2026-06-01")), HttpStatusCode.BadRequest);
        Assert.Contains("已经过去", past.Field("deadline"));
        var category = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards", Valid(mine).With("professionalCategory", "天文")), HttpStatusCode.BadRequest);
        Assert.Contains("通风", category.Field("professionalCategory"));
        var future = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards", Valid(mine).With("foundAt", "2026-07-01T08:00:00")), HttpStatusCode.BadRequest);
        Assert.Contains("不能晚于现在", future.Field("foundAt"));
        var outsider = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards", Valid(mine).With("rectifierUserId", await UserIdAsync("county.xuanwei"))),
            HttpStatusCode.BadRequest);
        Assert.Contains("整改人", outsider.Field("rectifierUserId"));
        var major = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards", Valid(mine).With("level", "major")), HttpStatusCode.BadRequest);
        Assert.Contains("判定依据", major.Field("criterionId"));
        Assert.Contains("停产", major.Field("stoppedArea"));
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("leader")).PostAsJsonAsync("/api/v1/hazards", Valid(mine)), HttpStatusCode.Forbidden);
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("county.xuanwei")).PostAsJsonAsync("/api/v1/hazards", Valid(mine)), HttpStatusCode.NotFound);

        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Hazard>().IgnoreQueryFilters().CountAsync()));
    }

    [Fact]
    public async Task GeneralHazard_ClosedLoop_VerifierIsNeverTheFixer_AndWrongStatesAreRefused()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine).With("level", "general"))).GetProperty("id").GetInt64();
        Assert.Equal(HazardState.Graded, (await LoadAsync(id)).State);

        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "submit", note = "已整改" }), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "fly" }), HttpStatusCode.BadRequest, "grade");
        await OkAsync(county, id, new { action = "start" });
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "submit" }), HttpStatusCode.BadRequest, "整改情况");
        await OkAsync(county, id, new { action = "submit", note = "传感器已重新吊挂，距顶板 250 mm" });
        Assert.Equal(HazardState.AwaitingVerification, (await LoadAsync(id)).State);

        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "verify", passed = true, note = "自己验收" }), HttpStatusCode.Forbidden, "验收人不能是整改人");
        await HttpAssert.ProblemAsync(await ActAsync(city, id, new { action = "verify", passed = true }), HttpStatusCode.BadRequest, "验收意见");
        await OkAsync(city, id, new { action = "verify", passed = false, note = "吊挂仍不规范" });
        Assert.Equal(HazardState.Rectifying, (await LoadAsync(id)).State);
        await OkAsync(county, id, new { action = "submit", note = "按规程重新吊挂" });
        await OkAsync(city, id, new { action = "verify", passed = true, note = "复核合格" });

        var closed = await LoadAsync(id);
        Assert.Equal(HazardState.Closed, closed.State);
        Assert.Equal("李明华", closed.VerifierName);
        Assert.NotNull(closed.ClosedAt);
        Assert.NotNull(await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().Where(d => d.Id == closed.DeadlineId).Select(d => d.CompletedAt).SingleAsync()));

        await HttpAssert.ProblemAsync(await ActAsync(city, id, new { action = "start" }), HttpStatusCode.Conflict);
        await HttpAssert.ProblemAsync(await ActAsync(city, id, new { action = "reopen", note = "回头看发现脱落" }), HttpStatusCode.BadRequest, "整改期限");
        await OkAsync(city, id, new { action = "reopen", note = "回头看发现脱落", deadline = "2026-06-25" });
        var reopened = await LoadAsync(id);
        Assert.Equal((HazardState.Rectifying, 1, new DateOnly(2026, 6, 25)), (reopened.State, reopened.Reopens, reopened.DueOn));

        var timeline = (await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/{id}"), HttpStatusCode.OK)).GetProperty("timeline")
            .EnumerateArray().Select(t => t.GetProperty("action").GetString()).ToList();
        Assert.Equal(["登记", "定级", "开始整改", "提交验收", "验收不通过", "提交验收", "验收通过，销号", "重新打开"], timeline);
    }

    [Fact]
    public async Task MajorHazard_NeedsTheSixElementPlan_IsListedAndOnlyTheIssuingLevelDelists()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine))).GetProperty("id").GetInt64();

        var noBasis = await HttpAssert.JsonAsync(await ActAsync(county, id, new { action = "grade", level = "major" }), HttpStatusCode.BadRequest);
        Assert.Contains("判定依据", noBasis.Field("criterionId"));
        await OkAsync(county, id, new { action = "grade", level = "major", criterionId = await CriterionAsync(), stoppedArea = "3102 综采工作面" });
        var graded = await LoadAsync(id);
        Assert.Equal(HazardLevel.Major, graded.Level);
        Assert.StartsWith("2020版第", graded.Basis);
        Assert.NotNull(graded.ReportedAt);

        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "start" }), HttpStatusCode.BadRequest, "治理方案");
        var partial = await HttpAssert.JsonAsync(await ActAsync(county, id, new { action = "plan", plan = new { goal = "消除隐患", methods = "调整通风" } }), HttpStatusCode.BadRequest);
        var detail = partial.GetProperty("detail").GetString()!;
        foreach (var element in (string[])["经费", "机构", "时限", "安全措施"])
        {
            Assert.Contains(element, detail);
        }

        Assert.Null((await LoadAsync(id)).PlannedAt);
        await OkAsync(county, id, new { action = "plan", plan = FullPlan });
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "list", documentNumber = "麒应急督〔2026〕3号", deadline = "2026-06-01" }), HttpStatusCode.BadRequest, "督办期限");
        await OkAsync(county, id, new { action = "list", documentNumber = "麒应急督〔2026〕3号", deadline = "2026-07-15" });
        await HttpAssert.ProblemAsync(await ActAsync(city, id, new { action = "list", documentNumber = "曲应急督〔2026〕1号", deadline = "2026-07-15" }), HttpStatusCode.Conflict, "已由");
        await OkAsync(county, id, new { action = "start" });
        await OkAsync(county, id, new { action = "submit", note = "通风系统调整完毕，瓦斯浓度 0.3%" });
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "delist", note = "销牌" }), HttpStatusCode.Conflict, "销号后");
        await OkAsync(city, id, new { action = "verify", passed = true, note = "现场验收合格" });

        await HttpAssert.ProblemAsync(await ActAsync(city, id, new { action = "delist", note = "市级销牌" }), HttpStatusCode.Forbidden, "只有挂牌单位");
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "delist" }), HttpStatusCode.BadRequest, "意见");
        await OkAsync(county, id, new { action = "delist", note = "整改到位，同意销牌" });
        var done = await LoadAsync(id);
        Assert.Equal(HazardState.Closed, done.State);
        Assert.NotNull(done.DelistedAt);
        Assert.False(done.IsListed);
        var listingDeadlines = await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().Where(d => d.SubjectType == HazardService.ListingSubject && d.SubjectId == id)
            .Select(d => d.CompletedAt).ToListAsync());
        Assert.Single(listingDeadlines);
        Assert.NotNull(listingDeadlines[0]);
    }

    /// <summary>The monthly roll-up the statistics read equals the hazards, counted afresh, after every kind of step.</summary>
    private async Task<(int Found, int Closed, int Major)> RollupMatchesAsync(string county, int month)
    {
        var (rollup, hazards) = await app.WithDbAsync(async db => (
            await db.Set<HazardMonth>().IgnoreQueryFilters().Where(m => m.Found != 0 || m.Closed != 0 || m.Major != 0).ToListAsync(),
            await db.Set<Hazard>().IgnoreQueryFilters().Select(h => new { h.RegionCode, h.FoundAt, h.State, h.Level }).ToListAsync()));
        var counted = hazards.GroupBy(h => (HazardRollup.County(h.RegionCode), HazardRollup.MonthOf(h.FoundAt)))
            .ToDictionary(g => g.Key, g => (g.Count(), g.Count(h => h.State == HazardState.Closed), g.Count(h => h.Level == HazardLevel.Major)));
        Assert.Equal(counted.OrderBy(c => c.Key).ToList(), rollup.ToDictionary(m => (m.RegionCode, m.Month), m => (m.Found, m.Closed, m.Major)).OrderBy(c => c.Key).ToList());
        return counted.GetValueOrDefault((county, month));
    }

    [Fact]
    public async Task MonthlyRollup_FollowsRegisterGradeCloseAndReopen_AndTheStatisticsReadIt()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine))).GetProperty("id").GetInt64();
        var hazard = await LoadAsync(id);
        var month = HazardRollup.MonthOf(hazard.FoundAt);
        var (found, closed, major) = await RollupMatchesAsync("530302", month);
        Assert.True(found >= 1);

        await OkAsync(county, id, new { action = "grade", level = "major", criterionId = await CriterionAsync(), stoppedArea = "3102 综采工作面" });
        Assert.Equal((found, closed, major + 1), await RollupMatchesAsync("530302", month));
        await OkAsync(county, id, new { action = "plan", plan = FullPlan });
        await OkAsync(county, id, new { action = "start" });
        await OkAsync(county, id, new { action = "submit", note = "通风系统调整完毕" });
        Assert.Equal((found, closed, major + 1), await RollupMatchesAsync("530302", month));
        await OkAsync(city, id, new { action = "verify", passed = true, note = "现场验收合格" });
        Assert.Equal((found, closed + 1, major + 1), await RollupMatchesAsync("530302", month));
        await OkAsync(city, id, new { action = "reopen", note = "回头看发现问题", deadline = "2026-07-25" });
        Assert.Equal((found, closed, major + 1), await RollupMatchesAsync("530302", month));

        // Whole months are read from the roll-up, a period that cuts a month from the hazards: both agree.
        var first = new DateOnly(month / 100, month % 100, 1);
        var last = first.AddMonths(1).AddDays(-1);
        var whole = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/hazards/stats?regionCode=530302&from={first:yyyy-MM-dd}&to={last:yyyy-MM-dd}"), HttpStatusCode.OK);
        var cut = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/hazards/stats?regionCode=530302&from={first.AddDays(-1):yyyy-MM-dd}&to={last:yyyy-MM-dd}"), HttpStatusCode.OK);
        JsonElement Row(JsonElement stats) => stats.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("month").GetString() == $"{first:yyyy-MM}");
        foreach (var field in (string[])["found", "closed", "overdue", "major"])
        {
            Assert.Equal(Row(cut).GetProperty(field).GetInt32(), Row(whole).GetProperty(field).GetInt32());
        }

        Assert.Equal((found, closed, major + 1), (Row(whole).GetProperty("found").GetInt32(), Row(whole).GetProperty("closed").GetInt32(), Row(whole).GetProperty("major").GetInt32()));
    }

    [Fact]
    public async Task Enterprise_SelfReports_RegulatorsSeeItAtOnce_AndAMajorOneClosesOnlyByARegulator()
    {
        var enterprise = await app.ApiAsAsync("enterprise.demo");
        var mines = await HttpAssert.JsonAsync(await enterprise.GetAsync("/api/v1/mines?pageSize=200"), HttpStatusCode.OK);
        var own = mines.GetProperty("items").EnumerateArray().ToList();
        var mine = own.Where(m => m.GetProperty("status").GetString() == "producing").Concat(own).First();
        var mineId = mine.GetProperty("id").GetInt64();
        var county = mine.GetProperty("regionCode").GetString()![..6];

        var refused = await HttpAssert.JsonAsync(await enterprise.PostAsJsonAsync("/api/v1/hazards", Valid(mineId)), HttpStatusCode.BadRequest);
        Assert.Contains("企业自查", refused.Field("source"));
        var rectifiers = await HttpAssert.JsonAsync(await enterprise.GetAsync($"/api/v1/hazards/rectifiers?mineId={mineId}"), HttpStatusCode.OK);
        var regulator = rectifiers.EnumerateArray().Last().GetProperty("id").GetInt64();
        var created = await CreateAsync(enterprise, Valid(mineId).With("source", null).With("level", "major").With("criterionId", await CriterionAsync())
            .With("stoppedArea", "2101 掘进工作面").With("rectifierUserId", regulator));
        var id = created.GetProperty("id").GetInt64();
        Assert.Equal(HazardSource.SelfCheck, (await LoadAsync(id)).Source);

        var regulatorUser = await app.WithDbAsync(db => db.Users.Where(u => u.Id == regulator).Select(u => u.UserName!).SingleAsync());
        var regulatorClient = await app.ApiAsAsync(regulatorUser);
        var seen = await HttpAssert.JsonAsync(await regulatorClient.GetAsync($"/api/v1/hazards?regionCode={county}&source=selfCheck&q={created.GetProperty("number").GetString()}"),
            HttpStatusCode.OK);
        Assert.Equal(1, seen.GetProperty("total").GetInt32());

        await OkAsync(enterprise, id, new { action = "plan", plan = FullPlan });
        await OkAsync(enterprise, id, new { action = "start" });
        await OkAsync(regulatorClient, id, new { action = "submit", note = "整改完成" });
        await HttpAssert.ProblemAsync(await ActAsync(enterprise, id, new { action = "verify", passed = true, note = "企业自验" }), HttpStatusCode.Forbidden, "监管部门验收");
        Assert.Equal(HazardState.AwaitingVerification, (await LoadAsync(id)).State);
    }

    [Fact]
    public async Task Photos_AcceptImagesOnly_UpToTenMegabytes()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine))).GetProperty("id").GetInt64();
        var photos = () => app.WithDbAsync(db => db.Attachments.IgnoreQueryFilters().CountAsync(a => a.OwnerType == HazardService.Subject && a.OwnerId == id));

        await HttpAssert.JsonAsync(await county.PostAsync($"/api/v1/hazards/{id}/attachments", Photo(TestImages.Png, "现场.png")), HttpStatusCode.Created);
        Assert.Equal(1, await photos());

        var big = new byte[(10 * 1024 * 1024) + 1];
        TestImages.Png.CopyTo(big, 0);
        await HttpAssert.ProblemAsync(await county.PostAsync($"/api/v1/hazards/{id}/attachments", Photo(big, "大图.png")), HttpStatusCode.RequestEntityTooLarge, "10 MB");
        await HttpAssert.ProblemAsync(await county.PostAsync($"/api/v1/hazards/{id}/attachments", Photo("<html>not a picture</html>"u8.ToArray(), "假图.png")),
            HttpStatusCode.UnsupportedMediaType, "不是 PNG 图片");
        await HttpAssert.ProblemAsync(await county.PostAsync($"/api/v1/hazards/{id}/attachments", Photo(TestImages.Png, "现场.png", "during")), HttpStatusCode.BadRequest, "stage");
        Assert.Equal(1, await photos());

        var detail = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/{id}"), HttpStatusCode.OK);
        Assert.Equal(1, detail.GetProperty("photosBefore").GetArrayLength());
        Assert.Equal(0, detail.GetProperty("photosAfter").GetArrayLength());
    }

    [Fact]
    public async Task Extension_NeedsAReasonAndALaterDate_AndIsApprovedByAnotherRegulator()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine))).GetProperty("id").GetInt64();

        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "extend", deadline = "2026-06-20", note = "材料未到" }), HttpStatusCode.BadRequest, "晚于");
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "extend", deadline = "2026-07-20" }), HttpStatusCode.BadRequest, "理由");
        await OkAsync(county, id, new { action = "extend", deadline = "2026-07-20", note = "传感器需厂家更换，到货需 20 天" });
        await HttpAssert.ProblemAsync(await ActAsync(county, id, new { action = "extend", approve = true }), HttpStatusCode.Forbidden, "申请人以外");
        Assert.Equal(new DateOnly(2026, 6, 30), (await LoadAsync(id)).DueOn);
        await OkAsync(city, id, new { action = "extend", approve = true, note = "同意" });

        var extended = await LoadAsync(id);
        Assert.Equal((new DateOnly(2026, 7, 20), 1), (extended.DueOn, extended.Extensions));
        Assert.Null(extended.ExtensionDueOn);
        var deadline = await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().SingleAsync(d => d.Id == extended.DeadlineId));
        Assert.Equal(new DateOnly(2026, 7, 20), Web.Platform.ChinaTime.DateOf(deadline.DueAt.AddSeconds(-1)));
    }

    [Fact]
    public async Task Overdue_StaysVisibleUntilClosed_AndStatisticsCountIt()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine).With("deadline", "2026-06-15"))).GetProperty("id").GetInt64();
        var before = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards?mineId={mine}&overdue=true"), HttpStatusCode.OK);
        Assert.Equal(0, before.GetProperty("total").GetInt32());

        app.Clock.Advance(TimeSpan.FromDays(3));
        try
        {
            county = await app.ApiAsAsync("county.qilin");
            var after = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards?mineId={mine}&overdue=true"), HttpStatusCode.OK);
            Assert.Equal(id, after.GetProperty("items")[0].GetProperty("id").GetInt64());
            Assert.True(after.GetProperty("items")[0].GetProperty("overdue").GetBoolean());
            var stats = await HttpAssert.JsonAsync(await county.GetAsync("/api/v1/hazards/stats?regionCode=530302&from=2026-06-01&to=2026-06-30"), HttpStatusCode.OK);
            var row = stats.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("month").GetString() == "2026-06");
            Assert.True(row.GetProperty("overdue").GetInt32() >= 1);
            Assert.Equal("麒麟区", row.GetProperty("countyName").GetString());
            await HttpAssert.ProblemAsync(await county.GetAsync("/api/v1/hazards/stats?from=2026-06-30&to=2026-06-01"), HttpStatusCode.BadRequest);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromDays(-3));
        }
    }

    [Fact]
    public async Task TwoMajorsWhileProducingWithinThreeMonths_FlagTheMineForClosure()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var criterion = await CriterionAsync();
        var major = Valid(mine).With("level", "major").With("criterionId", criterion).With("stoppedArea", "全矿井");
        await CreateAsync(county, major);
        var once = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/closure-candidates?mineId={mine}"), HttpStatusCode.OK);
        Assert.Equal(0, once.GetArrayLength());
        await CreateAsync(county, major.With("foundAt", "2026-04-01T09:00:00"));
        var twice = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/closure-candidates?mineId={mine}"), HttpStatusCode.OK);
        Assert.Equal(2, twice[0].GetProperty("majors").GetInt32());

        var page = await (await app.BrowserAsAsync("county.qilin")).GetStringAsync($"/mines/{mine}");
        Assert.Contains("第七十条", page);
    }

    [Fact]
    public async Task Export_HasTheLedgerColumns_AndTheQuarterlyReportListsMajorHazards()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        await CreateAsync(county, Valid(mine).With("level", "major").With("criterionId", await CriterionAsync()).With("stoppedArea", "3102 工作面")
            .With("foundAt", "2026-05-10T10:00:00"));
        await CreateAsync(county, Valid(mine).With("description", "皮带机托辊缺失").With("professionalCategory", "机电"));

        var export = await county.GetAsync($"/api/v1/hazards/export.xlsx?mineId={mine}");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var sheet = XlsxReading.ReadFirstSheet(await export.Content.ReadAsByteArrayAsync());
        Assert.Equal(["序号", "隐患编号", "煤矿", "隐患地点", "隐患描述", "等级", "专业类别", "判定依据", "发现时间", "发现人", "整改措施", "整改资金", "整改责任人",
            "整改期限", "状态", "验收人", "验收时间"], sheet[0].Take(17));
        Assert.Equal(3, sheet.Count);
        Assert.Contains(sheet, r => r[5] == "重大隐患" && r[7].StartsWith("2020版第", StringComparison.Ordinal));
        Assert.Contains(sheet, r => r[4] == "皮带机托辊缺失" && r[6] == "机电");

        var report = await county.GetAsync($"/api/v1/mines/{mine}/hazards/quarterly.xlsx?year=2026&quarter=2");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains("2026", Uri.UnescapeDataString(report.Content.Headers.ContentDisposition?.FileNameStar ?? report.Content.Headers.ContentDisposition?.FileName ?? ""));
        var quarterly = XlsxReading.ReadFirstSheet(await report.Content.ReadAsByteArrayAsync());
        Assert.Single(quarterly.Skip(1), r => r.Any(c => c.StartsWith("2020版第", StringComparison.Ordinal)));
        var empty = XlsxReading.ReadFirstSheet(await (await county.GetAsync($"/api/v1/mines/{mine}/hazards/quarterly.xlsx?year=2026&quarter=1")).Content.ReadAsByteArrayAsync());
        Assert.Contains(empty, r => r.Any(c => c == "本季度无重大事故隐患"));
        await HttpAssert.ProblemAsync(await county.GetAsync($"/api/v1/mines/{mine}/hazards/quarterly.xlsx?year=2026&quarter=5"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Revisit_ConfirmsOrReopensClosedHazards()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        var mine = await NewMineAsync(county);
        var ids = new List<long>();
        for (var i = 0; i < 2; i++)
        {
            var id = (await CreateAsync(county, Valid(mine).With("level", "general"))).GetProperty("id").GetInt64();
            await OkAsync(county, id, new { action = "start" });
            await OkAsync(county, id, new { action = "submit", note = "已整改" });
            await OkAsync(city, id, new { action = "verify", passed = true, note = "合格" });
            ids.Add(id);
        }

        var open = (await CreateAsync(county, Valid(mine))).GetProperty("id").GetInt64();
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync("/api/v1/hazards/revisits", new { mineId = mine, scheduledOn = "2026-06-20", hazardIds = new[] { open } }),
            HttpStatusCode.BadRequest, "已销号");
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("enterprise.demo")).PostAsJsonAsync("/api/v1/hazards/revisits",
            new { mineId = mine, scheduledOn = "2026-06-20", sample = 1 }), HttpStatusCode.Forbidden);
        var revisit = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/hazards/revisits", new { mineId = mine, scheduledOn = "2026-06-20", hazardIds = ids }),
            HttpStatusCode.Created);
        var revisitId = revisit.GetProperty("id").GetInt64();
        Assert.Equal(2, revisit.GetProperty("items").GetInt32());

        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync($"/api/v1/hazards/revisits/{revisitId}/items/{ids[1]}", new { outcome = "reopened", note = "托辊又缺" }),
            HttpStatusCode.BadRequest, "整改期限");
        Assert.Equal(HazardState.Closed, (await LoadAsync(ids[1])).State);
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/hazards/revisits/{revisitId}/items/{ids[0]}", new { outcome = "confirmed" }), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/hazards/revisits/{revisitId}/items/{ids[1]}",
            new { outcome = "reopened", note = "托辊又缺", deadline = "2026-06-28" }), HttpStatusCode.OK);
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync($"/api/v1/hazards/revisits/{revisitId}/items/{ids[0]}", new { outcome = "reopened", deadline = "2026-06-28" }),
            HttpStatusCode.Conflict);

        var reopened = await LoadAsync(ids[1]);
        Assert.Equal((HazardState.Rectifying, 1), (reopened.State, reopened.Reopens));
        var detail = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/revisits/{revisitId}"), HttpStatusCode.OK);
        Assert.NotNull(detail.GetProperty("revisit").GetProperty("completedAt").GetString());
    }

    [Fact]
    public async Task Taxonomy_Lists15CategoriesAnd80ItemsWithArticles()
    {
        var json = await HttpAssert.JsonAsync(await (await app.ApiAsAsync("leader")).GetAsync("/api/v1/hazards/taxonomy"), HttpStatusCode.OK);
        var categories = json.GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(15, categories.Count);
        Assert.Equal(80, categories.Sum(c => c.GetProperty("items").GetArrayLength()));
        Assert.Equal("第四条", categories[0].GetProperty("article").GetString());
        Assert.Equal("2020版第四条第（一）项", categories[0].GetProperty("items")[0].GetProperty("citation").GetString());
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("leader")).GetAsync("/api/v1/hazards/taxonomy?standard=1999"), HttpStatusCode.NotFound);
    }
}

public sealed class HazardTestsSqlite(SqliteApp app) : HazardTests(app), IClassFixture<SqliteApp>;

public sealed class HazardTestsPostgres(PostgresApp app) : HazardTests(app), IClassFixture<PostgresApp>;
