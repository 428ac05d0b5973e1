using System.Net;
using System.Net.Http.Json;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Features.Mines;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;

namespace MineRisk.Tests.Features.Hazards;

/// <summary>The hazard pages as a browser gets them: figures equal to the API, forms that keep what was typed, actions offered only to who may take them.</summary>
public abstract class HazardPageTests(AppFixture app)
{
    private static readonly HtmlParser Parser = new();

    private static string Text(AngleSharp.Dom.IParentNode doc, string testId) => doc.QuerySelector($"[data-testid={testId}]")?.TextContent.Trim()
        ?? throw new Xunit.Sdk.XunitException($"页面上没有 data-testid={testId}");

    private static bool Has(AngleSharp.Dom.IParentNode doc, string testId) => doc.QuerySelector($"[data-testid={testId}]") is not null;

    private async Task<(HttpClient Api, long MineId)> MineAsync()
    {
        var api = await app.ApiAsAsync("county.qilin");
        return (api, (await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id);
    }

    private static async Task<long> CreateAsync(HttpClient api, object body)
    {
        var json = await HttpAssert.JsonAsync(await api.PostAsJsonAsync("/api/v1/hazards", body), HttpStatusCode.Created);
        return json.GetProperty("id").GetInt64();
    }

    private static object Major(long mineId, long criterion) => new
    {
        mineId, location = "3102 回风巷", description = "回风流瓦斯浓度 1.2% 仍作业", source = "inspection", professionalCategory = "瓦斯", deadline = "2026-07-30",
        level = "major", criterionId = criterion, stoppedArea = "3102 工作面",
    };

    private Task<long> CriterionAsync() => app.WithDbAsync(db => db.Set<HazardCriterion>().OrderBy(c => c.Id).Select(c => c.Id).FirstAsync());

    [Fact]
    public async Task Overview_ShowsTheSameFiguresAsTheApi_AndTheListedMajors()
    {
        var (api, mine) = await MineAsync();
        var id = await CreateAsync(api, Major(mine, await CriterionAsync()));
        await HttpAssert.JsonAsync(await api.PostAsJsonAsync($"/api/v1/hazards/{id}/transitions", new { action = "list", documentNumber = "麒应急督〔2026〕9号", deadline = "2026-07-30" }),
            HttpStatusCode.OK);

        var city = await app.ApiAsAsync("city");
        var doc = Parser.ParseDocument(await (await app.BrowserAsAsync("city")).GetStringAsync("/hazards"));
        var open = await HttpAssert.JsonAsync(await city.GetAsync("/api/v1/hazards?open=true&pageSize=1"), HttpStatusCode.OK);
        var overdue = await HttpAssert.JsonAsync(await city.GetAsync("/api/v1/hazards?overdue=true&pageSize=1"), HttpStatusCode.OK);
        var stats = await HttpAssert.JsonAsync(await city.GetAsync("/api/v1/hazards/stats"), HttpStatusCode.OK);
        Assert.Equal(open.GetProperty("total").GetInt32().ToString("N0"), Text(doc, "count-open"));
        Assert.Equal(overdue.GetProperty("total").GetInt32().ToString("N0"), Text(doc, "count-overdue"));
        Assert.Equal(stats.GetProperty("openMajor").GetInt32().ToString(), Text(doc, "count-major"));
        Assert.Equal(stats.GetProperty("listed").GetInt32().ToString(), Text(doc, "count-listed"));
        Assert.Equal(2, doc.QuerySelectorAll("[data-chart]").Length);
        Assert.Contains("麒麟区", Text(doc, "county-table"));
        Assert.Contains(await app.WithDbAsync(db => db.Set<Hazard>().Where(h => h.Id == id).Select(h => h.Number).SingleAsync()), Text(doc, "listed-table"));
    }

    [Fact]
    public async Task Ledger_FiltersLikeTheApi_AndExplainsBadFilters()
    {
        var (api, mine) = await MineAsync();
        await CreateAsync(api, new { mineId = mine, location = "主井", description = "罐笼防坠器未按期试验", source = "inspection", professionalCategory = "机电", deadline = "2026-07-01" });
        var browser = await app.BrowserAsAsync("county.qilin");
        var doc = Parser.ParseDocument(await browser.GetStringAsync($"/hazards/list?mineId={mine}&category=机电"));
        Assert.Contains("共 1 项", doc.Body!.TextContent);
        Assert.Contains("罐笼防坠器", Text(doc, "hazards-table"));
        var none = Parser.ParseDocument(await browser.GetStringAsync($"/hazards/list?mineId={mine}&category=顶板"));
        Assert.True(Has(none, "hazards-empty"));
        var bad = await browser.GetAsync("/hazards/list?level=huge");
        Assert.Equal(HttpStatusCode.OK, bad.StatusCode);
        Assert.Contains("等级", Text(Parser.ParseDocument(await bad.Content.ReadAsStringAsync()), "filter-error"));
        var export = await browser.GetAsync($"/api/v1/hazards/export.xlsx?mineId={mine}&category=机电");
        Assert.Equal(2, XlsxReading.ReadFirstSheet(await export.Content.ReadAsByteArrayAsync()).Count);
    }

    [Fact]
    public async Task NewForm_ShowsEveryErrorAndKeepsWhatWasTyped_ThenRegisters()
    {
        var (_, mine) = await MineAsync();
        var browser = await app.BrowserAsAsync("county.qilin");
        var form = new Dictionary<string, string>
        {
            ["Form.MineId"] = mine.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Form.Location"] = "1201 运输巷", ["Form.Description"] = "",
            ["Form.ProfessionalCategory"] = "顶板", ["Form.Deadline"] = "2026-06-01", ["Form.Level"] = "Major",
        };
        var refused = await AppFixture.PostFormAsync(browser, "/hazards/new", form);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var doc = Parser.ParseDocument(await refused.Content.ReadAsStringAsync());
        var errors = string.Join("|", doc.QuerySelectorAll(".field-validation-error").Select(e => e.TextContent));
        foreach (var expected in (string[])["隐患描述", "已经过去", "判定依据", "停产范围"])
        {
            Assert.Contains(expected, errors);
        }

        Assert.Equal("1201 运输巷", doc.QuerySelector("#Form_Location")!.GetAttribute("value"));
        Assert.Equal(15, doc.QuerySelectorAll("#Form_CriterionId optgroup").Length);

        form["Form.Description"] = "顶板离层仪损坏";
        form["Form.Deadline"] = "2026-06-30";
        form["Form.Level"] = "General";
        var created = await AppFixture.PostFormAsync(browser, "/hazards/new", form);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Matches(@"^/hazards/\d+$", created.Headers.Location!.OriginalString);

        foreach (var user in (string[])["leader", "xinfang"])
        {
            var denied = await (await app.BrowserAsAsync(user)).GetAsync("/hazards/new");
            Assert.Contains("/account/denied", denied.Headers.Location?.OriginalString ?? "");
        }
    }

    [Fact]
    public async Task HazardPage_OffersOnlyTheStepsThisUserMayTake()
    {
        var (api, mine) = await MineAsync();
        var id = await CreateAsync(api, Major(mine, await CriterionAsync()));
        var county = await app.BrowserAsAsync("county.qilin");
        var page = Parser.ParseDocument(await county.GetStringAsync($"/hazards/{id}"));
        Assert.True(Has(page, "form-plan"));
        Assert.False(Has(page, "form-start")); // a major hazard starts only with its plan
        Assert.True(Has(page, "form-list"));
        Assert.True(Has(page, "major-info"));

        var leader = Parser.ParseDocument(await (await app.BrowserAsAsync("leader")).GetStringAsync($"/hazards/{id}"));
        Assert.False(Has(leader, "hazard-actions"));

        // A refused plan comes back with its message and what was typed.
        var refused = await AppFixture.PostFormAsync(county, $"/hazards/{id}?handler=Act", new() { ["action"] = "plan", ["planGoal"] = "消除瓦斯积聚" }, $"/hazards/{id}");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var again = Parser.ParseDocument(await refused.Content.ReadAsStringAsync());
        Assert.Contains("经费", again.QuerySelector(".alert-danger")!.TextContent);
        Assert.Equal("消除瓦斯积聚", again.QuerySelector("#planGoal")!.TextContent);

        var plan = new Dictionary<string, string>
        {
            ["action"] = "plan", ["planGoal"] = "消除瓦斯积聚", ["planMethods"] = "调风", ["planResources"] = "30 万元", ["planPeople"] = "通风队", ["planDueOn"] = "2026-07-20",
            ["planSafety"] = "撤人警戒",
        };
        Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostFormAsync(county, $"/hazards/{id}?handler=Act", plan, $"/hazards/{id}")).StatusCode);
        foreach (var step in (string[])["start", "submit"])
        {
            var fields = new Dictionary<string, string> { ["action"] = step, ["note"] = "已整改" };
            Assert.Equal(HttpStatusCode.Redirect, (await AppFixture.PostFormAsync(county, $"/hazards/{id}?handler=Act", fields, $"/hazards/{id}")).StatusCode);
        }

