using System.Net;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;

namespace MineRisk.Tests.Platform;

/// <summary>A real installation (Demo:Scale = none) with the first admin's password from the configuration.</summary>
public sealed class RealInstallationApp : AppFixture
{
    public const string AdminPassword = "First#Admin2026";

    protected override string DemoScale => "none";

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Admin:Password", AdminPassword);
    }
}

public sealed class InstallationTests(RealInstallationApp app) : IClassFixture<RealInstallationApp>
{
    [Fact]
    public async Task NonDemoStart_CreatesOnlyAdmin_WithTheConfiguredPassword_AndNoDemoAccounts()
    {
        var users = await app.WithDbAsync(db => db.Users.Select(u => u.UserName).ToListAsync());
        Assert.Equal(["admin"], users);
        var client = await app.ApiAsAsync("admin", RealInstallationApp.AdminPassword);
        var me = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/me"), HttpStatusCode.OK);
        Assert.Equal("100000", me.GetProperty("scope").GetProperty("regionCode").GetString()); // the whole country
        var demo = await app.CreateClient().PostAsJsonAsync("/api/v1/auth/login", new { userName = "county.qilin", password = AppFixture.Password });
        Assert.Equal(HttpStatusCode.Unauthorized, demo.StatusCode);
    }

    [Fact]
    public async Task SqlitePragmas_AreSetOncePerNativeConnection_AndEveryNewOneIsSynchronousFull()
    {
        var seen = await app.WithDbAsync(async db =>
        {
            var values = new List<long>();
            async Task<long> Run(string sql)
            {
                await using var command = db.Database.GetDbConnection().CreateCommand();
                command.CommandText = sql;
                return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L, System.Globalization.CultureInfo.InvariantCulture);
            }

            await db.Database.OpenConnectionAsync();
            values.Add(await Run("PRAGMA synchronous"));
            await Run("PRAGMA synchronous=OFF"); // a mark on this native connection
            await db.Database.CloseConnectionAsync();

            await db.Database.OpenConnectionAsync(); // the same native connection, from the pool: not set again
            values.Add(await Run("PRAGMA synchronous"));
            await db.Database.CloseConnectionAsync();

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the pool lets it go: the next open is a new one
            await db.Database.OpenConnectionAsync();
            values.Add(await Run("PRAGMA synchronous"));
            await db.Database.CloseConnectionAsync();
            return values;
        });
        Assert.Equal([2L, 0L, 2L], seen); // 2 = FULL, 0 = OFF
    }

    [Fact]
    public async Task NonDemoStart_HasTheProvincesButNoDemoCity()
    {
        var codes = await app.WithDbAsync(db => db.Regions.Select(r => r.Code).ToListAsync());
        Assert.Contains("530000", codes);
        Assert.Equal(35, codes.Count); // 全国 and 34 provincial-level divisions
        Assert.DoesNotContain("530300", codes);
    }
}
