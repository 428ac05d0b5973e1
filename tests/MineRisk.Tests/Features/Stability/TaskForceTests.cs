using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Features.Mines;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;

namespace MineRisk.Tests.Features.Stability;

/// <summary>一矿一专班 with its patrol log, the compliance gaps, 十到位, and the grade counts of the overview.</summary>
public abstract class TaskForceTests(AppFixture app)
{
    private async Task<long> NewMineAsync(HttpClient client, RiskGrade? grade = null)
    {
        var id = (await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;
        if (grade is not null)
        {
            // The grade normally comes from an approved assessment (AssessmentTests); here only the gap rules matter.
            await app.WithDbAsync(db => db.Set<Mine>().IgnoreQueryFilters().Where(m => m.Id == id).ExecuteUpdateAsync(s => s.SetProperty(m => m.RiskGrade, grade)));
        }

        return id;
    }

    private static object Force(long mineId) => new
    {
        mineId, leaderName = "王副县长", leaderTitle = "麒麟区副区长", watchTarget = "井口及炸药库", watchUntil = "2026-12-31",
        watchDuty = "24 小时驻矿盯守，严防明停暗开", members = new[] { new { name = "李安监", organisation = "麒麟区应急管理局", role = "驻矿安监员" } },
    };

    private static async Task<List<JsonElement>> GapsAsync(HttpClient client, long mineId) =>
        (await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/stability/compliance"), HttpStatusCode.OK)).EnumerateArray()
        .Where(g => g.GetProperty("mineId").GetInt64() == mineId).ToList();

    [Fact]
    public async Task Create_RequiresLeaderDutiesAndMembersWithTheirUnits()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var empty = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/task-forces", new { mineId = mine }), HttpStatusCode.BadRequest);
        Assert.Contains("请填写专班组长", empty.Field("leaderName"));
        Assert.Contains("请填写盯守对象", empty.Field("watchTarget"));
        Assert.Contains("请填写盯守责任", empty.Field("watchDuty"));
        Assert.Contains("至少要有一名组员", empty.Field("members"));
        var noUnit = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/task-forces", new
        {
            mineId = mine, leaderName = "王副县长", watchTarget = "井口", watchDuty = "盯守", members = new[] { new { name = "李安监", organisation = "" } },
        }), HttpStatusCode.BadRequest);
        Assert.Contains("所在单位", noUnit.Field("members"));
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("xinfang")).PostAsJsonAsync("/api/v1/task-forces", Force(mine)), HttpStatusCode.Forbidden);
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("county.xuanwei")).PostAsJsonAsync("/api/v1/task-forces", Force(mine)), HttpStatusCode.NotFound);
        Assert.False(await app.WithDbAsync(db => db.Set<TaskForce>().IgnoreQueryFilters().AnyAsync(t => t.MineId == mine)));

        var created = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/task-forces", Force(mine)), HttpStatusCode.Created);
        Assert.EndsWith("工作专班", created.GetProperty("name").GetString());
        var detail = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/task-forces/{created.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
        Assert.Equal("麒麟区应急管理局", detail.GetProperty("members")[0].GetProperty("organisation").GetString());
        Assert.Equal("2026-12-31", detail.GetProperty("watchUntil").GetString());
    }

    [Fact]
    public async Task Compliance_ListsRiskyMinesWithoutAForce_AndForcesWithoutARecentPatrol()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county, RiskGrade.High);
        var gaps = await GapsAsync(county, mine);
        Assert.Equal("高风险煤矿未成立专班", Assert.Single(gaps).GetProperty("gap").GetString());

        var force = (await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/task-forces", Force(mine)), HttpStatusCode.Created)).GetProperty("id").GetInt64();
        Assert.Equal("专班从未巡查", Assert.Single(await GapsAsync(county, mine)).GetProperty("gap").GetString());

        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8));
        var future = await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/task-forces/{force}/patrols",
            new { date = today.AddDays(1).ToString("yyyy-MM-dd"), observation = "正常" }), HttpStatusCode.BadRequest);
        Assert.Contains("不能晚于今天", future.Field("date"));
        var noText = await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/task-forces/{force}/patrols",
            new { date = today.ToString("yyyy-MM-dd") }), HttpStatusCode.BadRequest);
        Assert.Contains("请填写巡查所见", noText.Field("observation"));

        var patrolDay = today.AddDays(-8);
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/task-forces/{force}/patrols", new
        {
            date = patrolDay.ToString("yyyy-MM-dd"), patroller = "李安监", observation = "夜间发现运煤车辆进出，疑似明停暗开", illegalProductionSigns = true,
        }), HttpStatusCode.Created);
        Assert.Equal("专班已 8 天未巡查", Assert.Single(await GapsAsync(county, mine)).GetProperty("gap").GetString());

        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/task-forces/{force}/patrols",
            new { date = today.ToString("yyyy-MM-dd"), observation = "井口封闭完好" }), HttpStatusCode.Created);
        Assert.Empty(await GapsAsync(county, mine));

        var patrols = (await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/task-forces/{force}"), HttpStatusCode.OK)).GetProperty("patrols");
        Assert.Equal(2, patrols.GetArrayLength());
        Assert.True(patrols[1].GetProperty("illegalProductionSigns").GetBoolean());
        Assert.Equal("张卫东", patrols[0].GetProperty("patroller").GetString()); // who patrolled defaults to the one writing it down

        // A 低 mine without a task force is no gap.
        var low = await NewMineAsync(county, RiskGrade.Low);
        Assert.Empty(await GapsAsync(county, low));
    }

    [Fact]
    public async Task TenItems_AreTickedByRegulatorsOnly_WithWhoAndWhen()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var before = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/mines/{mine}/ten-items"), HttpStatusCode.OK);
        Assert.Equal(10, before.GetArrayLength());
        Assert.All(before.EnumerateArray(), i => Assert.False(i.GetProperty("done").GetBoolean()));

        Assert.Equal(HttpStatusCode.NoContent, (await county.PutAsJsonAsync($"/api/v1/mines/{mine}/ten-items/massWork", new { done = true, note = "召开群众会 3 次" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await county.PutAsJsonAsync($"/api/v1/mines/{mine}/ten-items/{Uri.EscapeDataString("金融服务到位")}", new { done = true })).StatusCode);
        var after = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/mines/{mine}/ten-items"), HttpStatusCode.OK);
        var mass = after.EnumerateArray().Single(i => i.GetProperty("name").GetString() == "群众工作到位");
        Assert.True(mass.GetProperty("done").GetBoolean());
        Assert.Equal("召开群众会 3 次", mass.GetProperty("note").GetString());
        Assert.Equal("张卫东", mass.GetProperty("updatedBy").GetString());
        Assert.Equal(2, after.EnumerateArray().Count(i => i.GetProperty("done").GetBoolean()));

        var unknown = await HttpAssert.JsonAsync(await county.PutAsJsonAsync($"/api/v1/mines/{mine}/ten-items/luck", new { done = true }), HttpStatusCode.BadRequest);
        Assert.Contains("不是十到位中的一项", unknown.Field("item"));
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("xinfang")).PutAsJsonAsync($"/api/v1/mines/{mine}/ten-items/visits", new { done = true }), HttpStatusCode.Forbidden);
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("county.xuanwei")).GetAsync($"/api/v1/mines/{mine}/ten-items"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task GradeSummary_CountsEachMineInScopeOnceByItsCurrentGrade()
    {
        var city = await app.ApiAsAsync("city");
        var county = await app.ApiAsAsync("county.qilin");
        async Task<(int High, int Medium, int Low, int None)> CountsAsync(HttpClient client, string? region = null)
        {
            var s = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/stability/summary" + (region is null ? "" : $"?regionCode={region}")), HttpStatusCode.OK);
            return (s.GetProperty("high").GetInt32(), s.GetProperty("medium").GetInt32(), s.GetProperty("low").GetInt32(), s.GetProperty("unassessed").GetInt32());
        }

        var before = await CountsAsync(city, "530302");
        var mine = await NewMineAsync(county);
        Assert.Equal(before with { None = before.None + 1 }, await CountsAsync(city, "530302"));

        var draft = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = AssessmentTests.All(8) }), HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetInt64();
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{id}/submit", new { }), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await city.PostAsJsonAsync($"/api/v1/assessments/{id}/approve", new { }), HttpStatusCode.OK);
        Assert.Equal(before with { High = before.High + 1 }, await CountsAsync(city, "530302"));

        // The county sees its own mines only, whatever region it asks for; totals equal the registry.
        var own = await CountsAsync(county);
        var registry = (await HttpAssert.JsonAsync(await county.GetAsync("/api/v1/mines?pageSize=1"), HttpStatusCode.OK)).GetProperty("total").GetInt32();
        Assert.Equal(registry, own.High + own.Medium + own.Low + own.None);
        var asked = await CountsAsync(county, "530381");
        Assert.Equal((0, 0, 0, 0), asked);
    }

    [Fact]
    public async Task ReturnedAssessment_IsCorrectedAndResubmitted_WithTheReasonKept()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        var mine = await NewMineAsync(county);
        var id = (await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = AssessmentTests.All(1) }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{id}/submit", new { }), HttpStatusCode.OK);
        var returned = await HttpAssert.JsonAsync(await city.PostAsJsonAsync($"/api/v1/assessments/{id}/return", new { reason = "欠薪评分明显偏低，请核实" }), HttpStatusCode.OK);
        Assert.Equal("已退回", returned.GetProperty("stateName").GetString());

        var corrected = await HttpAssert.JsonAsync(await county.PutAsJsonAsync($"/api/v1/assessments/{id}", new { scores = AssessmentTests.All(4) }), HttpStatusCode.OK);
        Assert.Equal(40, corrected.GetProperty("score").GetDouble());
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{id}/submit", new { }), HttpStatusCode.OK);
        var detail = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/assessments/{id}"), HttpStatusCode.OK);
        Assert.Equal("欠薪评分明显偏低，请核实", detail.GetProperty("returnReason").GetString());
        Assert.Equal(["起草", "提交", "退回", "修改", "提交"], detail.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("action").GetString()!).ToList());
        var list = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/assessments?mineId={mine}"), HttpStatusCode.OK);
        Assert.Equal("已提交", list.GetProperty("items")[0].GetProperty("stateName").GetString());
    }
}

public sealed class TaskForceTestsSqlite(SqliteApp app) : TaskForceTests(app), IClassFixture<SqliteApp>;

public sealed class TaskForceTestsPostgres(PostgresApp app) : TaskForceTests(app), IClassFixture<PostgresApp>;
