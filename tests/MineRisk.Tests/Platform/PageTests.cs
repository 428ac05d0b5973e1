using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Shell;

namespace MineRisk.Tests.Platform;

/// <summary>The shell and platform pages as a browser gets them (server-rendered HTML, cookie sign-in).</summary>
public abstract class PageTests(AppFixture app)
{
    private static readonly HtmlParser Parser = new();

    [Fact]
    public async Task Shell_HasTheTitleTheModulesAndTheUser()
    {
        var browser = await app.BrowserAsAsync("county.qilin");
        var html = await browser.GetStringAsync("/");
        var doc = Parser.ParseDocument(html);
        Assert.Equal("zh-CN", doc.DocumentElement.GetAttribute("lang"));
        Assert.Contains("煤矿安全与稳定风险防控一张网", doc.Title);
        var nav = doc.QuerySelectorAll("#mainNav a.nav-link").Select(a => a.TextContent.Trim()).ToList();
        foreach (var module in ModuleCatalog.All)
        {
            Assert.Contains(nav, n => n.Contains(module.Name, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(nav, n => n.Contains("审计", StringComparison.Ordinal)); // admin only
        Assert.Contains("张卫东", doc.QuerySelector("[data-testid=user-menu]")!.TextContent);
        Assert.NotNull(doc.QuerySelector("meta[name=viewport]"));
    }

    [Fact]
    public async Task Shell_ForAdmin_ShowsTheAuditLink()
    {
        var browser = await app.BrowserAsAsync("admin");
        var doc = Parser.ParseDocument(await browser.GetStringAsync("/"));
        Assert.Contains(doc.QuerySelectorAll("#mainNav a.nav-link"), a => a.GetAttribute("href") == "/audit");
    }

    [Fact]
    public async Task UnbuiltModule_SaysWhatIsComing()
    {
        var browser = await app.BrowserAsAsync("city");
        foreach (var module in ModuleCatalog.All.Where(m => !m.Built))
        {
            var html = await browser.GetStringAsync(module.Href);
            Assert.Contains("建设中", html);
            Assert.Contains(module.Description, html);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/soon/nonexistent")).StatusCode);
    }

    [Fact]
    public async Task Inbox_ShowsMessages_AndMarksOneRead()
    {
        var userId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "county.xuanwei").Select(u => u.Id).SingleAsync());
        var title = $"请核查{Guid.NewGuid():N}"[..10];
        await app.WithServicesAsync(async sp =>
        {
            sp.GetRequiredService<Notifier>().Notify([userId], NotificationKind.System, title, "页面测试");
            await sp.GetRequiredService<MineRisk.Web.Platform.Data.AppDbContext>().SaveChangesAsync();
            return true;
        });
        var browser = await app.BrowserAsAsync("county.xuanwei");
        var html = await browser.GetStringAsync("/inbox");
        Assert.Contains(title, html);
        var unreadBadge = Parser.ParseDocument(await browser.GetStringAsync("/")).QuerySelector("[data-testid=unread-count]");
        Assert.NotNull(unreadBadge);

        var id = await app.WithDbAsync(db => db.Notifications.Where(n => n.Title == title).Select(n => n.Id).SingleAsync());
        var response = await AppFixture.PostFormAsync(browser, $"/inbox?handler=Read&id={id}", [], "/inbox");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.NotNull(await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == id).Select(n => n.ReadAt).SingleAsync()));
    }

    [Fact]
    public async Task UnreadBadge_IsKept_ButFollowsNewAndReadMessagesAtOnce()
    {
        var userName = $"u{Guid.NewGuid():N}"[..10];
        var userId = await app.CreateUserAsync(userName, MineRisk.Web.Platform.Auth.Roles.TownshipRegulator, "宣威市羊场镇人民政府");
        var browser = await app.BrowserAsAsync(userName);
        async Task<string?> Badge() =>
            Parser.ParseDocument(await browser.GetStringAsync("/")).QuerySelector("[data-testid=unread-count]")?.TextContent;
        async Task NotifyAsync(string title) => await app.WithServicesAsync(async sp =>
        {
            sp.GetRequiredService<Notifier>().Notify([userId], NotificationKind.System, title);
            await sp.GetRequiredService<MineRisk.Web.Platform.Data.AppDbContext>().SaveChangesAsync();
            return true;
        });

        Assert.Null(await Badge()); // counted (0) and kept
        await NotifyAsync("第一条");
        Assert.Equal("1", await Badge()); // the save dropped the kept count
        await NotifyAsync("第二条");
        Assert.Equal("2", await Badge());

        var first = await app.WithDbAsync(db => db.Notifications.Where(n => n.UserId == userId && n.Title == "第一条").Select(n => n.Id).SingleAsync());
        await AppFixture.PostFormAsync(browser, $"/inbox?handler=Read&id={first}", [], "/inbox");
        Assert.Equal("1", await Badge());
        await AppFixture.PostFormAsync(browser, "/inbox?handler=ReadAll", [], "/inbox"); // a bulk update, no save hook
        Assert.Null(await Badge());
    }

    [Fact]
    public async Task Inbox_Empty_SaysSo()
    {
        var userName = $"e{Guid.NewGuid():N}"[..10];
        await app.CreateUserAsync(userName, MineRisk.Web.Platform.Auth.Roles.TownshipRegulator, "宣威市羊场镇人民政府");
        var browser = await app.BrowserAsAsync(userName);
        var doc = Parser.ParseDocument(await browser.GetStringAsync("/inbox"));
        Assert.Contains("暂无", doc.QuerySelector("[data-testid=inbox-empty]")!.TextContent);
    }

