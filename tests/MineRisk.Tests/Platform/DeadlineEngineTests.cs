using System.Net;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Notifications;

namespace MineRisk.Tests.Platform;

public abstract class DeadlineEngineTests(AppFixture app)
{
    private sealed record Place(string RegionCode, long? EnterpriseId) : IScoped;

    private static readonly Place Yuezhou = new("530302101", null); // 麒麟区越州镇

    private Task<long> UserIdAsync(string userName) => app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private Task<int> SweepAsync() => app.Services.GetRequiredService<DeadlineSweeper>().SweepOnceAsync(CancellationToken.None);

    private Task<List<Notification>> NotificationsAsync(string title) =>
        app.WithDbAsync(db => db.Notifications.Where(n => n.Title.EndsWith(title)).OrderBy(n => n.Id).ToListAsync());

    private async Task<long> OpenAsync(string title, int days, long assignee, long? organisationId)
    {
        return await app.WithServicesAsync(async sp =>
        {
            var engine = sp.GetRequiredService<DeadlineService>();
            var deadline = engine.OpenInDays("test", 1, title, Yuezhou, days, DayCount.Calendar, assignee, organisationId, link: "/inbox");
            await sp.GetRequiredService<AppDbContext>().SaveChangesAsync();
            return deadline.Id;
        });
    }

    [Fact]
    public async Task Sweep_EscalatesEachLevelOnce_UpTheRegionTree()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var qilin = await UserIdAsync("county.qilin");
            var admin = await UserIdAsync("admin");
            var city = await UserIdAsync("city");
            var org = await app.WithDbAsync(db => db.Organisations.Where(o => o.Name == "麒麟区应急管理局").Select(o => o.Id).SingleAsync());
            var title = $"整改期限{Guid.NewGuid():N}"[..12];
            var id = await OpenAsync(title, 20, qilin, org);
            var due = await app.WithDbAsync(db => db.Deadlines.Where(d => d.Id == id).Select(d => d.DueAt).SingleAsync());

            await SweepAsync();
            Assert.Single(await NotificationsAsync(title)); // only the assignment message

            app.Clock.Set(new DateTimeOffset(due.AddDays(-3).AddMinutes(1), TimeSpan.Zero));
            await SweepAsync();
            await SweepAsync();
            var afterWarn = await NotificationsAsync(title);
            Assert.Equal(2, afterWarn.Count);
            Assert.Equal(NotificationKind.DueSoon, afterWarn[1].Kind);
            Assert.Equal(qilin, afterWarn[1].UserId);

            app.Clock.Set(new DateTimeOffset(due.AddMinutes(1), TimeSpan.Zero));
            await SweepAsync();
            var overdue = (await NotificationsAsync(title)).Last();
            Assert.Equal(NotificationKind.Overdue, overdue.Kind);
            Assert.StartsWith("超期提醒", overdue.Title);

            app.Clock.Set(new DateTimeOffset(due.AddDays(1).AddMinutes(1), TimeSpan.Zero));
            await SweepAsync();
            await SweepAsync();
            var supervision = (await NotificationsAsync(title)).Where(n => n.Kind == NotificationKind.Supervision).ToList();
            // One level up from 麒麟区 is 曲靖市: its regulators (admin, city) are told; the assignee learns it was escalated.
            Assert.Equal(new[] { admin, city, qilin }.Order(), supervision.Select(n => n.UserId).Order());
            Assert.Contains(supervision, n => n.UserId == qilin && n.Title.StartsWith("已被上级督办"));

