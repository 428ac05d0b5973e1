using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Tests.Features.Mines;

/// <summary>The registry's pages as a browser gets them.</summary>
public abstract class MinePageTests(AppFixture app)
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task List_FiltersAndPages_InChinese()
    {
        var browser = await app.BrowserAsAsync("city");
        var doc = Parser.ParseDocument(await browser.GetStringAsync("/mines?disposition=CloseExit&p=2"));
        var rows = doc.QuerySelectorAll("[data-testid=mines-table] tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Contains("关闭退出", r.TextContent));
        Assert.Contains("第 2 /", doc.QuerySelector("nav[aria-label=分页]")!.TextContent);
        var empty = Parser.ParseDocument(await browser.GetStringAsync("/mines?q=" + Uri.EscapeDataString("不存在的煤矿名称")));
        Assert.Equal("没有符合条件的煤矿", empty.QuerySelector("[data-testid=mines-empty]")!.TextContent.Trim());
    }

    [Fact]
    public async Task RegionFilter_DrillsDownFromTheTopOfTheJurisdiction()
    {
        static List<(string Code, string Label, bool Selected)> Choices(string html) => Parser.ParseDocument(html)
            .QuerySelectorAll("[data-testid=region-filter] option").Skip(1) // 全部
            .Select(o => (o.GetAttribute("value")!, o.TextContent, o.HasAttribute("selected"))).ToList();

        var city = await app.BrowserAsAsync("city");
        var top = Choices(await city.GetStringAsync("/mines"));
        Assert.Equal(9, top.Count); // the counties of 曲靖市, not their townships
        Assert.All(top, c => Assert.Matches("^5303[0-9]{2}$", c.Code));
        Assert.DoesNotContain(top, c => c.Selected);

        var opened = Choices(await city.GetStringAsync("/mines?regionCode=530302"));
        var selected = opened.Single(c => c.Selected);
        Assert.Equal(("530302", "麒麟区"), (selected.Code, selected.Label.Trim('\u3000')));
        var townships = opened.Where(c => c.Code.Length == 9).ToList();
        Assert.NotEmpty(townships);
        Assert.All(townships, t => Assert.StartsWith("530302", t.Code));
        Assert.All(townships, t => Assert.StartsWith("\u3000", t.Label)); // one level deeper
        Assert.Equal(9 + townships.Count, opened.Count);
        Assert.All(Parser.ParseDocument(await city.GetStringAsync("/mines?regionCode=530302")).QuerySelectorAll("[data-testid=mines-table] tbody tr td.mono"),
            td => Assert.StartsWith("530302", td.TextContent.Trim()));

        var county = await app.BrowserAsAsync("county.qilin");
        var own = Choices(await county.GetStringAsync("/mines"));
        Assert.NotEmpty(own);
        Assert.All(own, c => Assert.StartsWith("530302", c.Code)); // its townships only
        var elsewhere = Choices(await county.GetStringAsync("/mines?regionCode=530381"));
        Assert.Equal(own, elsewhere); // a region outside the jurisdiction opens nothing
    }

    [Fact]
    public async Task RegionFilter_ShowsARegionAddedAfterItWasRead()
    {
        var city = await app.BrowserAsAsync("city");
        Assert.DoesNotContain("530302199", await city.GetStringAsync("/mines?regionCode=530302"));
        await app.WithDbAsync(async db =>
        {
            db.Regions.Add(new MineRisk.Web.Platform.Regions.Region
            {
                Code = "530302199", Name = "测试新设街道", Level = MineRisk.Web.Platform.Regions.RegionLevel.Township, ParentCode = "530302",
                FullName = "云南省曲靖市麒麟区测试新设街道",
            });
            await db.SaveChangesAsync();
        });
        Assert.Contains("测试新设街道", await city.GetStringAsync("/mines?regionCode=530302"));
    }

    [Fact]
    public async Task Details_ShowsFactsFlagsAndEveryRegisteredSection()
    {
        var id = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Disposition == Disposition.CloseExit && m.Status != MineStatus.Closed).Select(m => m.Id).FirstAsync());
        var browser = await app.BrowserAsAsync("city");
        var doc = Parser.ParseDocument(await browser.GetStringAsync($"/mines/{id}"));
        foreach (var section in app.Services.GetServices<MineSection>())
        {
            Assert.NotNull(doc.QuerySelector($"[data-testid=section-{section.Key}]"));
        }

        Assert.Equal(5, doc.QuerySelectorAll("[data-testid=milestones-table] tbody tr").Length);
        Assert.Contains("煤矿编码", doc.QuerySelector("[data-testid=mine-header]")!.TextContent);
    }

    [Fact]
    public async Task Leader_PostingTheEditForm_IsRefusedAsReadOnly_AndNothingChanges()
    {
        var mine = await app.WithDbAsync(db => db.Set<Mine>().FirstAsync());
        var leader = await app.BrowserAsAsync("leader");
        var response = await AppFixture.PostFormAsync(leader, $"/mines/{mine.Id}/edit",
            new() { ["Form.Name"] = "领导改名", ["Form.Version"] = mine.Version.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/mines");
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("领导(只读)账号只能查看", await response.Content.ReadAsStringAsync());
        Assert.Equal(mine.Name, await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Id == mine.Id).Select(m => m.Name).SingleAsync()));
    }

    [Fact]
    public async Task EditForm_WithErrors_ShowsThemInChinese_AndStoresNothing()
    {
        var mine = await app.WithDbAsync(db => db.Set<Mine>().FirstAsync(m => m.RegionCode.StartsWith("530302")));
        var browser = await app.BrowserAsAsync("county.qilin");
        var response = await AppFixture.PostFormAsync(browser, $"/mines/{mine.Id}/edit", new()
        {
            ["Form.Code"] = "abc", ["Form.Name"] = mine.Name, ["Form.EnterpriseId"] = mine.EnterpriseId.ToString()!, ["Form.RegionCode"] = mine.RegionCode,
            ["Form.Status"] = "Closed", ["Form.Disposition"] = mine.Disposition.ToString(), ["Form.MiningMethod"] = mine.MiningMethod.ToString(),
            ["Form.GasLevel"] = mine.GasLevel.ToString(), ["Form.HydroType"] = mine.HydroType.ToString(), ["Form.Combustion"] = mine.Combustion.ToString(),
            ["Form.Standardization"] = mine.Standardization.ToString(), ["Form.Longitude"] = "东经一百零三度",
            ["Form.Version"] = mine.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, $"/mines/{mine.Id}/edit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("「东经一百零三度」格式不正确", html);
        Assert.Equal(mine.Code, await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Id == mine.Id).Select(m => m.Code).SingleAsync()));

        var second = await AppFixture.PostFormAsync(browser, $"/mines/{mine.Id}/edit", new()
        {
            ["Form.Code"] = "abc", ["Form.Name"] = mine.Name, ["Form.EnterpriseId"] = mine.EnterpriseId.ToString()!, ["Form.RegionCode"] = mine.RegionCode,
            ["Form.Status"] = "Closed", ["Form.Disposition"] = mine.Disposition.ToString(), ["Form.MiningMethod"] = mine.MiningMethod.ToString(),
            ["Form.GasLevel"] = mine.GasLevel.ToString(), ["Form.HydroType"] = mine.HydroType.ToString(), ["Form.Combustion"] = mine.Combustion.ToString(),
            ["Form.Standardization"] = mine.Standardization.ToString(), ["Form.Version"] = mine.Version.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }, $"/mines/{mine.Id}/edit");
        var doc = Parser.ParseDocument(await second.Content.ReadAsStringAsync());
        Assert.Contains("应为 12 位数字", doc.QuerySelector("[data-valmsg-for='Form.Code']")!.TextContent);
        Assert.Contains("须填写变更原因", doc.QuerySelector("[data-valmsg-for='Form.Reason']")!.TextContent);
    }

    [Fact]
    public async Task NonRegulators_CannotOpenTheForms()
    {
        foreach (var user in (string[])["xinfang", "enterprise.demo"])
        {
            var browser = await app.BrowserAsAsync(user);
            var response = await browser.GetAsync("/mines/new");
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/account/denied", response.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/mines/import")).StatusCode);
        }
    }

    [Fact]
    public async Task ImportPage_ShowsProgressThenTheReport()
    {
        var browser = await app.BrowserAsAsync("county.qilin");
        var token = await AppFixture.AntiforgeryTokenAsync(browser, "/mines/import");
        using var sheet = new MemoryStream();
        await XlsxWriter.WriteAsync(sheet, MineSheet.SheetName, MineSheet.Columns, [new object?[] { "bad-code" }], CancellationToken.None);
        var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new ByteArrayContent(sheet.ToArray()), "file", "错误的名录.xlsx" },
        };
        var page = await browser.PostAsync("/mines/import", form);
        var html = await page.Content.ReadAsStringAsync();
        var job = System.Text.RegularExpressions.Regex.Match(html, "job=([0-9a-f-]{36})").Groups[1].Value;
        Assert.NotEmpty(job);

        string progress;
        var waited = 0;
        do
        {
            await Task.Delay(100);
            progress = await browser.GetStringAsync($"/mines/import?handler=Progress&job={job}");
        }
        while (progress.Contains("import-progress") && (waited += 100) < 20000);

        var result = Parser.ParseDocument(progress);
        Assert.Contains("导入失败", result.QuerySelector("[data-testid=import-result]")!.TextContent);
        Assert.Contains("应为 12 位数字", result.QuerySelector("[data-testid=import-errors]")!.TextContent);

        // Another user cannot look at this job.
        var other = await app.BrowserAsAsync("city");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync($"/mines/import?handler=Progress&job={job}")).StatusCode);
    }

    [Fact]
    public async Task OverdueMilestone_IsEscalatedToTheCountyThenTheCity()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var client = await app.ApiAsAsync("county.qilin");
            var (id, _) = await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)).With("disposition", "merge"));
            var plan = new { surveyingEntity = (string?)null, survivingEntity = "曲靖某整合主体", milestones = new[] { new { name = "签订整合协议", dueOn = DateOnly.FromDateTime(start.UtcDateTime.AddDays(10)).ToString("yyyy-MM-dd") } } };
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/v1/mines/{id}/disposition-plan", System.Net.Http.Json.JsonContent.Create(plan))).StatusCode);
            var title = await app.WithDbAsync(db => db.Deadlines.Where(d => d.MineId == id && d.SubjectType == MineWriter.MilestoneSubject).Select(d => d.Title).SingleAsync());

            app.Clock.Advance(TimeSpan.FromDays(13));
            await app.Services.GetRequiredService<DeadlineSweeper>().SweepOnceAsync(CancellationToken.None);
            var notified = await app.WithDbAsync(db => db.Notifications.Where(n => n.Title.EndsWith(title)).Select(n => new { n.UserId, n.Title }).ToListAsync());
            var qilin = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "county.qilin").Select(u => u.Id).SingleAsync());
            var city = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "city").Select(u => u.Id).SingleAsync());
            Assert.Contains(notified, n => n.UserId == qilin && n.Title.StartsWith("超期提醒"));
            Assert.Contains(notified, n => n.UserId == city && n.Title.StartsWith("上级督办"));
        }
        finally
        {
            app.Clock.Set(start);
        }
    }
}

public sealed class MinePageTestsSqlite(SqliteApp app) : MinePageTests(app), IClassFixture<SqliteApp>;

public sealed class MinePageTestsPostgres(PostgresApp app) : MinePageTests(app), IClassFixture<PostgresApp>;
