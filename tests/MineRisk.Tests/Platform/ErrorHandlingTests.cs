using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using MineRisk.Tests.Infrastructure;
using Npgsql;

namespace MineRisk.Tests.Platform;

/// <summary>An app with a route that fails unexpectedly, to see what people and programs get for a bug.</summary>
public sealed class FailingApp : AppFixture
{
    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddTransient<IStartupFilter, ThrowAtTheEnd>());
    }

    /// <summary>Appends, after the app's own pipeline, a middleware that throws for /boom and /api/boom.</summary>
    private sealed class ThrowAtTheEnd : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            next(app);
            app.Use((HttpContext http, RequestDelegate _) =>
                http.Request.Path.Value?.EndsWith("/boom", StringComparison.Ordinal) == true
                    ? throw new InvalidOperationException("SECRET-INTERNAL-DETAIL stack trace must not leak")
                    : Task.CompletedTask);
        };
    }
}

public sealed class ErrorHandlingTests(FailingApp app) : IClassFixture<FailingApp>
{
    [Fact]
    public async Task UnexpectedFailure_OnAPage_IsAFriendlyChinesePageWithoutTheStackTrace()
    {
        var browser = await app.BrowserAsAsync("city");
        var response = await browser.GetAsync("/boom");
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("服务器内部错误", html);
        Assert.Contains("追踪号", html);
        Assert.DoesNotContain("SECRET-INTERNAL-DETAIL", html);
        Assert.DoesNotContain("   at ", html);
    }

    [Fact]
    public async Task UnexpectedFailure_OnTheApi_IsAChineseProblemDetailsWithoutTheStackTrace()
    {
        var client = await app.ApiAsAsync("city");
        var response = await client.GetAsync("/api/boom");
        var detail = await HttpAssert.ProblemAsync(response, HttpStatusCode.InternalServerError, "已记录日志");
        Assert.DoesNotContain("SECRET-INTERNAL-DETAIL", await response.Content.ReadAsStringAsync());
        Assert.DoesNotContain("SECRET", detail);
    }

    [Fact]
    public async Task UnreadableRequests_AreA400NamingTheFieldAtFault_NotAServerError()
    {
        var client = await app.ApiAsAsync("city");
        var wrongType = await client.PostAsync("/api/v1/mines", new StringContent("""{"code":"530302000001","approvedCapacity":"三十"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("字段 approvedCapacity 的值无效", await HttpAssert.ProblemAsync(wrongType, HttpStatusCode.BadRequest));

        var broken = await client.PostAsync("/api/v1/mines", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Contains("不是有效的 JSON", await HttpAssert.ProblemAsync(broken, HttpStatusCode.BadRequest));

        var missing = await client.GetAsync("/api/v1/conflicts/leaders");
        Assert.Contains("缺少必填参数 mineId", await HttpAssert.ProblemAsync(missing, HttpStatusCode.BadRequest));

        var badValue = await client.GetAsync("/api/v1/conflicts/leaders?mineId=abc");
        Assert.Contains("参数 mineId 的值「abc」格式不对", await HttpAssert.ProblemAsync(badValue, HttpStatusCode.BadRequest));
    }
}

/// <summary>The database goes away and comes back: requests fail cleanly with 503 meanwhile, then the app recovers by itself.</summary>
public sealed class DatabaseOutageTests(PostgresApp app) : IClassFixture<PostgresApp>
{
    private async Task AdminSqlAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(TestDatabase.ServerConnectionString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task DatabaseUnavailable_Is503InChinese_ThenRecovers()
    {
        var client = await app.ApiAsAsync("city");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/regions")).StatusCode);
        var name = new NpgsqlConnectionStringBuilder(app.Database.ConnectionString).Database!;
        try
        {
            await AdminSqlAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
            await AdminSqlAsync($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'");
            NpgsqlConnection.ClearAllPools();
            var response = await client.GetAsync("/api/v1/regions");
            await HttpAssert.ProblemAsync(response, HttpStatusCode.ServiceUnavailable, "数据库暂时不可用");
            Assert.True(response.Headers.Contains("Retry-After"));

            // People get the friendly page saying so, not a raw error.
            var browser = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
            var login = await AppFixture.PostFormAsync(browser, "/account/login", new() { ["UserName"] = "city", ["Password"] = AppFixture.Password });
            Assert.Equal(HttpStatusCode.ServiceUnavailable, login.StatusCode);
            Assert.Contains("数据库暂时不可用", await login.Content.ReadAsStringAsync());
        }
        finally
        {
            await AdminSqlAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS true");
        }

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/regions")).StatusCode);
    }
}