            app.Clock.Set(new DateTimeOffset(due.AddDays(30), TimeSpan.Zero));
            await SweepAsync();
            await SweepAsync();
            var levels = await app.WithDbAsync(db => db.DeadlineEscalations.Where(e => e.DeadlineId == id).Select(e => e.Level).OrderBy(l => l).ToListAsync());
            Assert.Equal([1, 2, 3, 4], levels);
            var next = await app.WithDbAsync(db => db.Deadlines.Where(d => d.Id == id).Select(d => d.NextEscalationAt).SingleAsync());
            Assert.Null(next);
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Fact]
    public async Task Sweep_SkipsCompletedAndPausedDeadlines()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var qilin = await UserIdAsync("county.qilin");
            var doneTitle = $"已完成{Guid.NewGuid():N}"[..12];
            var pausedTitle = $"已暂停{Guid.NewGuid():N}"[..12];
            var done = await OpenAsync(doneTitle, 5, qilin, null);
            var paused = await OpenAsync(pausedTitle, 5, qilin, null);
            await app.WithDbAsync(async db =>
            {
                var now = app.Clock.GetUtcNow().UtcDateTime;
                (await db.Deadlines.SingleAsync(d => d.Id == done)).Complete(now);
                (await db.Deadlines.SingleAsync(d => d.Id == paused)).Pause(now);
                await db.SaveChangesAsync();
            });

            app.Clock.Advance(TimeSpan.FromDays(40));
            await SweepAsync();
            Assert.Single(await NotificationsAsync(doneTitle));
            Assert.Single(await NotificationsAsync(pausedTitle));
        }
        finally
        {
            app.Clock.Set(start);
        }
    }

    [Fact]
    public async Task Inbox_ShowsMyDeadlinesWithTheirComputedStatus()
    {
        var start = app.Clock.GetUtcNow();
        try
        {
            var qilin = await UserIdAsync("county.qilin");
            var title = $"收件箱期限{Guid.NewGuid():N}"[..14];
            await OpenAsync(title, 10, qilin, null);
            var client = await app.ApiAsAsync("county.qilin");

            string StatusOf(System.Text.Json.JsonElement list) =>
                list.EnumerateArray().Single(d => d.GetProperty("title").GetString() == title).GetProperty("statusName").GetString()!;

            Assert.Equal("正常", StatusOf(await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/inbox/deadlines"), HttpStatusCode.OK)));
            app.Clock.Advance(TimeSpan.FromDays(9));
            client = await app.ApiAsAsync("county.qilin"); // tokens live an hour on the moved clock
            Assert.Equal("临期", StatusOf(await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/inbox/deadlines"), HttpStatusCode.OK)));
            app.Clock.Advance(TimeSpan.FromDays(2));
            client = await app.ApiAsAsync("county.qilin");
            Assert.Equal("超期", StatusOf(await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/inbox/deadlines"), HttpStatusCode.OK)));
        }
        finally
        {
            app.Clock.Set(start);
        }
    }
}

public sealed class DeadlineEngineTestsSqlite(SqliteApp app) : DeadlineEngineTests(app), IClassFixture<SqliteApp>;

public sealed class DeadlineEngineTestsPostgres(PostgresApp app) : DeadlineEngineTests(app), IClassFixture<PostgresApp>;

/// <summary>Two app instances on one PostgreSQL: they share keys and sweep without doing any step twice.</summary>
public sealed class TwoInstanceTests(PostgresApp first) : IClassFixture<PostgresApp>
{
    [Fact]
    public async Task TokenIssuedByOneInstance_IsAcceptedByTheOther()
    {
        await using var second = new ExistingDatabaseApp(first.Database, "city", ownsDatabase: false);
        await second.StartAsync();
        second.Clock.Set(first.Clock.GetUtcNow());
        var fromFirst = await first.ApiAsAsync("city");
        var onSecond = second.CreateClient();
        onSecond.DefaultRequestHeaders.Authorization = fromFirst.DefaultRequestHeaders.Authorization;
        var me = await HttpAssert.JsonAsync(await onSecond.GetAsync("/api/v1/me"), System.Net.HttpStatusCode.OK);
        Assert.Equal("city", me.GetProperty("userName").GetString());
        // The key ring lives in the shared database, not in a folder of one machine.
        var keys = await first.WithDbAsync(db => db.Set<MineRisk.Web.Platform.Auth.DataProtectionKey>().CountAsync());
        Assert.True(keys >= 1);
    }

    private sealed record Place(string RegionCode, long? EnterpriseId) : IScoped;

    /// <summary>
    /// Pooled connections are not reset when returned (DatabaseSetup.PostgresConnectionString): the sweeps that take a
    /// session-level advisory lock must release it themselves, or it would stay with an idle connection and stop every
    /// instance's next sweep.
    /// </summary>
    [Fact]
    public async Task LockingSweeps_LeaveNoAdvisoryLockBehind()
    {
        await first.Services.GetRequiredService<DeadlineSweeper>().SweepOnceAsync(CancellationToken.None);
        await first.Services.GetRequiredService<MineRisk.Web.Features.Monitoring.RetentionService>().RunAsync(CancellationToken.None);
        var held = await first.WithDbAsync(async db =>
        {
            // One lock of the test's own, held while it looks: the query sees a lock that is there.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(73100099)");
            var keys = await db.Database.SqlQueryRaw<long>("""
                SELECT ((classid::bigint << 32) | objid::bigint) AS "Value" FROM pg_locks
                WHERE locktype = 'advisory' AND objsubid = 1 AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
                """).ToListAsync();
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock_all()");
            return keys;
        });
        Assert.Contains(73100099L, held);
        Assert.DoesNotContain(73100002L, held); // DeadlineSweeper
        Assert.DoesNotContain(73100062L, held); // RetentionService
    }

    [Theory]
    [InlineData(true)]  // normal operation: the advisory lock lets one instance work at a time
    [InlineData(false)] // no lock: the unique index on (deadline, round, level) alone keeps each step single
    public async Task TwoInstances_SweepTogether_EachStepOnce(bool useLock)
    {
        await using var second = new ExistingDatabaseApp(first.Database, "city", ownsDatabase: false);
        await second.StartAsync();
        second.Clock.Set(first.Clock.GetUtcNow());
        var qilin = await first.WithDbAsync(db => db.Users.Where(u => u.UserName == "county.qilin").Select(u => u.Id).SingleAsync());
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ids = await first.WithServicesAsync(async sp =>
        {
            var engine = sp.GetRequiredService<DeadlineService>();
            var now = first.Clock.GetUtcNow().UtcDateTime;
            var list = Enumerable.Range(0, 40)
                .Select(i => engine.Open("race", i, $"并发{tag}-{i}", new Place("530302101", null), now.AddHours(-1), assigneeUserId: qilin))
                .ToList();
            await sp.GetRequiredService<AppDbContext>().SaveChangesAsync();
            return list.Select(d => d.Id).ToList();
        });

        var sweepers = new[] { first.Services.GetRequiredService<DeadlineSweeper>(), second.Services.GetRequiredService<DeadlineSweeper>() };
        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(sweepers.Select(s => Task.Run(() => s.SweepOnceAsync(CancellationToken.None, useLock))));
        }

        var escalations = await first.WithDbAsync(db => db.DeadlineEscalations.Where(e => ids.Contains(e.DeadlineId))
            .GroupBy(e => new { e.DeadlineId, e.Level }).Select(g => g.Count()).ToListAsync());
        Assert.Equal(ids.Count * 2, escalations.Count); // levels 1 (临期, overtaken) and 2 (超期) for each
        Assert.All(escalations, count => Assert.Equal(1, count));
        var overdueMessages = await first.WithDbAsync(db => db.Notifications
            .Where(n => n.Kind == MineRisk.Web.Platform.Notifications.NotificationKind.Overdue && n.Title.Contains(tag)).CountAsync());
        Assert.Equal(ids.Count, overdueMessages);
    }
}
