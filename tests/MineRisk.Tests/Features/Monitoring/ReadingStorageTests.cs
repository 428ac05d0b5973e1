using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using MineRisk.Feeds;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Monitoring;
using Npgsql;
using static MineRisk.Tests.Features.Monitoring.MonitoringKit;

namespace MineRisk.Tests.Features.Monitoring;

/// <summary>The app on a database the test owns, with extra settings (e.g. the applier off, to leave files acknowledged but unapplied).</summary>
public sealed class ConfiguredApp(TestDatabase database, IReadOnlyDictionary<string, string> settings, bool ownsDatabase) : AppFixture
{
    protected override bool OwnsDatabase => ownsDatabase;

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(database);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }
    }
}

/// <summary>Issue 6 item 5 and "acknowledged means durable": monthly partitions, 2-year retention, and files applied once after a restart.</summary>
public abstract class ReadingStorageTests(bool postgres)
{
    private async Task<TestDatabase> NewDatabaseAsync() => postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();

    /// <summary>An app on <paramref name="database"/> whose applier is off (files are acknowledged, not applied); the database outlives it.</summary>
    private static async Task<ConfiguredApp> ApplierOffAsync(TestDatabase database)
    {
        var app = new ConfiguredApp(database, new Dictionary<string, string> { ["Monitoring:ApplierEnabled"] = "false" }, ownsDatabase: false);
        await app.InitializeAsync();
        return app;
    }

    /// <summary>Uploads the files to an app whose applier is off: each must be acknowledged (202); returns their ids.</summary>
    private static async Task<List<long>> AcknowledgeAsync(AppFixture app, IEnumerable<(TestMine Mine, (string Name, byte[] Bytes) File)> files)
    {
        var ids = new List<long>();
        foreach (var (mine, file) in files)
        {
            var json = await HttpAssert.JsonAsync(await PutAsync(app, file.Name, file.Bytes, mine.Key), HttpStatusCode.Accepted);
            ids.Add(json.GetProperty("fileId").GetInt64());
        }

        return ids;
    }

    /// <summary>The next start on <paramref name="database"/>, with the applier on, once it has applied every acknowledged file.</summary>
    private static async Task<ConfiguredApp> StartAndApplyAsync(TestDatabase database, IReadOnlyList<long> acknowledged)
    {
        var app = new ConfiguredApp(database, new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        foreach (var id in acknowledged)
        {
            await WaitAppliedAsync(app, id);
        }

        return app;
    }

    [Fact]
    public async Task Readings_GetTheirMonthsPartition_AndRetentionDropsWhatIsOlderThanTwoYears_MonthByMonth()
    {
        await using var app = new ConfiguredApp(await NewDatabaseAsync(), new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -60), Point("P1")));
        await ApplyAsync(app, mine, Cdss(mine, Now(app, -30), ("P1", 1.2, PointStatus.Alarm)));             // June 2026, an alarm
        app.Clock.Advance(TimeSpan.FromDays(30));
        await ApplyAsync(app, mine, Cdss(mine, Now(app, -30), ("P1", 0.2, PointStatus.Normal)));            // July
        app.Clock.Advance(TimeSpan.FromDays(36));
        await ApplyAsync(app, mine, Cdss(mine, Now(app, -30), ("P1", 0.2, PointStatus.Normal)));            // August 20
        if (postgres)
        {
            var partitions = await Partitions(app);
            Assert.Contains("readings_p202606", partitions);
            Assert.Contains("readings_p202608", partitions); // made when its first reading came
            Assert.Equal(1, await app.WithDbAsync(db => db.Database.SqlQueryRaw<int>("SELECT COUNT(*)::int AS \"Value\" FROM readings_p202608").SingleAsync()));
        }

        var archive = app.Services.GetRequiredService<FeedArchive>();
        Assert.True(Directory.Exists(Path.Combine(archive.Root, "202606")));

