using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Platform;

/// <summary>Start-up work before the first request: schema upgrade, seeding, and the banner with address and accounts.</summary>
public static partial class Startup
{
    public static async Task PrepareAsync(this WebApplication app, CancellationToken ct = default)
    {
        var scale = app.Configuration.GetValue("Demo:Scale", DemoScale.City);
        PlatformSeeder.SeedResult seeded;
        List<DemoAccount> accounts;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (!db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            await scope.ServiceProvider.GetRequiredService<SchemaUpgrader>().UpgradeAsync(ct);
            var upgradeMs = watch.ElapsedMilliseconds;
            watch.Restart();
            var seeder = scope.ServiceProvider.GetRequiredService<PlatformSeeder>();
            seeded = await seeder.SeedAsync(scale, ct);
            accounts = seeder.AllDemoAccounts(scale).ToList();
            if (!db.IsPostgres)
            {
                // Statistics for SQLite's planner (PostgreSQL's autovacuum gathers its own): tables never analysed, or
                // grown or shrunk 25-fold since, are analysed (sampled, so quick). Without them SQLite guesses, e.g.
                // reads a state's 13,000 conflicts to count those of one city (bench/stability.sh).
                await db.Database.ExecuteSqlRawAsync("PRAGMA optimize=0x10002;", ct);
            }

            LogPrepared(app.Logger, upgradeMs, watch.ElapsedMilliseconds);
        }

        app.Lifetime.ApplicationStarted.Register(() => PrintBanner(app, scale, seeded, accounts));
    }

    private static void PrintBanner(WebApplication app, DemoScale scale, PlatformSeeder.SeedResult seeded, List<DemoAccount> accounts)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var options = app.Services.GetRequiredService<DatabaseOptions>();
        var paths = app.Services.GetRequiredService<DataPaths>();
        var lines = new List<string>
        {
            "",
            "==== 煤矿安全与稳定风险防控一张网 (MineRisk) 已启动 ====",
            $"地址：{string.Join("  ", addresses)}",
            $"数据库：{options.Provider}    数据目录：{paths.Root}",
        };
        if (scale != DemoScale.None)
        {
            lines.Add($"演示数据规模：{scale}    演示账户（密码均为 {PlatformSeeder.DemoPassword}）：");
            lines.AddRange(accounts.Select(a => $"  {a.UserName,-16} {a.Role,-8} {a.Organisation}"));
        }

        if (seeded.GeneratedAdminPassword is { } password)
        {
            lines.Add($"已创建管理员账户 admin，初始密码：{password}（只显示这一次，请登录后立即修改）");
        }

        Console.WriteLine(string.Join(Environment.NewLine, lines));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "数据库结构检查用时 {UpgradeMs} ms，初始化数据用时 {SeedMs} ms")]
    private static partial void LogPrepared(ILogger logger, long upgradeMs, long seedMs);
}
