using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Features.Mines;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Tests.Features.Stability;

public abstract class AssessmentTests(AppFixture app)
{
    public static Dictionary<string, double> All(double score) => new()
    {
        ["assets_debt"] = score, ["loans"] = score, ["economic_loss"] = score, ["resettlement"] = score, ["legal"] = score, ["safety"] = score,
        ["wage_arrears"] = score, ["merger"] = score, ["mine_village"] = score, ["livelihood"] = score, ["petitions"] = score,
    };

    private async Task<long> NewMineAsync(HttpClient client) =>
        (await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;

    [Fact]
    public async Task Draft_ComputesScoreAndGradeWithTheTemplate()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(client);
        // Σ weight × score / 10: wage_arrears 14 × 7 + resettlement 12 × 5 = 98 + 60 → 15.8 → 低
        var draft = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments",
            new { mineId = mine, scores = new Dictionary<string, double> { ["wage_arrears"] = 7, ["resettlement"] = 5 }, notes = "初评" }), HttpStatusCode.Created);
        Assert.Equal(15.8, draft.GetProperty("score").GetDouble());
        Assert.Equal("low", draft.GetProperty("grade").GetString());
        Assert.Equal("草稿", draft.GetProperty("stateName").GetString());

        var high = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = All(7) }), HttpStatusCode.Created);
        Assert.Equal(70, high.GetProperty("score").GetDouble());
        Assert.Equal("high", high.GetProperty("grade").GetString());

        // Veto: wage arrears at 8 or more makes it at least 高, whatever the total.
        var vetoed = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments",
            new { mineId = mine, scores = new Dictionary<string, double> { ["wage_arrears"] = 9 } }), HttpStatusCode.Created);
        Assert.Equal(12.6, vetoed.GetProperty("score").GetDouble());
        Assert.Equal("high", vetoed.GetProperty("grade").GetString());
        Assert.Contains("拖欠职工工资", vetoed.GetProperty("veto").GetString());
    }

    [Fact]
    public async Task ListFilters_ThatAreNotChoices_AreRefusedInChinese()
    {
        var client = await app.ApiAsAsync("county.qilin");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/assessments?state=flying"), HttpStatusCode.BadRequest, "状态只能是 draft、submitted、approved 或 returned");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/assessments?grade=extreme"), HttpStatusCode.BadRequest, "等级只能是 high、medium 或 low");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/assessments?pageSize=201"), HttpStatusCode.BadRequest, "每页最多 200 条");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/conflicts?category=weather"), HttpStatusCode.BadRequest, "类别「weather」无效");
        var byLabel = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/assessments?state=" + Uri.EscapeDataString("已审批")), HttpStatusCode.OK);
        Assert.All(byLabel.GetProperty("items").EnumerateArray(), a => Assert.Equal("approved", a.GetProperty("state").GetString()));
    }

    [Fact]
    public async Task BadScores_AreRefusedInChinese_AndNothingIsStored()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(client);
        var unknown = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments",
            new { mineId = mine, scores = new Dictionary<string, double> { ["luck"] = 3 } }), HttpStatusCode.BadRequest);
        Assert.Contains("不是评估模板第 1 版的维度", unknown.Field("scores.luck"));
        var outside = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments",
            new { mineId = mine, scores = new Dictionary<string, double> { ["legal"] = 11 } }), HttpStatusCode.BadRequest);
        Assert.Contains("应在 0～10 之间", outside.Field("scores.legal"));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Assessment>().CountAsync(a => a.MineId == mine)));
    }

    [Fact]
    public async Task ScoringFarBelowTheEvidence_NeedsAReason()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(client);
        var city = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "city").Select(u => u.Id).SingleAsync());
        for (var i = 0; i < 2; i++)
        {
            await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/conflicts", new
            {
                mineId = mine, category = "wageArrears", description = $"拖欠工资{i}", amount = 300, persons = 60, leaderUserId = city, deadline = "2026-12-31",
            }), HttpStatusCode.Created);
        }

        var evidence = await HttpAssert.JsonAsync(await client.GetAsync($"/api/v1/assessments/evidence?mineId={mine}"), HttpStatusCode.OK);
        var wages = evidence.EnumerateArray().Single(e => e.GetProperty("dimensionKey").GetString() == "wage_arrears");
        Assert.Contains("欠薪矛盾 2 件，涉及 120 人、600 万元", wages.GetProperty("text").GetString());
        Assert.Equal(10, wages.GetProperty("suggestedScore").GetDouble()); // 2×2 + 3 (≥500 万) + 3 (≥100 人)

        var refused = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/assessments",
            new { mineId = mine, scores = new Dictionary<string, double> { ["wage_arrears"] = 2 } }), HttpStatusCode.BadRequest);
        Assert.Contains("须说明理由", refused.Field("reasons.wage_arrears"));
        var accepted = await client.PostAsJsonAsync("/api/v1/assessments", new
        {
            mineId = mine, scores = new Dictionary<string, double> { ["wage_arrears"] = 2 },
            reasons = new Dictionary<string, string> { ["wage_arrears"] = "欠薪已由政府应急周转金垫付，待企业偿还" },
        });
        Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
    }

    [Fact]
    public async Task Workflow_SubmitThenApproveByAHigherLevel_SetsTheMineGradeAndTheReassessmentDeadline()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var draft = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = All(5) }), HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetInt64();
        var city = await app.ApiAsAsync("city");

        await HttpAssert.ProblemAsync(await city.PostAsJsonAsync($"/api/v1/assessments/{id}/approve", new { }), HttpStatusCode.Conflict, "当前状态为「草稿」");
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{id}/approve", new { }), HttpStatusCode.Conflict, "当前状态为「草稿」");
        Assert.Equal(HttpStatusCode.OK, (await county.PostAsJsonAsync($"/api/v1/assessments/{id}/submit", new { })).StatusCode);
        // The city is told (the county's scope does not show the city's organisation: whom to tell must not depend on it).
        var cityId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "city").Select(u => u.Id).SingleAsync());
        Assert.True(await app.WithDbAsync(db => db.Notifications.IgnoreQueryFilters().AnyAsync(n => n.UserId == cityId && n.Link == $"/stability/assessments/{id}")));
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{id}/approve", new { }), HttpStatusCode.Forbidden, "不能审批自己");
        await HttpAssert.ProblemAsync(await county.PutAsJsonAsync($"/api/v1/assessments/{id}", new { scores = All(1) }), HttpStatusCode.Conflict, "不能再修改评分");
        await HttpAssert.ProblemAsync(await city.PostAsJsonAsync($"/api/v1/assessments/{id}/return", new { }), HttpStatusCode.BadRequest, "退回评估须说明理由");

        var approved = await HttpAssert.JsonAsync(await city.PostAsJsonAsync($"/api/v1/assessments/{id}/approve", new { }), HttpStatusCode.OK);
        Assert.Equal("已审批", approved.GetProperty("stateName").GetString());
        var (grade, reassess) = await app.WithDbAsync(async db => (
            await db.Set<Mine>().Where(m => m.Id == mine).Select(m => m.RiskGrade).SingleAsync(),
            await db.Deadlines.SingleAsync(d => d.SubjectType == AssessmentService.ReassessSubject && d.MineId == mine && d.CompletedAt == null)));
        Assert.Equal(RiskGrade.Medium, grade); // 50 points
        Assert.InRange((reassess.DueAt - app.Clock.GetUtcNow().UtcDateTime).TotalDays, 89, 91.1); // 中: every 90 days
        var list = await HttpAssert.JsonAsync(await city.GetAsync($"/api/v1/mines?grade=medium&q={await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Id == mine).Select(m => m.Code).SingleAsync())}"), HttpStatusCode.OK);
        Assert.Equal("中", list.GetProperty("items")[0].GetProperty("riskGradeName").GetString());
    }

    [Fact]
    public async Task Approval_ByAColleagueAtTheSameLevel_IsRefused()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var colleague = $"q{Guid.NewGuid():N}"[..10];
        await app.CreateUserAsync(colleague, MineRisk.Web.Platform.Auth.Roles.CountyRegulator, "麒麟区应急管理局");
        var draft = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = All(2) }), HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetInt64();
        await county.PostAsJsonAsync($"/api/v1/assessments/{id}/submit", new { });
        var peer = await app.ApiAsAsync(colleague);
        await HttpAssert.ProblemAsync(await peer.PostAsJsonAsync($"/api/v1/assessments/{id}/approve", new { }), HttpStatusCode.Forbidden, "上级");
        var submitted = await HttpAssert.ProblemAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{id}/submit", new { }), HttpStatusCode.Conflict, "当前状态为「已提交」");
        Assert.NotEmpty(submitted);
    }

    [Fact]
    public async Task Submit_WithDimensionsUnscored_IsRefused()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var draft = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments",
            new { mineId = mine, scores = new Dictionary<string, double> { ["legal"] = 3 } }), HttpStatusCode.Created);
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync($"/api/v1/assessments/{draft.GetProperty("id").GetInt64()}/submit", new { }),
            HttpStatusCode.BadRequest, "尚缺：资产债务");
    }

    [Fact]
    public async Task NewTemplateVersion_ChangesNewResultsButNeverPastOnes()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var before = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = All(4) }), HttpStatusCode.Created);
        Assert.Equal(40, before.GetProperty("score").GetDouble());
        Assert.Equal("medium", before.GetProperty("grade").GetString());

        var admin = await app.ApiAsAsync("admin");
        var templates = await HttpAssert.JsonAsync(await admin.GetAsync("/api/v1/assessment-templates"), HttpStatusCode.OK);
        var current = templates[0];
        var dimensions = current.GetProperty("dimensions").EnumerateArray().Select(d => new
        {
            key = d.GetProperty("key").GetString(), name = d.GetProperty("name").GetString(), weight = d.GetProperty("weight").GetDouble(),
            guidance0 = "0", guidance5 = "5", guidance10 = "10",
        }).ToList();
        var badWeights = dimensions.Select((d, i) => i == 0 ? d with { weight = d.weight + 5 } : d).ToList();
        await HttpAssert.ProblemAsync(await admin.PostAsJsonAsync("/api/v1/assessment-templates", new { dimensions = badWeights }), HttpStatusCode.BadRequest, "权重之和应为 100");
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync("/api/v1/assessment-templates", new { dimensions }), HttpStatusCode.Forbidden);

        // v2: 中 from 45 points on.
        var created = await HttpAssert.JsonAsync(await admin.PostAsJsonAsync("/api/v1/assessment-templates", new { dimensions, highThreshold = 60, mediumThreshold = 45 }), HttpStatusCode.Created);
        try
        {
            var after = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/assessments", new { mineId = mine, scores = All(4) }), HttpStatusCode.Created);
            Assert.Equal("low", after.GetProperty("grade").GetString());
            var old = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/assessments/{before.GetProperty("id").GetInt64()}"), HttpStatusCode.OK);
            Assert.Equal("medium", old.GetProperty("item").GetProperty("grade").GetString());
            Assert.Equal(1, old.GetProperty("templateVersion").GetInt32());
        }
        finally
        {
            // Later tests of this class expect v1 to be current.
            var v2 = created.GetProperty("id").GetInt64();
            await app.WithDbAsync(async db =>
            {
                await db.Set<Assessment>().Where(a => a.TemplateId == v2).ExecuteDeleteAsync();
                await db.Set<AssessmentTemplate>().Where(t => t.Id == v2).ExecuteDeleteAsync();
            });
        }
    }
}

public sealed class AssessmentTestsSqlite(SqliteApp app) : AssessmentTests(app), IClassFixture<SqliteApp>;

public sealed class AssessmentTestsPostgres(PostgresApp app) : AssessmentTests(app), IClassFixture<PostgresApp>;