        // Two years and a little later: June and July are older than the 730 days, August is not yet.
        app.Clock.Set(new DateTimeOffset(2028, 8, 14, 2, 0, 0, TimeSpan.Zero));
        var report = await app.Services.GetRequiredService<RetentionService>().RunAsync(CancellationToken.None);
        Assert.Equal(new DateTime(2026, 8, 15, 2, 0, 0, DateTimeKind.Utc), report.Cutoff);
        var left = await app.WithDbAsync(db => db.Set<Reading>().Where(r => r.MineId == mine.Id).Select(r => r.DataTime).ToListAsync());
        Assert.Equal([8], left.Select(t => t.Month));
        Assert.False(Directory.Exists(Path.Combine(archive.Root, "202606")));
        Assert.False(Directory.Exists(Path.Combine(archive.Root, "202607")));
        Assert.True(Directory.Exists(Path.Combine(archive.Root, "202608")));
        Assert.True(report.FileRecordsDeleted >= 3);
        if (postgres)
        {
            Assert.Equal(2, report.PartitionsDropped);
            var partitions = await Partitions(app);
            Assert.DoesNotContain("readings_p202606", partitions);
            Assert.DoesNotContain("readings_p202607", partitions);
            Assert.Contains("readings_p202608", partitions);
        }
        else
        {
            Assert.Equal(2, report.ReadingsDeleted);
        }

