using Microsoft.Playwright;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Notifications;
using static Microsoft.Playwright.Assertions;

namespace MineRisk.BrowserTests;

public sealed class ShellTests(BrowserFixture app) : IClassFixture<BrowserFixture>
{
    private async Task NotifyAsync(string userName, string title)
    {
        await app.WithServicesAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var id = db.Users.Where(u => u.UserName == userName).Select(u => u.Id).Single();
            sp.GetRequiredService<Notifier>().Notify([id], NotificationKind.Overdue, title, "整改期限已到，尚未销号。", "/inbox");
            await db.SaveChangesAsync();
            return true;
        });
    }

    [Fact]
    public async Task CountyRegulator_LogsIn_SeesShellAndInbox_LogsOut_Desktop()
    {
        await NotifyAsync("county.qilin", "超期提醒：越州镇某煤矿通风隐患整改");
        var page = await app.NewPageAsync(BrowserFixture.Desktop);
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await BrowserFixture.ShotAsync(page, "01-login-desktop");

        await app.LoginAsync(page, "county.qilin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("煤矿安全与稳定风险防控一张网"));
        await Expect(page.Locator("#mainNav")).ToContainTextAsync("隐患排查治理");
        await Expect(page.GetByTestId("user-menu")).ToContainTextAsync("张卫东");
        await BrowserFixture.ShotAsync(page, "02-home-desktop");

        await Expect(page.Locator("#mainNav")).ToBeVisibleAsync(); // the sidebar at desktop width
        await page.GetByTestId("inbox-link").ClickAsync();
        await Expect(page.GetByTestId("inbox")).ToContainTextAsync("越州镇某煤矿通风隐患整改");
        await BrowserFixture.ShotAsync(page, "03-inbox-desktop");

        await page.GetByTestId("user-menu").ClickAsync();
        await page.GetByTestId("logout").ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
        await page.GotoAsync("/inbox");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    [Fact]
    public async Task CountyRegulator_AtPhoneWidth_UsesTheCollapsedMenu()
    {
        await NotifyAsync("county.qilin", "临期提醒：麒麟区季度重大隐患报告");
        var page = await app.NewPageAsync(BrowserFixture.Phone);
        await app.LoginAsync(page, "county.qilin");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "工作台" })).ToBeVisibleAsync();
        await Expect(page.Locator("#mainNav")).ToBeHiddenAsync();
        await BrowserFixture.ShotAsync(page, "04-home-phone");

        await page.GetByRole(AriaRole.Button, new() { Name = "展开导航" }).ClickAsync();
        await Expect(page.Locator("#mainNav")).ToBeVisibleAsync();
        await page.WaitForTimeoutAsync(400); // let the slide-in animation finish before the screenshot
        await BrowserFixture.ShotAsync(page, "05-menu-phone");

        await page.Locator("#mainNav").GetByRole(AriaRole.Link, new() { Name = "我的消息" }).ClickAsync();
        await Expect(page.GetByTestId("inbox")).ToContainTextAsync("麒麟区季度重大隐患报告");
        await BrowserFixture.ShotAsync(page, "06-inbox-phone");

        // The page must not scroll sideways at phone width.
        var overflow = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > window.innerWidth + 1");
        Assert.False(overflow, "手机宽度下页面出现横向滚动");
    }

    [Fact]
    public async Task WrongPassword_ShowsTheChineseError()
    {
        var page = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(page, "county.qilin", "wrong-password");
        await Expect(page.GetByTestId("login-error")).ToContainTextAsync("用户名或密码错误");
        await BrowserFixture.ShotAsync(page, "07-login-error");
    }

    [Fact]
    public async Task Admin_VerifiesTheAuditChainFromThePage()
    {
        var page = await app.NewPageAsync(BrowserFixture.Desktop);
        await app.LoginAsync(page, "admin");
        await page.GotoAsync("/audit");
        await page.GetByTestId("audit-verify").ClickAsync();
        await Expect(page.GetByTestId("verify-ok")).ToContainTextAsync("核验通过");
        await BrowserFixture.ShotAsync(page, "08-audit-desktop");
    }
}
