using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Features.Mines;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;

namespace MineRisk.Tests.Features.Stability;

/// <summary>The stability pages as a browser gets them: figures equal to the API, forms that show their errors, the loop by form.</summary>
public abstract class StabilityPageTests(AppFixture app)
{
    private static readonly HtmlParser Parser = new();

    private static string Text(AngleSharp.Dom.IParentNode doc, string testId) => doc.QuerySelector($"[data-testid={testId}]")?.TextContent.Trim()
        ?? throw new Xunit.Sdk.XunitException($"页面上没有 data-testid={testId}");

    private Task<long> QilinMineAsync() => app.WithDbAsync(db => db.Set<Mine>().Where(m => m.RegionCode.StartsWith("530302")).OrderBy(m => m.Id).Select(m => m.Id).FirstAsync());

    [Fact]
    public async Task Overview_ShowsTheSameFiguresAsTheApi_EachALink()
    {
        var browser = await app.BrowserAsAsync("city");
        var api = await app.ApiAsAsync("city");
        var doc = Parser.ParseDocument(await browser.GetStringAsync("/stability"));
        var grades = await HttpAssert.JsonAsync(await api.GetAsync("/api/v1/stability/summary"), HttpStatusCode.OK);
        Assert.Equal(grades.GetProperty("high").GetInt32().ToString(), Text(doc, "count-high"));
        Assert.Equal(grades.GetProperty("medium").GetInt32().ToString(), Text(doc, "count-medium"));
        Assert.Equal(grades.GetProperty("low").GetInt32().ToString(), Text(doc, "count-low"));
        var gaps = await HttpAssert.JsonAsync(await api.GetAsync("/api/v1/stability/compliance"), HttpStatusCode.OK);
        Assert.Equal(gaps.GetArrayLength().ToString(), Text(doc, "gap-count"));
        var month = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)).ToString("yyyy-MM");
        var summary = await HttpAssert.JsonAsync(await api.GetAsync($"/api/v1/conflicts/summary?month={month}"), HttpStatusCode.OK);
        Assert.Equal(summary.GetProperty("open").GetInt32().ToString(), Text(doc, "open-conflicts"));
        Assert.Equal("/mines?grade=High", doc.QuerySelector("[data-testid=count-high]")!.Closest("a")!.GetAttribute("href"));
        Assert.NotNull(doc.QuerySelector("[data-chart]"));
        Assert.Contains("万元", Text(doc, "summary-sentences"));
    }

    [Fact]
    public async Task EveryStabilityPage_OpensForTheCity_AndTheReadOnlyLeaderSeesNoButtons()
    {
        var city = await app.BrowserAsAsync("city");
        var conflict = await app.WithDbAsync(db => db.Set<Conflict>().OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());
        var assessment = await app.WithDbAsync(db => db.Set<Assessment>().OrderBy(a => a.Id).Select(a => a.Id).FirstAsync());
        var force = await app.WithDbAsync(db => db.Set<TaskForce>().OrderBy(t => t.Id).Select(t => t.Id).FirstAsync());
        foreach (var (url, expected) in new[]
                 {
                     ("/stability/conflicts", "不稳定因素台账"), ($"/stability/conflicts/{conflict}", "办理过程"), ("/stability/conflicts/summary", "每月"),
                     ("/stability/conflicts/import", "导入"), ("/stability/assessments", "一矿一评估"), ($"/stability/assessments/{assessment}", "得分"),
                     ("/stability/task-forces", "专班"), ($"/stability/task-forces/{force}", "巡查"),
                     ($"/stability/conflicts/new?mineId={await QilinMineAsync()}", "挂号登记"),
                 })
        {
            var response = await city.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
            Assert.Contains(expected, await response.Content.ReadAsStringAsync());
        }

        // Templates are the administrator's: others are turned away.
        Assert.Contains("评估模板", await (await app.BrowserAsAsync("admin")).GetStringAsync("/stability/templates"));
        Assert.Contains("/account/denied", (await city.GetAsync("/stability/templates")).Headers.Location?.OriginalString);

        var leader = await app.BrowserAsAsync("leader");
        var ledger = Parser.ParseDocument(await leader.GetStringAsync("/stability/conflicts"));
        Assert.Null(ledger.QuerySelector("[data-testid=conflict-new]"));
        Assert.NotNull(ledger.QuerySelector("[data-testid=conflicts-export]"));
        var detail = Parser.ParseDocument(await leader.GetStringAsync($"/stability/conflicts/{conflict}"));
        Assert.Null(detail.QuerySelector("[data-testid=conflict-actions]"));
        Assert.Contains("/account/denied", (await leader.GetAsync($"/stability/conflicts/new?mineId={await QilinMineAsync()}")).Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task Ledger_FiltersByLabel_ShowsAnEmptyState_AndExportsTheSameFilter()
    {
        var browser = await app.BrowserAsAsync("city");
        var doc = Parser.ParseDocument(await browser.GetStringAsync("/stability/conflicts?category=WageArrears&open=true"));
        var rows = doc.QuerySelectorAll("[data-testid=conflicts-table] tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("欠薪", r.TextContent));
        Assert.DoesNotContain(rows, r => r.TextContent.Contains("已销号"));
        var export = doc.QuerySelector("[data-testid=conflicts-export]")!.GetAttribute("href")!;
        Assert.Contains("category=WageArrears", export);
        Assert.Contains("open=true", export, StringComparison.OrdinalIgnoreCase);

        var empty = Parser.ParseDocument(await browser.GetStringAsync("/stability/conflicts?q=" + Uri.EscapeDataString("没有这样的矛盾描述")));
        Assert.Contains("没有符合条件", empty.QuerySelector("[data-testid=conflicts-table]")?.TextContent ?? empty.Body!.TextContent);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.BrowserAsAsync("county.xuanwei")).GetAsync(
            $"/stability/conflicts/{await app.WithDbAsync(db => db.Set<Conflict>().Where(c => c.RegionCode.StartsWith("530302")).Select(c => c.Id).FirstAsync())}")).StatusCode);
    }

    [Fact]
    public async Task RegisterByForm_ShowsEveryErrorAtOnce_ThenTheLoopRunsByForm()
    {
        var county = await app.BrowserAsAsync("county.qilin");
        var api = await app.ApiAsAsync("county.qilin");
        var mine = (await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;
        var page = $"/stability/conflicts/new?mineId={mine}";
        var form = Parser.ParseDocument(await county.GetStringAsync(page));
        var leaderOptions = form.QuerySelectorAll("#leader-options option").Select(o => o.TextContent).ToList();
        Assert.Contains(leaderOptions, o => o.Contains("张卫东"));
        Assert.Contains(leaderOptions, o => o.Contains("李明华"));

        var bad = await AppFixture.PostFormAsync(county, "/stability/conflicts/new", new() { ["Form.MineId"] = mine.ToString(), ["Form.Description"] = "" }, page);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var errors = Parser.ParseDocument(await bad.Content.ReadAsStringAsync()).QuerySelector("[data-testid=conflict-form]")!.TextContent;
        Assert.Contains("请选择矛盾类别", errors);
        Assert.Contains("请指定包案领导", errors);
        Assert.Contains("请填写化解期限", errors);
        Assert.False(await app.WithDbAsync(db => db.Set<Conflict>().AnyAsync(c => c.MineId == mine)));

        var leader = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "city").Select(u => u.Id).SingleAsync());
        var created = await AppFixture.PostFormAsync(county, "/stability/conflicts/new", new()
        {
            ["Form.MineId"] = mine.ToString(), ["Form.Category"] = "MineVillage", ["Form.Description"] = "采空区致村民房屋开裂", ["Form.Amount"] = "35",
            ["Form.Persons"] = "12", ["Form.RiskGrade"] = "Medium", ["Form.LeaderUserId"] = leader.ToString(), ["Form.Deadline"] = "2026-09-30",
        }, page);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var detailUrl = created.Headers.Location!.OriginalString;
        var id = await app.WithDbAsync(db => db.Set<Conflict>().Where(c => c.MineId == mine).Select(c => c.Id).SingleAsync());
        Assert.Equal($"/stability/conflicts/{id}", detailUrl);

        var start = await AppFixture.PostFormAsync(county, $"{detailUrl}?handler=Transition", new() { ["action"] = "Start" }, detailUrl);
        Assert.Equal(HttpStatusCode.Redirect, start.StatusCode);
        var claimWithoutNote = await AppFixture.PostFormAsync(county, $"{detailUrl}?handler=Transition", new() { ["action"] = "Claim" }, detailUrl);
        Assert.Equal(HttpStatusCode.Redirect, claimWithoutNote.StatusCode);
        Assert.Contains("申请销号须说明化解情况", await county.GetStringAsync(detailUrl)); // the message is shown once, on the next page
        await AppFixture.PostFormAsync(county, $"{detailUrl}?handler=Transition", new() { ["action"] = "Claim", ["note"] = "已签订补偿协议" }, detailUrl);

        var claimed = Parser.ParseDocument(await county.GetStringAsync(detailUrl));
        Assert.Equal("申请销号", Text(claimed, "conflict-state"));
        Assert.Null(claimed.QuerySelector("[data-testid=action-close]")); // the claimant gets no 销号 button

        var city = await app.BrowserAsAsync("city");
        var decided = Parser.ParseDocument(await city.GetStringAsync(detailUrl));
        Assert.NotNull(decided.QuerySelector("[data-testid=action-close]"));
        await AppFixture.PostFormAsync(city, $"{detailUrl}?handler=Transition", new() { ["action"] = "Close", ["note"] = "补偿款已到位，村民签字" }, detailUrl);
        var closed = Parser.ParseDocument(await city.GetStringAsync(detailUrl));
        Assert.Equal("已销号", Text(closed, "conflict-state"));
        Assert.Contains("补偿款已到位，村民签字", Text(closed, "timeline"));
    }

    [Fact]
    public async Task AssessmentByForm_ShowsEvidenceAndErrors_ThenIsSubmittedAndApproved()
    {
        var county = await app.BrowserAsAsync("county.qilin");
        var api = await app.ApiAsAsync("county.qilin");
        var mine = (await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;
        var page = $"/stability/assessments/new?mineId={mine}";
        var form = Parser.ParseDocument(await county.GetStringAsync(page));
        Assert.Equal(11, form.QuerySelectorAll("[data-testid=score-table] tbody tr").Length);

        var fields = AssessmentTests.All(6).ToDictionary(s => $"scores[{s.Key}]", s => s.Value.ToString());
        Assert.Equal(mine.ToString(), form.QuerySelector("input[name=mineId]")?.GetAttribute("value")); // the button's formaction drops the query string
        fields["mineId"] = mine.ToString();
        fields["scores[legal]"] = "12";
        var bad = await AppFixture.PostFormAsync(county, "/stability/assessments/new?handler=Save", fields, page);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("应在 0～10 之间", await bad.Content.ReadAsStringAsync());
        Assert.False(await app.WithDbAsync(db => db.Set<Assessment>().AnyAsync(a => a.MineId == mine)));

        fields["scores[legal]"] = "6";
        var saved = await AppFixture.PostFormAsync(county, "/stability/assessments/new?handler=Save", fields, page);
        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        var url = saved.Headers.Location!.OriginalString;
        var draft = Parser.ParseDocument(await county.GetStringAsync(url));
        Assert.Equal("60", Text(draft, "assessment-score"));
        await AppFixture.PostFormAsync(county, $"{url}?handler=Act", new() { ["action"] = "Submit" }, url);

        var city = await app.BrowserAsAsync("city");
        Assert.NotNull(Parser.ParseDocument(await city.GetStringAsync(url)).QuerySelector("[data-testid=assessment-approve]"));
        await AppFixture.PostFormAsync(city, $"{url}?handler=Act", new() { ["action"] = "Approve" }, url);
        Assert.Equal("已审批", Text(Parser.ParseDocument(await city.GetStringAsync(url)), "assessment-state"));
        Assert.Equal(RiskGrade.High, await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Id == mine).Select(m => m.RiskGrade).SingleAsync()));
        var registry = Parser.ParseDocument(await city.GetStringAsync($"/mines/{mine}"));
        Assert.Contains("高", registry.QuerySelector("[data-testid=section-stability]")!.TextContent);
    }

    [Fact]
    public async Task TaskForceByForm_AndTenItemsToggle_FromTheMinePage()
    {
        var county = await app.BrowserAsAsync("county.qilin");
        var api = await app.ApiAsAsync("county.qilin");
        var mine = (await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;
        var page = $"/stability/task-forces/new?mineId={mine}";
        var bad = await AppFixture.PostFormAsync(county, "/stability/task-forces/new?handler=Create", new() { ["mineId"] = mine.ToString() }, page);
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        var html = await bad.Content.ReadAsStringAsync();
        Assert.Contains("请填写专班组长", html);
        Assert.Contains("至少要有一名组员", html);

        var created = await AppFixture.PostFormAsync(county, "/stability/task-forces/new?handler=Create", new()
        {
            ["mineId"] = mine.ToString(), ["leaderName"] = "王副区长", ["watchTarget"] = "井口", ["watchDuty"] = "驻矿盯守", ["memberNames"] = "李安监",
            ["memberOrganisations"] = "麒麟区应急管理局", ["memberRoles"] = "驻矿安监员",
        }, page);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        var url = created.Headers.Location!.OriginalString;
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)).ToString("yyyy-MM-dd");
        await AppFixture.PostFormAsync(county, $"{url}?handler=Patrol", new() { ["date"] = today, ["observation"] = "井口封闭完好，无运煤车辆" }, url);
        Assert.Contains("井口封闭完好，无运煤车辆", Text(Parser.ParseDocument(await county.GetStringAsync(url)), "patrols"));

        var toggled = await AppFixture.PostFormAsync(county, "/stability/ten-items", new() { ["mineId"] = mine.ToString(), ["toggle"] = "Visits" }, $"/mines/{mine}");
        Assert.Equal(HttpStatusCode.Redirect, toggled.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.Set<TenItemCheck>().AnyAsync(t => t.MineId == mine && t.Item == TenItem.Visits && t.Done)));
        var leader = await app.BrowserAsAsync("leader");
        Assert.Equal(HttpStatusCode.Forbidden, (await AppFixture.PostFormAsync(leader, "/stability/ten-items", new() { ["mineId"] = mine.ToString(), ["toggle"] = "Visits" }, "/mines")).StatusCode);
    }

    [Fact]
    public async Task MonthlySummaryPage_MatchesTheApi_AndExportsIt()
    {
        var browser = await app.BrowserAsAsync("city");
        var api = await app.ApiAsAsync("city");
        var month = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime.AddHours(8)).AddMonths(-1).ToString("yyyy-MM");
        var summary = await HttpAssert.JsonAsync(await api.GetAsync($"/api/v1/conflicts/summary?month={month}"), HttpStatusCode.OK);
        var doc = Parser.ParseDocument(await browser.GetStringAsync($"/stability/conflicts/summary?month={month}"));
        Assert.Equal(summary.GetProperty("rows").GetArrayLength(), doc.QuerySelectorAll("[data-testid=summary-table] tbody tr").Length);
        Assert.Contains(summary.GetProperty("open").GetInt32().ToString(), doc.QuerySelector("[data-testid=summary-table] tfoot")!.TextContent);
        foreach (var sentence in summary.GetProperty("sentences").EnumerateArray())
        {
            Assert.Contains(sentence.GetString()!, Text(doc, "summary-text"));
        }

        Assert.Contains($"month={month}", doc.QuerySelector("[data-testid=summary-export]")!.GetAttribute("href"));
        var bad = await browser.GetAsync("/stability/conflicts/summary?month=13月");
        Assert.Contains("yyyy-MM", await bad.Content.ReadAsStringAsync());
    }
}

public sealed class StabilityPageTestsSqlite(SqliteApp app) : StabilityPageTests(app), IClassFixture<SqliteApp>;
