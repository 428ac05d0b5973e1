using System.Net;
using Microsoft.EntityFrameworkCore;
using MineRisk.Feeds;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring;
using static MineRisk.Tests.Features.Monitoring.MonitoringKit;

namespace MineRisk.Tests.Features.Monitoring;

/// <summary>
/// CDDY and RYXX are applied set-based (one upsert per file, not a tracked entity per row): every column as the definition
/// says, the law's row and the looseness flag as <see cref="LawThresholds"/> decides, existing points and people updated in
/// place, dropped points inactive, and the alarm engine judging by the new thresholds at once — also when definitions and
/// readings of a mine are applied in one batch.
/// </summary>
public abstract class DefinitionApplyTests(AppFixture app)
{
    private static readonly CddyPoint[] Varied =
    [
        new()
        {
            PointCode = "A1", SystemCode = "07", SubstationCode = "12", SensorType = "甲烷", ValueKind = PointValueKind.Analog, Unit = "%CH4", RangeHigh = 4, RangeLow = 0.01,
            UpperAlarm = 0.8, UpperAlarmClear = 0.7, LowerAlarm = 0.02, LowerAlarmClear = 0.03, UpperPowerOff = 1.2, UpperPowerRestore = 0.6, LowerPowerOff = 0.001,
            LowerPowerRestore = 0.002, OnDescription = "开", OffDescription = "停", Location = "1301综采工作面回风隅角", X = 1, Y = 2, Z = 3, Relation = "F01", DataTime = DateTimeOffset.UnixEpoch,
        },
        Point("R1", location: "北翼总回风巷", alarm: 1.0, powerOff: null, restore: null),                              // looser than the law's 0.75 %
        Point("D1", location: "1305掘进工作面", alarm: null, powerOff: null, restore: null),                           // none: the law's are the default
        Point("C1", sensor: "一氧化碳", unit: "ppm", location: "东一采区回风巷", alarm: 24, powerOff: null, restore: null), // ppm, as strict as the law
        Point("T1", sensor: "温度", unit: "℃", location: "1301综采工作面", alarm: 30, powerOff: null, restore: null),    // no row of the gas table
        new()
        {
            PointCode = "K1", SensorType = "馈电状态", ValueKind = PointValueKind.Switch, OnDescription = "有电", OffDescription = "无电", Location = "1302掘进工作面动力电源",
            DataTime = DateTimeOffset.UnixEpoch,
        },
    ];

