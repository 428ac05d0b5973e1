using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Infrastructure;

/// <summary>
/// The real app on a real database (SQLite file or PostgreSQL), with demo data and a hand-moved clock. One per test
/// class; tests in a class share it, so they create what they change and never rely on global counts.
/// </summary>
public abstract partial class AppFixture : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "Demo#2026";

    public static readonly JsonSerializerOptions Json = CreateJson();

    public TestClock Clock { get; } = new();

    public TestDatabase Database { get; private set; } = null!;

    /// <summary>Demo:Scale for this app (city by default).</summary>
    protected virtual string DemoScale => "city";

    public bool IsPostgres => Database.IsPostgres;

    protected abstract Task<TestDatabase> CreateDatabaseAsync();

    public virtual async Task InitializeAsync()
    {
        Database = await CreateDatabaseAsync();
        Start();
    }

    /// <summary>Starts the host (schema upgrade and seeding run now): in memory, or on Kestrel for browser tests.</summary>
    protected virtual void Start() => _ = Server;

    /// <summary>Whether disposing the app also drops its database.</summary>
    protected virtual bool OwnsDatabase => true;

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (OwnsDatabase && Database is not null)
        {
            await Database.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Data:Directory", Database.Directory);
        builder.UseSetting("Database:Provider", Database.Provider);
        builder.UseSetting("Database:ConnectionString", Database.ConnectionString);
        builder.UseSetting("Demo:Scale", DemoScale);
        builder.UseSetting("Deadlines:SweeperEnabled", "false");
        builder.UseSetting("Monitoring:Simulator:Enabled", "false");
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }

    /// <summary>An API client signed in with a bearer token.</summary>
    public async Task<HttpClient> ApiAsAsync(string userName, string password = Password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = ClientOptions.BaseAddress });
        var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName, password });
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{userName} 登录失败：{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>A browser-like client signed in through the login form (cookie), not following redirects.</summary>
    public async Task<HttpClient> BrowserAsAsync(string userName, string password = Password)
    {
        var client = CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true, BaseAddress = ClientOptions.BaseAddress });
        var response = await PostFormAsync(client, "/account/login", new() { ["UserName"] = userName, ["Password"] = password });
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{userName} 表单登录失败：{(int)response.StatusCode}");
        return client;
    }

    /// <summary>Posts a page form the way a browser does: fetches the page first for its antiforgery token.</summary>
    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields, string? pageUrl = null)
    {
        var token = await AntiforgeryTokenAsync(client, pageUrl ?? url);
        var form = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        return await client.PostAsync(url, new FormUrlEncodedContent(form));
    }

    /// <summary>The antiforgery token a page carries (hidden field or the layout's meta tag).</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient client, string pageUrl)
    {
        var html = await client.GetStringAsync(pageUrl);
        var match = TokenPattern().Match(html);
        Assert.True(match.Success, $"页面 {pageUrl} 中没有防伪令牌");
        return WebUtility.HtmlDecode(match.Groups["t"].Value);
    }

    /// <summary>Runs <paramref name="work"/> on a fresh context with the system scope (sees everything).</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        return await work(db);
    }

    public Task WithDbAsync(Func<AppDbContext, Task> work) => WithDbAsync(async db =>
    {
        await work(db);
        return true;
    });

    public async Task<T> WithServicesAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<AppDbContext>().Scope = UserScope.System;
        return await work(scope.ServiceProvider);
    }

    /// <summary>Creates a user (password <see cref="Password"/>) in the named organisation with one role.</summary>
    public Task<long> CreateUserAsync(string userName, string role, string organisationName) => WithServicesAsync(async sp =>
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var orgId = await db.Organisations.IgnoreQueryFilters().Where(o => o.Name == organisationName).Select(o => o.Id).SingleAsync();
        var user = new AppUser { UserName = userName, DisplayName = userName, OrganisationId = orgId, LockoutEnabled = true };
        var created = await users.CreateAsync(user, Password);
        Assert.True(created.Succeeded, string.Join(";", created.Errors.Select(e => e.Description)));
        await users.AddToRoleAsync(user, role);
        return user.Id;
    });

    private static JsonSerializerOptions CreateJson()
    {
        var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        PlatformSetup.ConfigureJson(json);
        return json;
    }

    [GeneratedRegex("(?:name=\"__RequestVerificationToken\"[^>]*value=\"|name=\"request-verification-token\" content=\")(?<t>[^\"]+)\"")]
    private static partial Regex TokenPattern();
}

public sealed class SqliteApp : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());
}

public sealed class PostgresApp : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => TestDatabase.PostgresAsync();
}

/// <summary>The app started on a database prepared by the test (e.g. an older schema), with the given demo scale.</summary>
public sealed class ExistingDatabaseApp(TestDatabase database, string demoScale = "none", bool ownsDatabase = true) : AppFixture
{
    protected override string DemoScale => demoScale;

    protected override bool OwnsDatabase => ownsDatabase;

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(database);

    public Task StartAsync() => InitializeAsync();
}
