using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Tests.Features.Mines;

public abstract class MineApiTests(AppFixture app)
{
    [Fact]
    public async Task List_AsCountyRegulator_HoldsOnlyTheCountysMines()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var json = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/mines?pageSize=200"), HttpStatusCode.OK);
        var expected = await app.WithDbAsync(db => db.Set<Mine>().CountAsync(m => m.RegionCode.StartsWith("530302")));
        Assert.Equal(expected, json.GetProperty("total").GetInt32());
        Assert.All(json.GetProperty("items").EnumerateArray(), m => Assert.StartsWith("530302", m.GetProperty("regionCode").GetString()));
        Assert.True(expected < 220);

        // Each row names its township and county (from the region tree in memory), as the database has them.
        var townships = await app.WithDbAsync(db => db.Regions.Where(r => r.Code.StartsWith("530302")).ToDictionaryAsync(r => r.Code, r => r.Name));
        Assert.All(json.GetProperty("items").EnumerateArray(), m =>
        {
            Assert.Equal(townships[m.GetProperty("regionCode").GetString()!], m.GetProperty("regionName").GetString());
            Assert.Equal("麒麟区", m.GetProperty("countyName").GetString());
        });
    }

    [Fact]
    public async Task List_AsEnterpriseUser_HoldsExactlyItsEnterprisesMines()
    {
        var client = await app.ApiAsAsync("enterprise.demo");
        var json = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/mines?pageSize=200"), HttpStatusCode.OK);
        var expected = await app.WithDbAsync(db => db.Set<Mine>().CountAsync(m => m.Enterprise!.Name == MineDemoSeeder.DemoEnterprise));
        Assert.True(expected >= 3);
        Assert.Equal(expected, json.GetProperty("total").GetInt32());
        Assert.All(json.GetProperty("items").EnumerateArray(), m => Assert.Equal(MineDemoSeeder.DemoEnterprise, m.GetProperty("enterpriseName").GetString()));
    }

    [Fact]
    public async Task List_FiltersCombine_AndPageSizeOver200_IsRefused()
    {
        var client = await app.ApiAsAsync("city");
        var json = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/mines?regionCode=530325&status=producing&gasLevel=outburst&minCapacity=30&sort=capacity&pageSize=200"), HttpStatusCode.OK);
        var items = json.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, m =>
        {
            Assert.StartsWith("530325", m.GetProperty("regionCode").GetString());
            Assert.Equal("producing", m.GetProperty("status").GetString());
            Assert.Equal("outburst", m.GetProperty("gasLevel").GetString());
            Assert.True(m.GetProperty("approvedCapacity").GetDouble() >= 30);
        });
        var capacities = items.Select(m => m.GetProperty("approvedCapacity").GetDouble()).ToList();
        Assert.Equal(capacities.OrderByDescending(c => c), capacities);

        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/mines?pageSize=201"), HttpStatusCode.BadRequest, "每页最多 200 条");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/mines?status=flying"), HttpStatusCode.BadRequest, "producing（正常生产）");
        var byLabel = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/mines?status=" + Uri.EscapeDataString("正常生产")), HttpStatusCode.OK);
        Assert.All(byLabel.GetProperty("items").EnumerateArray(), m => Assert.Equal("producing", m.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Create_Valid_Is201_AndTheMineIsInItsFile()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var body = MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app));
        var (id, version) = await MineBuilder.CreateAsync(app, client, body);
        Assert.Equal(1, version);
        var detail = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}"), HttpStatusCode.OK);
        Assert.Equal(body["code"], detail.GetProperty("code").GetString());
        Assert.Equal("正常生产", detail.GetProperty("statusName").GetString());
        Assert.Equal("云南省曲靖市麒麟区越州镇", detail.GetProperty("regionName").GetString());
        // A new mine without licences or staff is flagged for both.
        var flags = detail.GetProperty("flags").EnumerateArray().Select(f => f.GetProperty("title").GetString()).ToList();
        Assert.Contains("未登记采矿许可证", flags);
        Assert.Contains("未配备矿长", flags);
    }

    [Fact]
    public async Task Create_Invalid_IsRefusedFieldByFieldInChinese_AndNothingIsStored()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var enterprise = await MineBuilder.QilinEnterpriseAsync(app);
        var count = await app.WithDbAsync(db => db.Set<Mine>().CountAsync());
        var existingCode = await app.WithDbAsync(db => db.Set<Mine>().Select(m => m.Code).FirstAsync());

        var badCode = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/mines", MineBuilder.Valid(enterprise).With("code", "12345")), HttpStatusCode.BadRequest);
        Assert.Contains("应为 12 位数字", badCode.Field("code"));
        var duplicate = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/mines", MineBuilder.Valid(enterprise).With("code", existingCode)), HttpStatusCode.BadRequest);
        Assert.Contains("已被", duplicate.Field("code"));
        var elsewhere = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/mines", MineBuilder.Valid(enterprise, "530381101")), HttpStatusCode.BadRequest);
        Assert.Contains("不在您的管辖范围内", elsewhere.Field("regionCode"));
        var county = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/mines", MineBuilder.Valid(enterprise, "530302")), HttpStatusCode.BadRequest);
        Assert.Contains("乡镇（街道）一级", county.Field("regionCode"));
        var several = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/mines",
            MineBuilder.Valid(enterprise).With("name", " ").With("approvedCapacity", -3).With("latitude", 80).With("status", null)), HttpStatusCode.BadRequest);
        Assert.Contains("请填写煤矿名称", several.Field("name"));
        Assert.Contains("核定产能应在", several.Field("approvedCapacity"));
        Assert.Contains("纬度", several.Field("latitude"));
        Assert.Contains("请选择生产状态", several.Field("status"));

        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Mine>().CountAsync()));
    }

    [Fact]
    public async Task Update_WithAStaleVersion_Is409InChinese_AndChangesNothing()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var body = MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app));
        var (id, version) = await MineBuilder.CreateAsync(app, client, body);
        var first = await client.PutAsJsonAsync($"/api/v1/mines/{id}", body.With("name", "第一次修改").With("version", version));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var stale = await client.PutAsJsonAsync($"/api/v1/mines/{id}", body.With("name", "基于旧版本的修改").With("version", version));
        await HttpAssert.ProblemAsync(stale, HttpStatusCode.Conflict, "已被他人修改");
        var detail = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}"), HttpStatusCode.OK);
        Assert.Equal("第一次修改", detail.GetProperty("name").GetString());
        Assert.Equal(version + 1, detail.GetProperty("version").GetInt32());
        await HttpAssert.ProblemAsync(await client.PutAsJsonAsync($"/api/v1/mines/{id}", body), HttpStatusCode.BadRequest, "版本号");
    }

    [Fact]
    public async Task Update_StatusCapacityOrDisposition_NeedsAReason_AndIsKeptAsHistory()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var body = MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app));
        var (id, version) = await MineBuilder.CreateAsync(app, client, body);
        var changed = body.With("status", "suspendedForRectification").With("approvedCapacity", 30).With("version", version);
        var refused = await HttpAssert.JsonAsync(await client.PutAsJsonAsync($"/api/v1/mines/{id}", changed), HttpStatusCode.BadRequest);
        Assert.Contains("须填写变更原因", refused.Field("reason"));

        var ok = await client.PutAsJsonAsync($"/api/v1/mines/{id}", changed.With("reason", "责令停产整顿，核减产能"));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var history = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}/history"), HttpStatusCode.OK);
        var rows = history.EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        var status = rows.Single(r => r.GetProperty("field").GetString() == "生产状态");
        Assert.Equal("正常生产", status.GetProperty("oldValue").GetString());
        Assert.Equal("停产整顿", status.GetProperty("newValue").GetString());
        Assert.Equal("责令停产整顿，核减产能", status.GetProperty("reason").GetString());
        Assert.Equal("张卫东", status.GetProperty("byName").GetString());
        var capacity = rows.Single(r => r.GetProperty("field").GetString() == "核定产能(万吨/年)");
        Assert.Equal("45", capacity.GetProperty("oldValue").GetString());
        Assert.Equal("30", capacity.GetProperty("newValue").GetString());
    }

    [Theory]
    [InlineData("xinfang", "只有监管部门")]
    [InlineData("enterprise.demo", "只有监管部门")]
    [InlineData("leader", "只读")]
    public async Task Create_ByNonRegulators_IsRefused(string userName, string reason)
    {
        var client = await app.ApiAsAsync(userName);
        var enterprise = await MineBuilder.QilinEnterpriseAsync(app);
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync("/api/v1/mines", MineBuilder.Valid(enterprise)), HttpStatusCode.Forbidden, reason);
    }

    [Fact]
    public async Task Licence_OpensARenewalDeadlineForTheCountyRegulators_AndRenewalReplacesIt()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var (id, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)));
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        var created = await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/mines/{id}/licences",
            new { kind = "safetyProduction", number = "（云）MK安许证字〔2024〕0001", expiresOn = today.AddDays(30).ToString("yyyy-MM-dd") }), HttpStatusCode.Created);
        var licenceId = created.GetProperty("id").GetInt64();

        // The county bureau sees it in its inbox as 临期 (within the 60-day window).
        var deadlines = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/inbox/deadlines"), HttpStatusCode.OK);
        var mine = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}"), HttpStatusCode.OK);
        var name = mine.GetProperty("name").GetString();
        var mineDeadline = deadlines.EnumerateArray().Single(d => d.GetProperty("title").GetString() == $"{name}安全生产许可证到期换证");
        Assert.Equal("临期", mineDeadline.GetProperty("statusName").GetString());
        Assert.Contains(mine.GetProperty("flags").EnumerateArray(), f => f.GetProperty("title").GetString()!.StartsWith("安全生产许可证将于"));

        // Renewed: the old deadline is done, a new one is open for the new date.
        var renewed = await client.PutAsJsonAsync($"/api/v1/mines/{id}/licences/{licenceId}",
            new { kind = "safetyProduction", number = "（云）MK安许证字〔2026〕0001", expiresOn = today.AddYears(3).ToString("yyyy-MM-dd") });
        Assert.Equal(HttpStatusCode.OK, renewed.StatusCode);
        var all = await app.WithDbAsync(db => db.Deadlines.Where(d => d.SubjectType == MineWriter.LicenceSubject && d.SubjectId == licenceId).ToListAsync());
        Assert.Equal(2, all.Count);
        Assert.Single(all, d => d.CompletedAt is not null);
        Assert.Equal(DeadlineStatus.Normal, all.Single(d => d.CompletedAt is null).StatusAt(app.Clock.GetUtcNow().UtcDateTime));

        var duplicate = await client.PostAsJsonAsync($"/api/v1/mines/{id}/licences", new { kind = "safetyProduction", number = "X", expiresOn = "2030-01-01" });
        await HttpAssert.ProblemAsync(duplicate, HttpStatusCode.Conflict, "已登记安全生产许可证");
        var bad = await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/mines/{id}/licences", new { kind = "business" }), HttpStatusCode.BadRequest);
        Assert.Contains("请填写证照编号", bad.Field("number"));
        Assert.Contains("有效期", bad.Field("expiresOn"));
    }

    [Fact]
    public async Task KeyPersons_ThatBreakSeed001_AreFlaggedWithTheRule()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var (id, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)));
        await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/mines/{id}/key-persons",
            new { position = "mineManager", name = "王兼职", education = "secondary", miningMajor = true, yearsExperience = 2, fullTime = false }), HttpStatusCode.Created);
        var badId = await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/mines/{id}/key-persons",
            new { position = "mineManager", name = "李", idNumber = "530302199001011235", education = "college", yearsExperience = 5 }), HttpStatusCode.BadRequest);
        Assert.Contains("校验码", badId.Field("idNumber"));

        var detail = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}"), HttpStatusCode.OK);
        var manager = detail.GetProperty("flags").EnumerateArray().Single(f => f.GetProperty("title").GetString()!.StartsWith("矿长王兼职"));
        var title = manager.GetProperty("title").GetString()!;
        Assert.Contains("非专职", title);
        Assert.Contains("须煤矿相关专业大专及以上", title);
        Assert.Contains("须三年以上", title);
        Assert.Contains("必须专职", manager.GetProperty("rule").GetString());
        Assert.Contains("2022年煤矿安全专项整治行动实施方案", manager.GetProperty("source").GetString());
        Assert.Contains(detail.GetProperty("flags").EnumerateArray(), f => f.GetProperty("title").GetString() == "未配备总工程师");
    }

    [Fact]
    public async Task Technician_RegisteredAtTwoMines_IsFlaggedAsShared()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var enterprise = await MineBuilder.QilinEnterpriseAsync(app);
        var (first, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(enterprise));
        var (second, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(enterprise));
        const string first17 = "53030219850101123";
        var idNumber = first17 + IdNumbers.CheckDigit(first17);
        var person = new { position = "ventilationTechnician", name = "赵兼职", idNumber, education = "college", miningMajor = true, yearsExperience = 6 };
        await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/mines/{first}/key-persons", person), HttpStatusCode.Created);
        var before = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{first}"), HttpStatusCode.OK);
        Assert.DoesNotContain(before.GetProperty("flags").EnumerateArray(), f => f.GetProperty("title").GetString()!.Contains("兼职"));
        await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/mines/{second}/key-persons", person), HttpStatusCode.Created);
        var after = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{first}"), HttpStatusCode.OK);
        Assert.Contains(after.GetProperty("flags").EnumerateArray(), f => f.GetProperty("title").GetString()!.Contains("不得在煤矿之间兼职"));
        Assert.Contains(after.GetProperty("keyPersons").EnumerateArray(), p => p.GetProperty("idNumberMasked").GetString() == "5303**********" + idNumber[^4..]);
    }

    [Fact]
    public async Task EnterpriseUser_MaintainsLicencesOfItsOwnMines()
    {
        var client = await app.ApiAsAsync("enterprise.demo");
        var list = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/mines"), HttpStatusCode.OK);
        var id = list.GetProperty("items")[0].GetProperty("id").GetInt64();
        var detail = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}"), HttpStatusCode.OK);
        var licence = detail.GetProperty("licences")[0];
        var response = await client.PutAsJsonAsync($"/api/v1/mines/{id}/licences/{licence.GetProperty("id").GetInt64()}",
            new { kind = licence.GetProperty("kind").GetString(), number = licence.GetProperty("number").GetString(), expiresOn = "2031-12-31" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edit = await client.PutAsJsonAsync($"/api/v1/mines/{id}", new { name = "企业自改名称", version = detail.GetProperty("version").GetInt32() });
        await HttpAssert.ProblemAsync(edit, HttpStatusCode.Forbidden, "只有监管部门");
    }

    [Fact]
    public async Task DispositionPlan_MilestonesRunTheirWorkflow_WithDeadlines()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var (id, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)).With("disposition", "closeExit"));
        Assert.Equal(HttpStatusCode.OK, (await client.PutAsJsonAsync($"/api/v1/mines/{id}/disposition-plan", new { summary = "依法关闭退出" })).StatusCode);
        var plan = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}/disposition-plan"), HttpStatusCode.OK);
        var milestones = plan.GetProperty("milestones").EnumerateArray().ToList();
        Assert.Equal(["停产", "拆除设备", "封闭井筒", "验收", "公告"], milestones.Select(m => m.GetProperty("name").GetString()!));
        Assert.All(milestones, m => Assert.Equal("正常", m.GetProperty("deadlineStatusName").GetString()));
        var first = milestones[0].GetProperty("id").GetInt64();
        var url = $"/api/v1/mines/{id}/disposition-plan/milestones/{first}";

        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync($"{url}/complete", new { note = "已停产" }), HttpStatusCode.Conflict, "当前状态为「未开始」，不能执行「完成」");

        // “一纳入”: no disposition step before an approved stability assessment.
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync($"{url}/start", new { }), HttpStatusCode.Conflict, "一纳入");
        var scores = new Dictionary<string, double> { ["assets_debt"] = 2, ["loans"] = 2, ["economic_loss"] = 2, ["resettlement"] = 2, ["legal"] = 2, ["safety"] = 2,
            ["wage_arrears"] = 2, ["merger"] = 2, ["mine_village"] = 2, ["livelihood"] = 2, ["petitions"] = 2 };
        var assessment = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments", new { mineId = id, scores }), HttpStatusCode.Created);
        var assessmentId = assessment.GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/assessments/{assessmentId}/submit", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiAsAsync("city")).PostAsJsonAsync($"/api/v1/assessments/{assessmentId}/approve", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{url}/start", new { })).StatusCode);
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync($"{url}/complete", new { note = " " }), HttpStatusCode.BadRequest, "完成情况说明");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"{url}/complete", new { note = "已停止一切生产活动，井下设备断电" })).StatusCode);
        await HttpAssert.ProblemAsync(await client.PostAsJsonAsync($"{url}/fly", new { }), HttpStatusCode.BadRequest, "start");

        plan = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/mines/{id}/disposition-plan"), HttpStatusCode.OK);
        Assert.Equal("已完成", plan.GetProperty("milestones")[0].GetProperty("stateName").GetString());
        var deadline = await app.WithDbAsync(db => db.Deadlines.SingleAsync(d => d.SubjectType == MineWriter.MilestoneSubject && d.SubjectId == first));
        Assert.NotNull(deadline.CompletedAt);

        var (retain, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)));
        await HttpAssert.ProblemAsync(await client.PutAsJsonAsync($"/api/v1/mines/{retain}/disposition-plan", new { summary = "x" }), HttpStatusCode.Conflict, "单独保留");
    }
}

public sealed class MineApiTestsSqlite(SqliteApp app) : MineApiTests(app), IClassFixture<SqliteApp>;

public sealed class MineApiTestsPostgres(PostgresApp app) : MineApiTests(app), IClassFixture<PostgresApp>;