        // Alarms are the regulator's ledger and outlive the readings.
        Assert.Contains(await AlarmsAsync(app, mine.Id), a => a.Type == AlarmType.OverLimit);
    }

    [Fact]
    public async Task AcknowledgedFiles_NotYetApplied_AreAppliedExactlyOnce_ByTheNextStart()
    {
        var database = await NewDatabaseAsync();
        TestMine mine;
        List<long> acknowledged;
        await using (var first = await ApplierOffAsync(database))
        {
            mine = await NewMineAsync(first);
            acknowledged = await AcknowledgeAsync(first,
            [
                (mine, Cddy(mine, Now(first, -300), Point("P1"), Point("P2"))),
                (mine, Cdss(mine, Now(first, -240), ("P1", 0.2, PointStatus.Normal), ("P2", 0.3, PointStatus.Normal))),
                (mine, Cdss(mine, Now(first, -210), ("P1", 1.2, PointStatus.Alarm), ("P2", 0.3, PointStatus.Normal))),
                (mine, Cdss(mine, Now(first, -180), ("P1", 1.3, PointStatus.Alarm), ("P2", 0.3, PointStatus.Normal))),
            ]);

            await Task.Delay(500);
            Assert.Equal(0, await ReadingCountAsync(first, mine.Id));
            Assert.All(await first.WithDbAsync(db => db.Set<FeedUpload>().Where(f => acknowledged.Contains(f.Id)).Select(f => f.Status).ToListAsync()),
                s => Assert.Equal(FeedStatus.Accepted, s));
        }

        // The process is gone; the next one applies what it had acknowledged, from the archive, once.
        await using var second = await StartAndApplyAsync(database, acknowledged);

        var readings = await second.WithDbAsync(db => db.Set<Reading>().Where(r => r.MineId == mine.Id).ToListAsync());
        Assert.Equal(6, readings.Count);
        Assert.Equal(6, readings.Select(r => (r.PointId, r.DataTime)).Distinct().Count());
        Assert.Equal(acknowledged.Skip(1).Order(), readings.Select(r => r.FileId).Distinct().Order());
        var alarm = Assert.Single(await AlarmsAsync(second, mine.Id));
        Assert.Equal(2, alarm.Count);

        // Sending one again now is a duplicate, not a second application.
        var again = Cdss(mine, Now(second, -180), ("P1", 1.3, PointStatus.Alarm), ("P2", 0.3, PointStatus.Normal));
        Assert.Equal(HttpStatusCode.OK, (await PutAsync(second, again.Name, again.Bytes, mine.Key)).StatusCode);
        await Task.Delay(300);
        Assert.Equal(6, await ReadingCountAsync(second, mine.Id));
    }

    [Fact]
    public async Task OneBatch_WithDefinitionsBetweenReadings_IsAppliedInFileOrder()
    {
        // Everything acknowledged while no applier runs is one batch for the next start: readings of mine A, mine B's
        // definitions, then readings of B and of A again. On PostgreSQL the readings stream into COPYs as they are judged;
        // B's definitions come between two of them, and each file is judged in its order.
        var database = await NewDatabaseAsync();
        TestMine a, b;
        List<long> acknowledged;
        await using (var first = await ApplierOffAsync(database))
        {
            (a, b) = (await NewMineAsync(first), await NewMineAsync(first));
            acknowledged = await AcknowledgeAsync(first,
            [
                (a, Cddy(a, Now(first, -300), Point("P1"))),
                (a, Cdss(a, Now(first, -240), ("P1", 1.2, PointStatus.Alarm))),
                (b, Cddy(b, Now(first, -230), Point("Q1"), Point("Q2"))),
                (b, Cdss(b, Now(first, -220), ("Q1", 1.4, PointStatus.Alarm), ("Q2", 0.2, PointStatus.Normal))),
                (a, Cdss(a, Now(first, -210), ("P1", 0.2, PointStatus.Normal))),
            ]);
        }

        await using var second = await StartAndApplyAsync(database, acknowledged);

        Assert.Equal(1, second.Services.GetRequiredService<IntakeStats>().Batches);
        Assert.Equal(2, await ReadingCountAsync(second, a.Id));
        Assert.Equal(2, await ReadingCountAsync(second, b.Id));
        var alarmA = Assert.Single(await AlarmsAsync(second, a.Id), x => x.Type == AlarmType.OverLimit);
        Assert.Equal(AlarmState.Cleared, alarmA.State); // raised by the first file, cleared by the last
        var alarmB = Assert.Single(await AlarmsAsync(second, b.Id), x => x.Type == AlarmType.OverLimit);
        Assert.Equal(AlarmState.Active, alarmB.State);
        Assert.Equal(1.4, alarmB.MaxValue);
        var readingsB = await second.WithDbAsync(db => db.Set<Reading>().Where(r => r.MineId == b.Id).Select(r => r.FileId).ToListAsync());
        Assert.All(readingsB, f => Assert.Equal(acknowledged[3], f));
    }

    [Fact]
    public async Task OneBatch_WhereTheFirstMineHasNoReadingsYet_StoresEveryMinesFeedStatus()
    {
        // The batch's feed-status rows are written in one statement, a column per array; the first mine's row has no
        // CDSS time (only its definitions came), the second's has one. A demo start on PostgreSQL failed exactly so
        // ("Cannot write DateTime with Kind=UTC to PostgreSQL type 'timestamp without time zone'"): the array's type was
        // guessed from its first element, a null.
        var database = await NewDatabaseAsync();
        TestMine a, b;
        List<long> acknowledged;
        DateTimeOffset readingsAt;
        await using (var first = await ApplierOffAsync(database))
        {
            (a, b) = (await NewMineAsync(first), await NewMineAsync(first));
            readingsAt = Now(first, -220);
            acknowledged = await AcknowledgeAsync(first,
            [
                (a, Cddy(a, Now(first, -300), Point("P1"))),
                (b, Cddy(b, Now(first, -230), Point("Q1"))),
                (b, Cdss(b, readingsAt, ("Q1", 0.2, PointStatus.Normal))),
            ]);
        }

        await using var second = await StartAndApplyAsync(database, acknowledged);

        Assert.Equal(1, second.Services.GetRequiredService<IntakeStats>().Batches);
        Assert.Equal(1, await ReadingCountAsync(second, b.Id));
        var statuses = await second.WithDbAsync(db => db.Set<MineFeedStatus>().AsNoTracking().Where(s => s.MineId == a.Id || s.MineId == b.Id).ToDictionaryAsync(s => s.MineId));
        Assert.Null(statuses[a.Id].LastCdssFileTime);
        Assert.NotNull(statuses[a.Id].LastCddyAt);
        Assert.Equal(readingsAt.UtcDateTime, AsUtc(statuses[b.Id].LastCdssFileTime));
    }

    /// <summary>A time as read back: SQLite gives it without a kind, PostgreSQL as UTC; both hold UTC.</summary>
    private static DateTime? AsUtc(DateTime? value) => value is { } v ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;

    [Fact]
    public async Task ReadingCopy_ThatPostgresRefuses_ThrowsItsError_AndLeavesTheConnectionUsable()
    {
        if (!postgres)
        {
            return; // the streamed COPY is PostgreSQL's
        }

        await using var app = new ConfiguredApp(await NewDatabaseAsync(), new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        var noPartition = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc); // no monthly partition holds it
        await app.WithDbAsync(async db =>
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            await db.Database.OpenConnectionAsync();
            await using (var transaction = await db.Database.BeginTransactionAsync())
            {
                var error = await Assert.ThrowsAsync<PostgresException>(() => ReadingWriter.CopyAsync(connection, [new(1, 2, noPartition, 0.5, 0, "530302101", null, 3)], CancellationToken.None));
                Assert.Equal(PostgresErrorCodes.CheckViolation, error.SqlState); // "no partition of relation … found for row"
                await transaction.RollbackAsync();
            }

            await using var command = new NpgsqlCommand("SELECT 1", connection);
            Assert.Equal(1, await command.ExecuteScalarAsync());
            return 0;
        });
    }

    [Fact]
    public async Task ReadingWriter_StoresEveryColumnAsGiven_NullsTooAndTimesToTheDatabasesPrecision()
    {
        await using var app = new ConfiguredApp(await NewDatabaseAsync(), new Dictionary<string, string>(), ownsDatabase: true);
        await app.InitializeAsync();
        var at = new DateTime(2026, 6, 15, 3, 4, 5, DateTimeKind.Utc).AddTicks(1_234_567); // 0.1234567 s: PostgreSQL keeps microseconds
        ReadingRow[] rows =
        [
            new(11, 21, at, 0.37, 0, "530302101", 31, 987_654_321),
            new(11, 22, at.AddSeconds(30), null, 128, "530302101", null, 987_654_321),
            new(12, 23, at.AddDays(-3), -1.5e-7, 255, "53", 32, 987_654_321),
            new(12, 24, at.AddDays(-3), double.MaxValue, 6, "530302101001", 33, 987_654_321),
        ];
        await app.WithDbAsync(async db =>
        {
            if (db.IsPostgres)
            {
                await app.Services.GetRequiredService<ReadingPartitions>().EnsureAsync(db, rows.Select(r => r.DataTime), CancellationToken.None);
            }

            await using var transaction = await db.Database.BeginTransactionAsync();
            await ReadingWriter.WriteAsync(db, rows, CancellationToken.None);
            await transaction.CommitAsync();
            return 0;
        });

        var stored = await app.WithDbAsync(db => db.Set<Reading>().AsNoTracking().Where(r => r.FileId == 987_654_321).OrderBy(r => r.PointId).ToListAsync());
        var precision = postgres ? 10 : 1; // ticks
        Assert.Equal(rows.Select(r => (r.MineId, r.PointId, r.DataTime.Ticks / precision * precision, r.Value, r.Status, r.RegionCode, r.EnterpriseId, r.FileId)),
            stored.Select(r => (r.MineId, r.PointId, r.DataTime.Ticks, r.Value, r.Status, r.RegionCode, r.EnterpriseId, r.FileId)));
    }

    private static Task<List<string>> Partitions(AppFixture app) => app.WithDbAsync(db => db.Database.SqlQueryRaw<string>(
        "SELECT c.relname AS \"Value\" FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = 'readings'").ToListAsync());
}

public sealed class ReadingStorageTestsSqlite() : ReadingStorageTests(postgres: false);

public sealed class ReadingStorageTestsPostgres() : ReadingStorageTests(postgres: true);