    [Fact]
    public async Task AuditPage_Verify_ShowsTheResult_AndIsRefusedToOthers()
    {
        var leader = await app.BrowserAsAsync("leader");
        var refused = await leader.GetAsync("/audit");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/account/denied", refused.Headers.Location!.OriginalString);

        var admin = await app.BrowserAsAsync("admin");
        var verify = await AppFixture.PostFormAsync(admin, "/audit?handler=Verify", [], "/audit");
        Assert.Equal(HttpStatusCode.OK, verify.StatusCode);
        Assert.Contains("核验通过", await verify.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Leader_ReadOnlyRule_AppliesToPageHandlers()
    {
        // Marking a message read is the leader's own business and allowed; nothing else writes for them.
        var leaderId = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == "leader").Select(u => u.Id).SingleAsync());
        var title = $"领导消息{Guid.NewGuid():N}"[..10];
        await app.WithServicesAsync(async sp =>
        {
            sp.GetRequiredService<Notifier>().Notify([leaderId], NotificationKind.System, title);
            await sp.GetRequiredService<MineRisk.Web.Platform.Data.AppDbContext>().SaveChangesAsync();
            return true;
        });
        var leader = await app.BrowserAsAsync("leader");
        var id = await app.WithDbAsync(db => db.Notifications.Where(n => n.Title == title).Select(n => n.Id).SingleAsync());
        var read = await AppFixture.PostFormAsync(leader, $"/inbox?handler=Read&id={id}", [], "/inbox");
        Assert.Equal(HttpStatusCode.Redirect, read.StatusCode);
    }

    [Fact]
    public async Task Leader_ApiWrite_IsRefusedAsReadOnly()
    {
        var leader = await app.ApiAsAsync("leader");
        var form = new MultipartFormDataContent { { new ByteArrayContent([1, 2, 3]), "file", "a.png" } };
        await HttpAssert.ProblemAsync(await leader.PostAsync("/api/v1/attachments", form), HttpStatusCode.Forbidden, "领导(只读)账号只能查看");
    }

    [Fact]
    public async Task UnknownPage_IsAFriendlyChinese404()
    {
        var browser = await app.BrowserAsAsync("city");
        var response = await browser.GetAsync("/no/such/page");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var doc = Parser.ParseDocument(await response.Content.ReadAsStringAsync());
        Assert.Equal("页面不存在", doc.QuerySelector("[data-testid=error-title]")!.TextContent);
        Assert.Contains("返回工作台", doc.Body!.TextContent);
    }

    [Fact]
    public async Task UnknownApiRoute_IsA404ProblemDetails()
    {
        var client = await app.ApiAsAsync("city");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/no-such-thing"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnonymousPage_RedirectsToLogin_AndTheLoginPageIsChinese()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await client.GetAsync("/inbox");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var login = Parser.ParseDocument(await client.GetStringAsync(response.Headers.Location!));
        Assert.Contains("账户登录", login.Body!.TextContent);
        Assert.NotNull(login.QuerySelector("input[name=UserName]"));
        Assert.NotNull(login.QuerySelector("input[name=__RequestVerificationToken]"));
    }

    [Fact]
    public async Task Pages_SendSecurityHeaders()
    {
        var browser = await app.BrowserAsAsync("city");
        var response = await browser.GetAsync("/");
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Responses_TellTheServersTime_InMilliseconds_WithinWhatTheClientWaited()
    {
        var browser = await app.BrowserAsAsync("city");
        var api = await app.ApiAsAsync("city");
        foreach (var (client, path) in new[] { (browser, "/mines"), (api, "/api/v1/mines?pageSize=200"), (api, "/api/v1/no-such-thing") })
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            var response = await client.GetAsync(path);
            var waited = watch.Elapsed.TotalMilliseconds;
            var header = response.Headers.GetValues("Server-Timing").Single();
            var match = System.Text.RegularExpressions.Regex.Match(header, @"^app;dur=(\d+(\.\d+)?)$");
            Assert.True(match.Success, $"{path}: {header}");
            var ms = double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(ms, 0.001, waited);
        }
    }

    [Fact]
    public async Task AuditPage_ListsFiltersAndExports()
    {
        var admin = await app.BrowserAsAsync("admin");
        var doc = Parser.ParseDocument(await admin.GetStringAsync("/audit?action=" + Uri.EscapeDataString("登录成功")));
        var rows = doc.QuerySelectorAll("[data-testid=audit-table] tbody tr");
        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal("登录成功", r.Children[3].TextContent.Trim()));

        var export = await admin.GetAsync("/audit?handler=Export&action=" + Uri.EscapeDataString("登录成功"));
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", export.Content.Headers.ContentType?.MediaType);
        var bytes = await export.Content.ReadAsByteArrayAsync();
        var sheet = XlsxReading.ReadFirstSheet(bytes);
        Assert.Equal("序号", sheet[0][0]);
        Assert.Equal("动作", sheet[0][3]);
        Assert.True(sheet.Count > 1);
        Assert.All(sheet.Skip(1), row => Assert.Equal("登录成功", row[3]));
    }
}

public sealed class PageTestsSqlite(SqliteApp app) : PageTests(app), IClassFixture<SqliteApp>;

public sealed class PageTestsPostgres(PostgresApp app) : PageTests(app), IClassFixture<PostgresApp>;
