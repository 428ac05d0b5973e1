using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// The monitoring part of the demo data: a month of past alarms of the producing mines (most disposed, some cleared and waiting
/// for disposal), so the alarm ledger, its filters and its export have content before the simulator has run long. Live data
/// itself comes from <see cref="DemoFeedSimulator"/> through the real intake. Bulk demo data: not audited row by row.
/// </summary>
public sealed class MonitoringDemoSeeder(AppDbContext db, TimeProvider clock) : IDemoSeeder
{
    public int Order => 40;

    public IEnumerable<DemoAccount> AccountsFor(DemoScale scale) => [];

    private static readonly (AlarmType Type, string Subject, string Message, string Cause, string Measures)[] Samples =
    [
        (AlarmType.OverLimit, "1301综采工作面回风隅角", "1301综采工作面回风隅角甲烷 1.12%CH4，达到上限报警值 1%CH4", "采空区瓦斯涌出，隅角风量不足", "加挂风障、调整风量，瓦斯浓度降至 0.6% 后恢复作业"),
        (AlarmType.PowerOff, "1302掘进工作面", "1302掘进工作面甲烷 1.56%CH4，达到断电值 1.5%CH4，应切断掘进巷道内全部非本质安全型电气设备电源", "掘进揭露地质构造带，瓦斯异常涌出", "断电撤人，加强局部通风，瓦斯排放后复电"),
        (AlarmType.MineSilent, "", "已 18 分钟未收到实时监测数据", "中心站至上级网络光缆中断", "更换光缆接头，补传中断期间数据"),
        (AlarmType.Overcrowded, "", "1301综采工作面当前 27 人，超过核定人数 22 人", "交接班重叠，检修人员未按时升井", "责令超员人员升井，修订交接班制度"),
        (AlarmType.LeaderAbsent, "", "夜班有人员下井，开班 60 分钟后仍无矿领导带班下井", "带班矿领导临时外出，未安排替班", "约谈矿长，补排带班计划并上报"),
        (AlarmType.PointSilent, "总回风巷", "总回风巷甲烷 已 12 分钟无数据", "传感器电缆被矿车刮断", "更换电缆，传感器重新标校"),
    ];

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var rnd = context.Random;
        var now = clock.GetUtcNow().UtcDateTime;
        var mines = await db.Set<Mine>().AsNoTracking().Where(m => m.Status == MineStatus.Producing).OrderBy(m => m.Code).Take(40)
            .Select(m => new MineRef(m.Id, m.Code, m.Name, m.RegionCode, m.EnterpriseId)).ToListAsync(ct);
        if (mines.Count == 0)
        {
            return;
        }

        var audit = db.AuditEnabled;
        db.AuditEnabled = false;
        try
        {
            for (var i = 0; i < 60; i++)
            {
                var mine = mines[rnd.Next(mines.Count)];
                var (type, subject, message, cause, measures) = Samples[rnd.Next(Samples.Length)];
                var start = now.AddDays(-1 - (rnd.NextDouble() * 29));
                var alarm = Alarm.Raise(mine, type, AlarmSource.Platform, subject, subject.Length == 0 ? "全矿" : subject, null, message,
                    type is AlarmType.OverLimit or AlarmType.PowerOff ? "%CH4" : "", null, null, start, start);
                alarm.Major = type == AlarmType.PowerOff && rnd.NextDouble() < 0.3;
                var disposed = rnd.NextDouble() < 0.8;
                if (disposed)
                {
                    alarm.Acknowledge(null, "李明华", start.AddMinutes(3));
                }

                alarm.Clear(start.AddMinutes(5 + rnd.Next(40)), null, type == AlarmType.PowerOff ? "复电" : "恢复正常");
                if (disposed)
                {
                    alarm.Dispose(cause, measures, null, "李明华", start.AddHours(2 + rnd.Next(20)));
                }

                db.Add(alarm);
            }

            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.AuditEnabled = audit;
        }

        db.AuditEvent(new Platform.Audit.AuditEvent("生成演示数据", "演示数据：监测报警 60 条", "监测报警"));
        await db.SaveChangesAsync(ct);
    }
}