        var fixer = Parser.ParseDocument(await county.GetStringAsync($"/hazards/{id}"));
        Assert.False(Has(fixer, "form-verify"));
        Assert.True(Has(fixer, "awaiting-verification"));
        var city = Parser.ParseDocument(await (await app.BrowserAsAsync("city")).GetStringAsync($"/hazards/{id}"));
        Assert.True(Has(city, "form-verify"));
        Assert.Equal("2026-07-20", Text(city, "hazard-due"));
    }

    [Fact]
    public async Task RevisitPages_ScheduleAndCheck()
    {
        var (api, mine) = await MineAsync();
        var id = await CreateAsync(api, new { mineId = mine, location = "副井", description = "井口安全门失效", source = "inspection", professionalCategory = "运输", deadline = "2026-06-30", level = "general" });
        var city = await app.ApiAsAsync("city");
        foreach (var (client, body) in new (HttpClient, object)[]
                 {
                     (api, new { action = "start" }), (api, new { action = "submit", note = "已修复" }), (city, new { action = "verify", passed = true, note = "合格" }),
                 })
        {
            await HttpAssert.JsonAsync(await client.PostAsJsonAsync($"/api/v1/hazards/{id}/transitions", body), HttpStatusCode.OK);
        }

        var browser = await app.BrowserAsAsync("county.qilin");
        var form = Parser.ParseDocument(await browser.GetStringAsync($"/hazards/revisits?mineId={mine}"));
        Assert.NotNull(form.QuerySelector($"input[name=hazardIds][value='{id}']"));
        var scheduled = await AppFixture.PostFormAsync(browser, $"/hazards/revisits?mineId={mine}",
            new() { ["mineId"] = mine.ToString(System.Globalization.CultureInfo.InvariantCulture), ["scheduledOn"] = "2026-06-20", ["hazardIds"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Redirect, scheduled.StatusCode);
        var revisitUrl = scheduled.Headers.Location!.OriginalString;
        var checkedItem = await AppFixture.PostFormAsync(browser, revisitUrl,
            new() { ["hazardId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["outcome"] = "reopened", ["note"] = "安全门又失效", ["deadline"] = "2026-06-28" });
        Assert.Equal(HttpStatusCode.Redirect, checkedItem.StatusCode);
        var revisit = Parser.ParseDocument(await browser.GetStringAsync(revisitUrl));
        Assert.Contains("重新打开", Text(revisit, "revisit-items"));
        Assert.Equal(HazardState.Rectifying, await app.WithDbAsync(db => db.Set<Hazard>().Where(h => h.Id == id).Select(h => h.State).SingleAsync()));
        Assert.Contains("已完成", await browser.GetStringAsync($"/hazards/revisits?mineId={mine}"));
    }
}

public sealed class HazardPageTestsSqlite(SqliteApp app) : HazardPageTests(app), IClassFixture<SqliteApp>;

public sealed class HazardPageTestsPostgres(PostgresApp app) : HazardPageTests(app), IClassFixture<PostgresApp>;