    [Fact]
    public async Task Cddy_StoresEveryColumnOfEachPoint_WithTheLawsRowAndLooseness()
    {
        var mine = await NewMineAsync(app);
        var at = Now(app, -600);
        await ApplyAsync(app, mine, Cddy(mine, at, Varied));

        var stored = await PointsAsync(mine);
        var entry = await app.Services.GetRequiredService<MineDirectory>().FindAsync(mine.Code, CancellationToken.None);
        var enterprise = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.Id == mine.Id).Select(m => m.EnterpriseId).SingleAsync());
        Assert.Equal(Varied.Select(p => p.PointCode).Order(), stored.Keys.Order());
        foreach (var d in Varied)
        {
            var p = stored[d.PointCode];
            Assert.Equal((mine.Id, mine.RegionCode, enterprise), (p.MineId, p.RegionCode, p.EnterpriseId));
            Assert.Equal((d.SystemCode, d.SubstationCode, d.SensorType, d.ValueKind, d.Unit), (p.SystemCode, p.SubstationCode, p.SensorType, p.ValueKind, p.Unit));
            Assert.Equal((d.RangeHigh, d.RangeLow), (p.RangeHigh, p.RangeLow));
            Assert.Equal((d.UpperAlarm, d.UpperAlarmClear, d.LowerAlarm, d.LowerAlarmClear), (p.UpperAlarm, p.UpperAlarmClear, p.LowerAlarm, p.LowerAlarmClear));
            Assert.Equal((d.UpperPowerOff, d.UpperPowerRestore, d.LowerPowerOff, d.LowerPowerRestore), (p.UpperPowerOff, p.UpperPowerRestore, p.LowerPowerOff, p.LowerPowerRestore));
            Assert.Equal((d.OnDescription, d.OffDescription, d.Location), (p.OnDescription, p.OffDescription, p.Location));
            Assert.Equal(at.UtcDateTime, p.DefinedAt);
            Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, p.UpdatedAt, TimeSpan.FromSeconds(1));
            Assert.True(p.Active);

            // The law's row and the looseness, as the check itself decides for this point.
            var law = d.ValueKind == PointValueKind.Analog ? LawThresholds.Check(d.SensorType, d.Unit, d.Location, d.UpperAlarm, d.UpperPowerOff, d.UpperPowerRestore, entry) : null;
            Assert.Equal((law?.Row.Location, law?.Alarm, law?.PowerOff, law?.Restore, law?.LooseNote), (p.LawLocation, p.LawAlarm, p.LawPowerOff, p.LawRestore, p.LooseNote));
        }

        // The expectations the check must meet, spelled out for the points that matter.
        Assert.Equal("总回风巷", stored["R1"].LawLocation);
        Assert.Contains("上限报警值 1%CH4 高于规程的 0.75%CH4", stored["R1"].LooseNote);
        Assert.Equal((1.0, 1.5), (stored["D1"].LawAlarm!.Value, stored["D1"].LawPowerOff!.Value));
        Assert.Contains("未设上限报警值", stored["D1"].LooseNote);
        Assert.Equal(24, stored["C1"].LawAlarm);
        Assert.Null(stored["C1"].LooseNote);
        Assert.Null(stored["T1"].LawLocation);
        Assert.Null(stored["K1"].LawLocation);
        Assert.Null(stored["A1"].LooseNote);

        var loose = (await AlarmsAsync(app, mine.Id)).Where(a => a.Type == AlarmType.LooseThreshold).ToDictionary(a => a.SubjectKey);
        Assert.Equal(["D1", "R1"], loose.Keys.Order());
        Assert.Equal(stored["R1"].Id, loose["R1"].PointId);
        Assert.Equal(at.UtcDateTime, loose["R1"].StartedAt);
    }

    [Fact]
    public async Task ACddyThatChangesExistingPoints_UpdatesThemInPlace_DeactivatesTheDropped_AndTheEngineJudgesByTheNewThresholds()
    {
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -600),
            Point("P1", alarm: 1.0, powerOff: 1.5), Point("P2", alarm: 1.0), Point("P3", location: "北翼总回风巷", alarm: 1.0, powerOff: null, restore: null)));
        await ApplyAsync(app, mine, Cdss(mine, Now(app, -500), ("P1", 0.9, PointStatus.Normal), ("P2", 0.2, PointStatus.Normal), ("P3", 0.2, PointStatus.Normal)));
        var first = await PointsAsync(mine);
        Assert.Equal(AlarmState.Active, Assert.Single(await AlarmsAsync(app, mine.Id), a => a.Type == AlarmType.LooseThreshold).State);

        // P1 stricter and moved, P2 as it was, P3 dropped, P4 new.
        var at = Now(app, -400);
        await ApplyAsync(app, mine, Cddy(mine, at,
            Point("P1", location: "1303综采工作面回风隅角", alarm: 0.8, alarmClear: 0.7, powerOff: 1.2), Point("P2", alarm: 1.0), Point("P4", alarm: 1.0)));
        var second = await PointsAsync(mine);
        Assert.Equal(["P1", "P2", "P3", "P4"], second.Keys.Order());
        Assert.Equal((first["P1"].Id, first["P2"].Id, first["P3"].Id), (second["P1"].Id, second["P2"].Id, second["P3"].Id));
        Assert.Equal((0.8, 0.7, 1.2, "1303综采工作面回风隅角"), (second["P1"].UpperAlarm!.Value, second["P1"].UpperAlarmClear!.Value, second["P1"].UpperPowerOff!.Value, second["P1"].Location));
        Assert.Equal(at.UtcDateTime, second["P2"].DefinedAt);
        Assert.Equal((true, true, false, true), (second["P1"].Active, second["P2"].Active, second["P3"].Active, second["P4"].Active));
        Assert.Equal(1.0, second["P3"].UpperAlarm); // a dropped point keeps its last definition
        var looseCleared = Assert.Single(await AlarmsAsync(app, mine.Id), a => a.Type == AlarmType.LooseThreshold);
        Assert.Equal((AlarmState.Cleared, "测点已撤销"), (looseCleared.State, looseCleared.ClearNote));

        // 0.9 was below the old 1.0 and is above the new 0.8; the new point is judged; the dropped point's readings are still stored.
        await ApplyAsync(app, mine, Cdss(mine, Now(app, -300), ("P1", 0.9, PointStatus.Alarm), ("P2", 0.2, PointStatus.Normal), ("P4", 1.1, PointStatus.Alarm), ("P3", 0.2, PointStatus.Normal)));
        var over = (await AlarmsAsync(app, mine.Id)).Where(a => a.Type == AlarmType.OverLimit).ToDictionary(a => a.SubjectKey);
        Assert.Equal(["P1", "P4"], over.Keys.Order());
        Assert.Equal(0.8, over["P1"].Threshold);
        Assert.Equal(second["P4"].Id, over["P4"].PointId);
        Assert.Equal(7, await ReadingCountAsync(app, mine.Id));

        // The same CDDY again under a new name changes nothing but the times.
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -200),
            Point("P1", location: "1303综采工作面回风隅角", alarm: 0.8, alarmClear: 0.7, powerOff: 1.2), Point("P2", alarm: 1.0), Point("P4", alarm: 1.0)));
        var third = await PointsAsync(mine);
        Assert.Equal(second.Values.Select(p => (p.Id, p.Code, p.UpperAlarm, p.Active)).OrderBy(p => p.Id), third.Values.Select(p => (p.Id, p.Code, p.UpperAlarm, p.Active)).OrderBy(p => p.Id));
        Assert.Equal(AlarmState.Active, (await AlarmsAsync(app, mine.Id)).Single(a => a.Type == AlarmType.OverLimit && a.SubjectKey == "P1").State);
    }

    [Fact]
    public async Task Ryxx_AddsAndUpdatesPeopleInPlace_AndTheLeadersFollowTheLatestFile()
    {
        var mine = await NewMineAsync(app);
        await ApplyAsync(app, mine, Build(mine, FeedType.Ryxx, Now(app, -600), FeedFormats.Ryxx,
        [
            new RyxxPerson { CardNumber = "L1", Name = "王矿长", Position = "矿长", Team = "矿领导", IsMineLeader = true },
            new RyxxPerson { CardNumber = "W1", Name = "李四", WorkType = "采煤工", Team = "采1队", IsSpecialWorker = false },
        ]));
        var before = await PeopleAsync(mine);
        await ApplyAsync(app, mine, Build(mine, FeedType.Ryxx, Now(app, -500), FeedFormats.Ryxx,
        [
            new RyxxPerson { CardNumber = "L1", Name = "王矿长", Position = "调研员", Team = "机关", IsMineLeader = false },
            new RyxxPerson { CardNumber = "W2", Name = "赵总工", WorkType = "管理人员", Position = "总工程师", Team = "矿领导", IsMineLeader = true, IsSpecialWorker = true },
        ]));
        var after = await PeopleAsync(mine);
        Assert.Equal(["L1", "W1", "W2"], after.Keys.Order()); // people not in the file stay
        Assert.Equal(before["L1"].Id, after["L1"].Id);
        Assert.Equal(("调研员", "机关", false), (after["L1"].Position, after["L1"].Team, after["L1"].IsLeader));
        Assert.Equal(("赵总工", "管理人员", "总工程师", true, true), (after["W2"].Name, after["W2"].WorkType, after["W2"].Position, after["W2"].IsLeader, after["W2"].IsSpecialWorker));
        Assert.Equal(("李四", "采煤工"), (after["W1"].Name, after["W1"].WorkType));

        // Underground: L1 (no longer a leader) and W2 (a leader by the registry, not flagged in the RYSS).
        static RyssPosition Down(string card) => new() { CardNumber = card, Name = card, InOutFlag = 0, InTime = DateTimeOffset.UnixEpoch.AddYears(56), AreaCode = "A" };
        await ApplyAsync(app, mine, Build(mine, FeedType.Ryss, Now(app, -400), FeedFormats.Ryss, [Down("L1"), Down("W2")]));
        var status = await app.WithDbAsync(db => db.Set<MineFeedStatus>().SingleAsync(s => s.MineId == mine.Id));
        Assert.Equal((2, "W2"), (status.PeopleUnderground, status.LeadersUnderground));
    }

    private Task<Dictionary<string, MonitoringPoint>> PointsAsync(TestMine mine) =>
        app.WithDbAsync(db => db.Set<MonitoringPoint>().AsNoTracking().Where(p => p.MineId == mine.Id).ToDictionaryAsync(p => p.Code));

    private Task<Dictionary<string, MinePerson>> PeopleAsync(TestMine mine) =>
        app.WithDbAsync(db => db.Set<MinePerson>().AsNoTracking().Where(p => p.MineId == mine.Id).ToDictionaryAsync(p => p.CardNumber));
}

