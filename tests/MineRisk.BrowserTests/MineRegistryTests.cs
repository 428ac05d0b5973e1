using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MineRisk.BrowserTests;

/// <summary>Issue 3's Chromium scenario: a county regulator filters the registry, opens a mine, edits it, sees the history.</summary>
public sealed class MineRegistryTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task CountyRegulator_FiltersOpensEditsAndSeesHistory()
    {
        var page = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(page, "county.qilin");
        await page.GotoAsync("/mines");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "一矿一档 · 煤矿名录" })).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "10-mines-desktop");

        // Only 麒麟区 mines are listed for this user; filter to those still producing.
        var rows = page.GetByTestId("mines-table").Locator("tbody tr");
        await Expect(rows.First).ToContainTextAsync("麒麟区");
        await page.GetByLabel("生产状态").SelectOptionAsync(new SelectOptionValue { Label = "正常生产" });
        await page.GetByTestId("mines-search").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("status=Producing"));
        var count = await rows.CountAsync();
        Assert.True(count > 0);
        for (var i = 0; i < count; i++)
        {
            await Expect(rows.Nth(i)).ToContainTextAsync("正常生产");
        }

        await BrowserFixture.ShotAsync(page, "11-mines-filtered");

        // Open the first one: its file, with facts, flags and sections.
        var name = (await rows.First.Locator("td").Nth(1).InnerTextAsync()).Trim();
        await rows.First.Locator("td").Nth(1).GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.GetByTestId("mine-name")).ToHaveTextAsync(name);
        await Expect(page.GetByTestId("section-licences")).ToBeVisibleAsync();
        await Expect(page.GetByTestId("section-persons")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "12-mine-detail");

        // Edit: change the status; without a reason it is refused in Chinese, with one it is saved and shows in the history.
        await page.GetByTestId("mine-edit").ClickAsync();
        await page.GetByLabel("生产状态").SelectOptionAsync(new SelectOptionValue { Label = "停产整顿" });
        await page.GetByTestId("mine-save").ClickAsync();
        await Expect(page.GetByTestId("mine-form")).ToContainTextAsync("须填写变更原因");
        await BrowserFixture.ShotAsync(page, "13-mine-edit-error");
        await page.GetByLabel("变更原因").FillAsync("检查发现重大隐患，责令停产整顿");
        await page.GetByTestId("mine-save").ClickAsync();
        await Expect(page.GetByTestId("mine-header")).ToContainTextAsync("停产整顿");
        var history = page.GetByTestId("history-table");
        await Expect(history).ToContainTextAsync("生产状态");
        await Expect(history).ToContainTextAsync("正常生产");
        await Expect(history).ToContainTextAsync("检查发现重大隐患，责令停产整顿");
        await Expect(history).ToContainTextAsync("张卫东");
        await BrowserFixture.ShotAsync(page, "14-mine-history");
    }

    [Fact]
    public async Task Registry_AtPhoneWidth_HasNoSidewaysScroll()
    {
        var page = await app.NewPageAsync(BrowserFixture.Phone);
        await app.LoginAsync(page, "city");
        await page.GotoAsync("/mines");
        await Expect(page.GetByTestId("mines-table")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "15-mines-phone");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "手机宽度下名录页出现横向滚动");
        await page.GetByTestId("mines-table").Locator("tbody tr a").First.ClickAsync();
        await Expect(page.GetByTestId("mine-header")).ToBeVisibleAsync();
        await BrowserFixture.ShotAsync(page, "16-mine-phone");
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), "手机宽度下一矿一档页出现横向滚动");
    }
}
