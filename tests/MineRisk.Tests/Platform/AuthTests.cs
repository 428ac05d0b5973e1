using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Tests.Platform;

public abstract class AuthTests(AppFixture app)
{
    [Fact]
    public async Task Login_WithDemoPassword_GivesABearerTokenAndMe()
    {
        var client = app.CreateClient();
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = "county.qilin", password = AppFixture.Password });
        var json = await HttpAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.False(string.IsNullOrEmpty(json.GetProperty("accessToken").GetString()));
        Assert.Equal(3600, json.GetProperty("expiresIn").GetInt32());

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.GetProperty("accessToken").GetString());
        var me = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal("county.qilin", me.GetProperty("userName").GetString());
        Assert.Equal([Roles.CountyRegulator], me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()!));
        Assert.Equal("麒麟区应急管理局", me.GetProperty("organisation").GetProperty("name").GetString());
        Assert.Equal("530302", me.GetProperty("scope").GetProperty("regionCode").GetString());
        Assert.Equal("云南省曲靖市麒麟区", me.GetProperty("scope").GetProperty("regionName").GetString());
    }

    [Theory]
    [InlineData("admin", Roles.Admin, "530300")]
    [InlineData("city", Roles.CityRegulator, "530300")]
    [InlineData("county.xuanwei", Roles.CountyRegulator, "530381")]
    [InlineData("xinfang", Roles.PetitionOfficer, "530300")]
    [InlineData("leader", Roles.Leader, "530300")]
    public async Task DemoAccounts_HaveTheirRoleAndJurisdiction(string userName, string role, string region)
    {
        var client = await app.ApiAsAsync(userName);
        var me = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Contains(role, me.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(region, me.GetProperty("scope").GetProperty("regionCode").GetString());
        Assert.Equal(userName == "leader", me.GetProperty("readOnly").GetBoolean());
    }

    [Fact]
    public async Task Login_WithWrongPassword_Is401InChineseAndAudited()
    {
        var userName = $"u{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(userName, Roles.CountyRegulator, "麒麟区应急管理局");
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName, password = "wrong" });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "用户名或密码错误");
        var audited = await app.WithDbAsync(db => db.AuditEntries.AnyAsync(e => e.Action == "登录失败" && e.Summary!.Contains(userName)));
        Assert.True(audited);
    }

    [Fact]
    public async Task Login_UnknownUser_Is401WithTheSameMessage()
    {
        var response = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "nobody.here", password = "x" });
        await HttpAssert.ProblemAsync(response, HttpStatusCode.Unauthorized, "用户名或密码错误");
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LocksTheAccountFor15Minutes_EvenForTheRightPassword()
    {
        var userName = $"u{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(userName, Roles.CountyRegulator, "麒麟区应急管理局");
        var client = app.CreateClient();
        for (var i = 0; i < 4; i++)
        {
            var wrong = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = "wrong" });
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        var fifth = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = "wrong" });
        await HttpAssert.ProblemAsync(fifth, HttpStatusCode.Locked, "锁定");
        var right = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password = AppFixture.Password });
        var detail = await HttpAssert.ProblemAsync(right, HttpStatusCode.Locked, "锁定");
        Assert.Contains("分钟", detail);

        var lockoutEnd = await app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.LockoutEnd).SingleAsync());
        Assert.NotNull(lockoutEnd);
        Assert.InRange((lockoutEnd.Value - DateTimeOffset.UtcNow).TotalMinutes, 14, 15.1);
    }

    [Fact]
    public async Task ForgedToken_Is401()
    {
        var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "CfDJ8forged-token-that-was-never-issued");
        await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task TamperedToken_Is401()
    {
        var client = await app.ApiAsAsync("city");
        var token = client.DefaultRequestHeaders.Authorization!.Parameter!;
        var tampered = token[..^4] + (token[^4] == 'A' ? "B" : "A") + token[^3..];
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tampered);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task ExpiredToken_Is401()
    {
        var client = await app.ApiAsAsync("city");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/me")).StatusCode);
        var fresh = await app.ApiAsAsync("county.qilin");
        app.Clock.Advance(TimeSpan.FromMinutes(61));
        try
        {
            await HttpAssert.ProblemAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "登录");
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-61));
        }

        Assert.Equal(HttpStatusCode.OK, (await fresh.GetAsync("/api/v1/me")).StatusCode);
    }

    [Fact]
    public async Task NoToken_Is401ProblemDetails()
    {
        await HttpAssert.ProblemAsync(await app.CreateClient().GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "请先登录");
    }

    [Fact]
    public async Task ChangePassword_WithWrongCurrentPassword_IsRefusedInChinese_AndTheOldPasswordStillWorks()
    {
        var userName = $"u{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(userName, Roles.CountyRegulator, "麒麟区应急管理局");
        var client = await app.ApiAsAsync(userName);
        var bad = await client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = "nope", newPassword = "New#Pass2026" });
        await HttpAssert.ProblemAsync(bad, HttpStatusCode.BadRequest, "原密码不正确");
        var weak = await client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = AppFixture.Password, newPassword = "short" });
        await HttpAssert.ProblemAsync(weak, HttpStatusCode.BadRequest, "至少需要 8 个字符");
        await app.ApiAsAsync(userName);

        var ok = await client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = AppFixture.Password, newPassword = "New#Pass2026" });
        Assert.Equal(HttpStatusCode.NoContent, ok.StatusCode);
        await app.ApiAsAsync(userName, "New#Pass2026");
    }

    [Fact]
    public async Task LoginPage_WrongPassword_ShowsTheChineseErrorAndDoesNotSignIn()
    {
        var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var response = await AppFixture.PostFormAsync(client, "/account/login", new() { ["UserName"] = "city", ["Password"] = "bad" });
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("用户名或密码错误", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.Redirect, (await client.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task LoginPage_ThenLogout_EndsTheSession()
    {
        var browser = await app.BrowserAsAsync("county.qilin");
        var home = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("张卫东", await home.Content.ReadAsStringAsync());

        var logout = await AppFixture.PostFormAsync(browser, "/account/logout", [], "/");
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var after = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.OriginalString.Replace("http://localhost", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CookieSession_EndsWhenThePasswordChanged_OnceTheStampIsChecked_AndOtherSessionsGoOn()
    {
        var changed = $"u{Guid.NewGuid():N}"[..12];
        var unchanged = $"u{Guid.NewGuid():N}"[..12];
        await app.CreateUserAsync(changed, Roles.CountyRegulator, "麒麟区应急管理局");
        await app.CreateUserAsync(unchanged, Roles.CountyRegulator, "麒麟区应急管理局");
        var session = await app.BrowserAsAsync(changed);
        var other = await app.BrowserAsAsync(unchanged);
        var api = await app.ApiAsAsync(changed);
        Assert.Equal(HttpStatusCode.NoContent,
            (await api.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = AppFixture.Password, newPassword = "New#Pass2026" })).StatusCode);

        // Within the interval (5 minutes) the stamp is not read again; after it, the changed one ends the session.
        Assert.Equal(HttpStatusCode.OK, (await session.GetAsync("/")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(6));
        try
        {
            var after = await session.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
            Assert.Contains("/account/login", after.Headers.Location!.OriginalString);
            Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/")).StatusCode);
        }
        finally
        {
            app.Clock.Advance(TimeSpan.FromMinutes(-6));
        }
    }

    [Fact]
    public async Task OpenApiDocument_IsServed()
    {
        var json = await HttpAssert.JsonAsync(await app.CreateClient().GetAsync("/openapi/v1.json"), HttpStatusCode.OK);
        Assert.True(json.GetProperty("paths").TryGetProperty("/api/v1/auth/login", out _));
    }

    [Fact]
    public async Task Health_Answers200WithoutLogin()
    {
        var response = await app.CreateClient().GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }
}

public sealed class AuthTestsSqlite(SqliteApp app) : AuthTests(app), IClassFixture<SqliteApp>;

public sealed class AuthTestsPostgres(PostgresApp app) : AuthTests(app), IClassFixture<PostgresApp>;
