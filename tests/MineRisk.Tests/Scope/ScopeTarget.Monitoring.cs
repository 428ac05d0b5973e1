using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Scope;

/// <summary>Monitoring items of a target jurisdiction: a point, an open alarm, a refused file, an upload key (on the target's mine).</summary>
public sealed partial class ScopeTarget
{
    public long AlarmId { get; private set; }

    /// <summary>Text only the target's alarm carries.</summary>
    public string AlarmMarker { get; private set; } = "";

    public string PointMarker { get; private set; } = "";

    public string FileMarker { get; private set; } = "";

    public long UploadKeyId { get; private set; }

    /// <summary>Sends the target's alarm to the live stream (for the stream case: an event must reach the owner, never the others).</summary>
    public Action PublishAlarm { get; private set; } = () => { };

    private async Task CreateMonitoringAsync(IServiceProvider services)
    {
        // Runs after the mine of this jurisdiction exists (see ScopeTarget.Mines.cs).
        var db = services.GetRequiredService<AppDbContext>();
        var clock = services.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var tag = Guid.NewGuid().ToString("N")[..6];
        var mine = await db.Set<Mine>().Where(m => m.Id == MineId).Select(m => new MineRef(m.Id, m.Code, m.Name, m.RegionCode, m.EnterpriseId)).SingleAsync();
        AlarmMarker = $"{Name}范围测试报警{tag}";
        PointMarker = $"{Name}测点{tag}";
        FileMarker = $"{Name}拒收原因{tag}";
        db.Add(new MonitoringPoint { MineId = MineId, RegionCode = RegionCode, EnterpriseId = mine.EnterpriseId, Code = PointMarker, Location = PointMarker, SensorType = "甲烷", Unit = "%CH4" });
        db.Add(new MineFeedStatus { MineId = MineId, RegionCode = RegionCode, EnterpriseId = mine.EnterpriseId, LastCdssAt = now });
        db.Add(new FeedUpload
        {
            MineId = MineId, RegionCode = RegionCode, EnterpriseId = mine.EnterpriseId, FileName = $"{MineCode}_CDSS_20260615100000.txt",
            Status = FeedStatus.Rejected, Reason = FileMarker, ReceivedAt = now,
        });
        var key = new UploadKey
        {
            MineId = MineId, RegionCode = RegionCode, EnterpriseId = mine.EnterpriseId, KeyId = tag + "0000000000"[..10],
            SecretHash = Convert.ToHexStringLower(SHA256.HashData(RandomNumberGenerator.GetBytes(32))), CreatedAt = now, CreatedByName = Owner,
        };
        db.Add(key);
        var alarm = Alarm.Raise(mine, AlarmType.OverLimit, AlarmSource.Platform, PointMarker, PointMarker, null, AlarmMarker, "%CH4", 1.0, 1.3, now, now);
        db.Add(alarm);
        await db.SaveChangesAsync();
        (AlarmId, UploadKeyId) = (alarm.Id, key.Id);
        var hub = services.GetRequiredService<AlarmHub>();
        PublishAlarm = () => hub.Publish([AlarmEvent.Of(AlarmEvent.Raised, alarm, mine.Name, now)]);
    }

    /// <summary>The alarm is still open, unacknowledged, undisposed and no hazard (a refused write changed nothing).</summary>
    public static async Task AlarmUntouchedAsync(Infrastructure.AppFixture app, ScopeTarget t)
    {
        var state = await app.WithDbAsync(db => db.Set<Alarm>().Where(a => a.Id == t.AlarmId).Select(a => new { a.State, a.Cause, a.HazardId }).SingleAsync());
        Assert.Equal(AlarmState.Active, state.State);
        Assert.Null(state.Cause);
        Assert.Null(state.HazardId);
        Assert.False(await app.WithDbAsync(db => db.Set<Web.Features.Hazards.Hazard>().AnyAsync(h => h.MineId == t.MineId && h.Source == Web.Features.Hazards.HazardSource.Monitoring)));
    }

    /// <summary>The mine still has exactly its one, unrevoked key.</summary>
    public static async Task KeysUntouchedAsync(Infrastructure.AppFixture app, ScopeTarget t)
    {
        var keys = await app.WithDbAsync(db => db.Set<UploadKey>().Where(k => k.MineId == t.MineId).Select(k => new { k.Id, k.RevokedAt }).ToListAsync());
        var key = Assert.Single(keys);
        Assert.Equal(t.UploadKeyId, key.Id);
        Assert.Null(key.RevokedAt);
    }
}
