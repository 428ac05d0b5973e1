using System.Diagnostics;
using System.Net;
using Microsoft.Playwright;
using MineRisk.Feeds;
using MineRisk.Tests.Features.Monitoring;
using MineRisk.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace MineRisk.BrowserTests;

/// <summary>
/// Issue 6 in Chromium: a mine's live view shows a gas exceedance pushed over Server-Sent Events without a reload, the
/// regulator opens the alarm, acknowledges it and registers it as a hazard (source 监测预警); the pages work at phone width.
/// </summary>
public sealed class MonitoringTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private static async Task NoSidewaysScrollAsync(IPage page, string what) =>
        Assert.False(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1"), $"手机宽度下{what}出现横向滚动");

    [Fact]
    public async Task Exceedance_ReachesTheLivePageWithoutReload_AndBecomesAHazard()
    {
        var mine = await MonitoringKit.NewMineAsync(app);
        var at = app.Clock.GetUtcNow().AddMinutes(-2);
        await MonitoringKit.ApplyAsync(app, mine, MonitoringKit.Cddy(mine, at, MonitoringKit.Point("001A01")));
        await MonitoringKit.ApplyAsync(app, mine, MonitoringKit.Cdss(mine, at.AddSeconds(30), ("001A01", 0.32, PointStatus.Normal)));

        var page = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(page, "city");
        await page.GotoAsync($"/monitoring/mines/{mine.Id}");
        await Expect(page.GetByTestId("points-table")).ToContainTextAsync("001A01");
        await Expect(page.GetByTestId("mine-open-alarms")).ToHaveTextAsync("0");
        await Expect(page.Locator(".live-dot.on")).ToHaveCountAsync(1); // the alarm stream is connected

        // The exceedance arrives as a file; the open page refreshes itself from the pushed event.
        var clock = Stopwatch.StartNew();
        var file = MonitoringKit.Cdss(mine, at.AddSeconds(60), ("001A01", 1.36, PointStatus.Alarm));
        var put = await MonitoringKit.PutAsync(app, file.Name, file.Bytes, mine.Key);
        Assert.Equal(HttpStatusCode.Accepted, put.StatusCode);
        await Expect(page.GetByTestId("mine-open-alarms")).ToHaveTextAsync("1", new() { Timeout = 10_000 });
        Console.WriteLine($"报警从文件受理到实时页面显示：{clock.ElapsedMilliseconds} ms（浏览器内，含 htmx 刷新）");
        await Expect(page.GetByTestId("points-table")).ToContainTextAsync("1.36");
        await BrowserFixture.ShotAsync(page, "50-monitoring-live-alarm");

        // The regulator opens the alarm from the mine's alarm list, acknowledges it and registers a hazard from it.
        await page.GotoAsync($"/monitoring/alarms?mineId={mine.Id}&active=true");
        await page.GetByTestId("alarms-table").Locator("a[href^='/monitoring/alarms/']").First.ClickAsync();
        await Expect(page.GetByTestId("alarm-state")).ToHaveTextAsync("报警中");
        await page.GetByTestId("alarm-ack").ClickAsync();
        await Expect(page.GetByTestId("alarm-state")).ToHaveTextAsync("已确认");
        var form = page.GetByTestId("hazard-form");
        if (string.IsNullOrEmpty(await form.Locator("#Hazard_ProfessionalCategory").InputValueAsync()))
        {
            await form.Locator("#Hazard_ProfessionalCategory").SelectOptionAsync("瓦斯");
        }

        await form.Locator("#Hazard_RectifierUserId").SelectOptionAsync(new SelectOptionValue { Index = 1 });
        await BrowserFixture.ShotAsync(page, "51-alarm-to-hazard");
        await page.GetByTestId("hazard-submit").ClickAsync();
        await Expect(page.GetByTestId("alarm-hazard")).ToContainTextAsync("YH-530302-");
        await page.GetByTestId("alarm-hazard").Locator("a").ClickAsync();
        await Expect(page.GetByTestId("hazard-state")).ToHaveTextAsync("已登记");
        await Expect(page.Locator("dl")).ToContainTextAsync("监测预警");
        await BrowserFixture.ShotAsync(page, "52-hazard-from-alarm");
    }

    [Fact]
    public async Task MonitoringPages_AtPhoneWidth_HaveNoSidewaysScroll()
    {
        var mine = await MonitoringKit.NewMineAsync(app);
        var at = app.Clock.GetUtcNow().AddMinutes(-1);
        await MonitoringKit.ApplyAsync(app, mine, MonitoringKit.Cddy(mine, at, MonitoringKit.Point("002A01")));
        await MonitoringKit.ApplyAsync(app, mine, MonitoringKit.Cdss(mine, at.AddSeconds(30), ("002A01", 0.41, PointStatus.Normal)));
        var page = await app.NewPageAsync(BrowserFixture.Phone);
        await app.LoginAsync(page, "county.qilin");
        foreach (var (url, name) in (ValueTuple<string, string>[])[("/monitoring", "53-monitoring-phone"), ($"/monitoring/mines/{mine.Id}", "54-monitoring-mine-phone"),
                     ("/monitoring/alarms", "55-alarms-phone"), ($"/monitoring/mines/{mine.Id}/files", "56-feed-files-phone")])
        {
            var response = await page.GotoAsync(url);
            Assert.True(response!.Ok, $"{url}: {response.Status}");
            await BrowserFixture.ShotAsync(page, name);
            await NoSidewaysScrollAsync(page, url);
        }
    }
}