public sealed class DefinitionApplyTestsSqlite(SqliteApp app) : DefinitionApplyTests(app), IClassFixture<SqliteApp>;

public sealed class DefinitionApplyTestsPostgres(PostgresApp app) : DefinitionApplyTests(app), IClassFixture<PostgresApp>;

/// <summary>Definitions and readings of one mine applied in one batch (acknowledged by a process that did not apply them).</summary>
public abstract class DefinitionBatchTests(bool postgres)
{
    [Fact]
    public async Task DefinitionsAndReadingsInOneBatch_AreAppliedInFileOrder_WithTheThresholdsInForceAtEachFile()
    {
        var database = postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite();
        TestMine mine;
        var files = new List<long>();
        await using (var first = new ConfiguredApp(database, new Dictionary<string, string> { ["Monitoring:ApplierEnabled"] = "false" }, ownsDatabase: false))
        {
            await first.InitializeAsync();
            mine = await NewMineAsync(first);
            foreach (var file in new[]
                     {
                         Cddy(mine, Now(first, -300), Point("P1", alarm: 1.0, alarmClear: 1.0), Point("P2", alarm: 1.0)),
                         Cdss(mine, Now(first, -270), ("P1", 0.9, PointStatus.Normal), ("P2", 0.9, PointStatus.Normal)),   // below 1.0: nothing
                         Cddy(mine, Now(first, -240), Point("P1", alarm: 0.8, alarmClear: 0.8), Point("P3", alarm: 1.0)),  // P2 dropped
                         Cdss(mine, Now(first, -210), ("P1", 0.9, PointStatus.Alarm), ("P2", 1.2, PointStatus.Alarm), ("P3", 0.1, PointStatus.Normal)),
                     })
            {
                files.Add((await HttpAssert.JsonAsync(await PutAsync(first, file.Name, file.Bytes, mine.Key), HttpStatusCode.Accepted)).GetProperty("fileId").GetInt64());
            }
        }

        await using var second = new ConfiguredApp(database, new Dictionary<string, string>(), ownsDatabase: true);
        await second.InitializeAsync();
        foreach (var id in files)
        {
            await WaitAppliedAsync(second, id);
        }

        var points = await second.WithDbAsync(db => db.Set<MonitoringPoint>().AsNoTracking().Where(p => p.MineId == mine.Id).ToDictionaryAsync(p => p.Code));
        Assert.Equal((0.8, true, false, true), (points["P1"].UpperAlarm!.Value, points["P1"].Active, points["P2"].Active, points["P3"].Active));
        var over = (await AlarmsAsync(second, mine.Id)).Where(a => a.Type == AlarmType.OverLimit).ToDictionary(a => a.SubjectKey);
        Assert.Equal(["P1", "P2"], over.Keys.Order()); // P2 is inactive but still judged by its last definition
        Assert.Equal(0.8, over["P1"].Threshold);
        Assert.Equal(5, await ReadingCountAsync(second, mine.Id));
        Assert.Equal(files.Count, await second.WithDbAsync(db => db.Set<FeedUpload>().CountAsync(f => files.Contains(f.Id) && f.Status == FeedStatus.Applied)));
    }
}

public sealed class DefinitionBatchTestsSqlite() : DefinitionBatchTests(postgres: false);

public sealed class DefinitionBatchTestsPostgres() : DefinitionBatchTests(postgres: true);
