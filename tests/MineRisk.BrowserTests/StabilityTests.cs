using Microsoft.Playwright;
using MineRisk.Tests.Features.Mines;
using static Microsoft.Playwright.Assertions;

namespace MineRisk.BrowserTests;

/// <summary>
/// Issue 4's Chromium scenario: a county regulator registers a conflict and asks for 销号, the city leader closes it;
/// an assessment is drafted (the evidence rule shown), submitted, approved, and the grade shows in the registry.
/// </summary>
public sealed class StabilityTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static readonly System.Text.RegularExpressions.Regex Number = new(@"WW-530302-\d{4}-\d{6}");

    private static async Task NoSidewaysScrollAsync(IPage page, string what) =>
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"手机宽度下{what}出现横向滚动");

    [Fact]
    public async Task ConflictIsRegisteredAndClosed_AssessmentIsApproved_GradeShowsInTheRegistry()
    {
        var api = await app.ApiAsAsync("county.qilin");
        var (mineId, _) = await MineBuilder.CreateAsync(app, api, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)));
        var code = (await (await api.GetAsync($"/api/v1/mines/{mineId}")).Content.ReadAsStringAsync()).Split("\"code\":\"")[1][..12];

        // 1. The county registers a wage conflict at the mine, naming the city's regulator as 包案领导, starts and asks for 销号.
        var county = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(county, "county.qilin");
        await county.GotoAsync($"/stability/conflicts/new?mineId={mineId}");
        await county.Locator("#Form_Category").SelectOptionAsync(new SelectOptionValue { Label = "欠薪" });
        await county.Locator("#Form_Description").FillAsync("拖欠 48 名职工工资共 120 万元，职工多次到矿部讨要");
        await county.Locator("#Form_Amount").FillAsync("120");
        await county.Locator("#Form_Persons").FillAsync("48");
        await county.Locator("#leader-options").SelectOptionAsync(new SelectOptionValue { Label = "李明华（曲靖市煤炭工业局）" });
        await county.Locator("#Form_Deadline").FillAsync("2026-08-31");
        await BrowserFixture.ShotAsync(county, "20-conflict-new");
        await county.GetByTestId("conflict-save").ClickAsync();
        await Expect(county.GetByTestId("conflict-state")).ToHaveTextAsync("挂号");
        await Expect(county.Locator("h1")).ToContainTextAsync(Number);
        var conflictUrl = county.Url;

        await county.GetByTestId("action-start").ClickAsync();
        await Expect(county.GetByTestId("conflict-state")).ToHaveTextAsync("化解中");
        await county.GetByTestId("action-claim").ClickAsync();
        await Expect(county.Locator(".alert-danger")).ToContainTextAsync("申请销号须说明化解情况");
        await county.Locator("#note").FillAsync("企业已分两期兑付全部工资，职工签字确认");
        await county.GetByTestId("action-claim").ClickAsync();
        await Expect(county.GetByTestId("conflict-state")).ToHaveTextAsync("申请销号");
        await Expect(county.GetByTestId("action-close")).ToHaveCountAsync(0); // the claimant cannot close it
        await Expect(county.GetByTestId("awaiting-leader")).ToContainTextAsync("李明华");
        await BrowserFixture.ShotAsync(county, "21-conflict-claimed");

        // 2. The county drafts an assessment: the open wage conflict is the evidence; scoring far from it needs a reason.
        await county.GotoAsync($"/stability/assessments/new?mineId={mineId}");
        await Expect(county.GetByTestId("score-table")).ToContainTextAsync("欠薪矛盾 1 件");
        foreach (var input in await county.Locator("input[data-testid^=score-]").AllAsync())
        {
            await input.FillAsync("8");
        }

        await county.GetByTestId("score-wage_arrears").FillAsync("2"); // far below the evidence (建议 6 分): the wages are being paid

        await county.GetByTestId("assessment-save").ClickAsync();
        await Expect(county.GetByTestId("score-table")).ToContainTextAsync("须说明理由");
        await BrowserFixture.ShotAsync(county, "22-assessment-reason-needed");
        await county.GetByLabel("拖欠职工工资 理由").FillAsync("工资已全部兑付，正在申请销号");
        await county.GetByTestId("assessment-save").ClickAsync();
        await Expect(county.GetByTestId("assessment-state")).ToHaveTextAsync("草稿");
        await Expect(county.GetByTestId("assessment-score")).ToHaveTextAsync("71.6"); // (100 × 8 − 14 × 6) / 10
        var assessmentUrl = county.Url;
        await county.GetByTestId("assessment-submit").ClickAsync();
        await Expect(county.GetByTestId("assessment-state")).ToHaveTextAsync("已提交");
        await Expect(county.GetByTestId("assessment-approve")).ToHaveCountAsync(0); // nobody approves their own

        // 3. The city: the leader closes the conflict, then approves the assessment.
        var city = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(city, "city");
        await city.GotoAsync(conflictUrl);
        await city.Locator("#note").FillAsync("经核实工资已全部兑付，同意销号");
        await city.GetByTestId("action-close").ClickAsync();
        await Expect(city.GetByTestId("conflict-state")).ToHaveTextAsync("已销号");
        await Expect(city.GetByTestId("timeline")).ToContainTextAsync("经核实工资已全部兑付，同意销号");
        await BrowserFixture.ShotAsync(city, "23-conflict-closed");

        await city.GotoAsync(assessmentUrl);
        await city.GetByTestId("assessment-approve").ClickAsync();
        await Expect(city.GetByTestId("assessment-state")).ToHaveTextAsync("已审批");
        await BrowserFixture.ShotAsync(city, "24-assessment-approved");

        await city.GotoAsync($"/mines?grade=High&q={code}");
        var row = city.GetByTestId("mines-table").Locator("tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("高");
        await BrowserFixture.ShotAsync(city, "25-registry-high");
        await city.GotoAsync($"/mines/{mineId}");
        await Expect(city.GetByTestId("section-stability")).ToContainTextAsync("高");
        await Expect(city.GetByTestId("section-stability").Locator("[data-chart] svg")).ToBeVisibleAsync();
        await city.GetByTestId("section-stability").ScreenshotAsync(new() { Path = Path.Combine(BrowserFixture.ScreenshotDirectory, "26-mine-stability-section.png") });

        await city.GotoAsync("/stability");
        await Expect(city.GetByTestId("grade-cards")).ToBeVisibleAsync();
        await Expect(city.Locator("[data-chart] svg").First).ToBeVisibleAsync(); // ECharts drew the county chart
        await BrowserFixture.ShotAsync(city, "27-stability-overview");
    }

    [Fact]
    public async Task StabilityPages_AtPhoneWidth_HaveNoSidewaysScroll()
    {
        var page = await app.NewPageAsync(BrowserFixture.Phone);
        await app.LoginAsync(page, "city");
        await page.GotoAsync("/stability");
        await Expect(page.GetByTestId("grade-cards")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "28-stability-phone");
        await NoSidewaysScrollAsync(page, "维稳总览");

        await page.GotoAsync("/stability/conflicts");
        await Expect(page.GetByTestId("conflicts-table")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "29-conflicts-phone");
        await NoSidewaysScrollAsync(page, "台账");
        // On a phone the number sits under the mine's name (the number column is hidden, the mine's name keeps its width).
        await Expect(page.GetByTestId("conflicts-table").Locator("thead th").First).ToBeHiddenAsync();
        await page.GetByTestId("conflicts-table").Locator("tbody tr a:visible").First.ClickAsync();
        await Expect(page.GetByTestId("timeline")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "30-conflict-phone");
        await NoSidewaysScrollAsync(page, "不稳定因素详情");

        await page.GotoAsync("/stability/conflicts/summary");
        await Expect(page.GetByTestId("summary-table")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "31-summary-phone");
        await NoSidewaysScrollAsync(page, "每月汇总");

        await page.GotoAsync("/stability/assessments");
        await Expect(page.GetByTestId("assessments-table").Locator("thead th").First).ToBeHiddenAsync();
        await BrowserFixture.ShotAsync(page, "32-assessments-list-phone");
        await page.GetByTestId("assessments-table").Locator("tbody tr a[href^='/stability/assessments/']:visible").First.ClickAsync();
        await Expect(page.GetByTestId("score-table")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "32-assessment-phone");
        await NoSidewaysScrollAsync(page, "评估详情");
    }
}
