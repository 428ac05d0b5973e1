using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Feeds;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring;

namespace MineRisk.Tests.Features.Monitoring;

/// <summary>A mine made for one test, with its upload key.</summary>
public sealed record TestMine(long Id, string Code, string Name, string Key, string RegionCode);

/// <summary>Builds mines, upload keys and feed files with good defaults, and waits for the applier.</summary>
public static class MonitoringKit
{
    private static int _serial;

    public static async Task<TestMine> NewMineAsync(AppFixture app, string township = "530302101", int? shiftLimit = 100, GasLevel gas = GasLevel.High)
    {
        var serial = Interlocked.Increment(ref _serial);
        var code = township[..6] + (900000 + ((Environment.ProcessId * 131 + serial * 7919) % 99999)).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        var name = $"监测测试煤矿{serial}号{Guid.NewGuid():N}"[..16];
        var id = await app.WithDbAsync(async db =>
        {
            var enterprise = await db.Set<Mine>().Where(m => m.RegionCode.StartsWith(township.Substring(0, 6))).Select(m => m.EnterpriseId).FirstAsync();
            var mine = new Mine
            {
                Code = code, Name = name, EnterpriseId = enterprise, RegionCode = township, Status = MineStatus.Producing, Disposition = Disposition.Retain,
                MiningMethod = MiningMethod.Mechanized, GasLevel = gas, HydroType = HydroType.Medium, Combustion = CombustionTendency.Prone,
                Standardization = StandardizationLevel.Level2, ShiftPersonnelLimit = shiftLimit, Version = 1,
            };
            db.Add(mine);
            await db.SaveChangesAsync();
            return mine.Id;
        });
        var city = await app.ApiAsAsync("city");
        var created = await HttpAssert.JsonAsync(await city.PostAsJsonAsync($"/api/v1/mines/{id}/upload-keys", new { note = "测试" }), HttpStatusCode.Created);
        return new TestMine(id, code, name, created.GetProperty("key").GetString()!, township);
    }

    public static CddyPoint Point(string code, string sensor = "甲烷", string unit = "%CH4", string location = "1301综采工作面回风隅角",
        double? alarm = 1.0, double? alarmClear = null, double? powerOff = 1.5, double? restore = 1.0, double? lowAlarm = null) => new()
    {
        PointCode = code, SystemCode = "01", SubstationCode = "01", SensorType = sensor, ValueKind = PointValueKind.Analog, Unit = unit,
        RangeHigh = 4, RangeLow = 0, UpperAlarm = alarm, UpperAlarmClear = alarmClear ?? alarm, LowerAlarm = lowAlarm, LowerAlarmClear = lowAlarm,
        UpperPowerOff = powerOff, UpperPowerRestore = restore, Location = location, DataTime = DateTimeOffset.UnixEpoch,
    };

    public static (string Name, byte[] Bytes) Cddy(TestMine m, DateTimeOffset at, params CddyPoint[] points) =>
        (FeedFileName.Format(m.Code, FeedType.Cddy, at), FeedFormats.Cddy.WriteToArray(new FeedHeader(m.Code, m.Name, at), points.Select(p => p with { DataTime = at })));

    public static (string Name, byte[] Bytes) Cdss(TestMine m, DateTimeOffset at, params (string Code, double? Value, PointStatus Status)[] readings) =>
        (FeedFileName.Format(m.Code, FeedType.Cdss, at),
            FeedFormats.Cdss.WriteToArray(new FeedHeader(m.Code, m.Name, at), readings.Select(r => new CdssReading(r.Code, "甲烷", "测试位置", r.Value, "%CH4", r.Status, at))));

    public static (string Name, byte[] Bytes) Build<T>(TestMine m, FeedType type, DateTimeOffset at, FeedFormat<T> format, IEnumerable<T> records) =>
        (FeedFileName.Format(m.Code, type, at), format.WriteToArray(new FeedHeader(m.Code, m.Name, at), records));

    public static async Task<HttpResponseMessage> PutAsync(AppFixture app, string name, byte[] bytes, string? key)
    {
        var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/feeds/" + Uri.EscapeDataString(name)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        if (key is not null)
        {
            request.Headers.Add(UploadKeys.Header, key);
        }

        return await client.SendAsync(request);
    }

    /// <summary>Uploads a file that must be accepted (202) and waits until it is applied; returns its id.</summary>
    public static async Task<long> ApplyAsync(AppFixture app, TestMine m, (string Name, byte[] Bytes) file)
    {
        var json = await HttpAssert.JsonAsync(await PutAsync(app, file.Name, file.Bytes, m.Key), HttpStatusCode.Accepted);
        Assert.Equal("accepted", json.GetProperty("status").GetString());
        var id = json.GetProperty("fileId").GetInt64();
        await WaitAppliedAsync(app, id);
        return id;
    }

    public static async Task WaitAppliedAsync(AppFixture app, long fileId, int seconds = 20)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var status = await app.WithDbAsync(db => db.Set<FeedUpload>().Where(f => f.Id == fileId).Select(f => f.Status).SingleAsync());
            if (status == FeedStatus.Applied)
            {
                return;
            }

            Assert.True(status == FeedStatus.Accepted, $"文件 {fileId} 的状态是 {status}");
            Assert.True(DateTime.UtcNow < until, $"文件 {fileId} 在 {seconds} 秒内没有入库");
            await Task.Delay(50);
        }
    }

    public static Task<int> ReadingCountAsync(AppFixture app, long mineId) => app.WithDbAsync(db => db.Set<Reading>().CountAsync(r => r.MineId == mineId));

    public static Task<List<Alarm>> AlarmsAsync(AppFixture app, long mineId) =>
        app.WithDbAsync(db => db.Set<Alarm>().AsNoTracking().Where(a => a.MineId == mineId).OrderBy(a => a.Id).ToListAsync());

    public static Task SweepAsync(AppFixture app) => app.Services.GetRequiredService<FeedApplier>().SweepNowAsync();

    /// <summary>A time of the test clock, whole seconds (file names carry seconds only).</summary>
    public static DateTimeOffset Now(AppFixture app, double plusSeconds = 0)
    {
        var now = app.Clock.GetUtcNow().AddSeconds(plusSeconds);
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero).ToOffset(TimeSpan.FromHours(8));
    }
}
