namespace MineRisk.Web.Features.Monitoring;

/// <summary>Configuration section <c>Monitoring</c> (README lists the keys).</summary>
public sealed class MonitoringOptions
{
    /// <summary>Whether the inbox folder <c>{Data:Directory}/inbox/</c> is watched.</summary>
    public bool InboxEnabled { get; set; } = true;

    public TimeSpan InboxPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A file in the inbox without its closing <c>||</c> is waited for this long (an FTP upload in progress), then rejected.</summary>
    public TimeSpan IncompleteWait { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Larger uploads are refused without being read to the end.</summary>
    public long MaxFileBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>How far a header 上传时间 or a reading's 数据时间 may be ahead of the server clock (clock skew).</summary>
    public TimeSpan FutureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A point or a whole mine silent this long is 断线.</summary>
    public TimeSpan SilentAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often silence and 领导带班 are checked.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Shift starts in China time (三班制 by default); 领导带班 is judged per shift.</summary>
    public List<TimeSpan> Shifts { get; set; } = [];

    /// <summary>How long into a shift with people underground a mine leader must have gone down.</summary>
    public TimeSpan LeaderGrace { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Readings and archived files are kept this long (规程 第526条: 2 years), then dropped month by month.</summary>
    public int RetentionDays { get; set; } = 730;

    /// <summary>How often retention runs.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Group commits intake runs side by side (a mine's files always share one); each waits on disk flushes most of its time.</summary>
    public int IntakeLanes { get; set; } = 2;

    /// <summary>
    /// The applier's batch: at most this many readings per transaction. A batch is what is waiting, so at a steady rate it
    /// is small (a few files) and the cap matters only when a backlog drains: fewer, larger transactions then (20,000
    /// before 2026-12-07; the throughput bench's batches grew from 18,700 to about 30,000 readings, docs/PERFORMANCE.md).
    /// </summary>
    public int ApplyBatchReadings { get; set; } = 60_000;

    /// <summary>Acknowledged readings waiting to be applied beyond which intake answers 503 (back-pressure, nothing lost).</summary>
    public int MaxPendingReadings { get; set; } = 2_000_000;

    /// <summary>Whether the feed applier (and alarm engine) runs in this instance.</summary>
    public bool ApplierEnabled { get; set; } = true;

    public SimulatorOptions Simulator { get; set; } = new();

    public static List<TimeSpan> DefaultShifts() => [TimeSpan.Zero, TimeSpan.FromHours(8), TimeSpan.FromHours(16)];
}

/// <summary>The small feed simulator of the demo (<c>Monitoring:Simulator</c>): keeps the monitoring pages alive.</summary>
public sealed class SimulatorOptions
{
    public bool Enabled { get; set; }

    /// <summary>How many mines send (the producing ones of the demo data, at most this many).</summary>
    public int Mines { get; set; } = 40;

    public int PointsPerMine { get; set; } = 12;

    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gas events (a slow rise above the alarm threshold) per point and hour; the demo shows some alarms.</summary>
    public double EventsPerPointHour { get; set; } = 0.01;

    /// <summary>How much history to fill on the first start, so the sparklines are not empty.</summary>
    public TimeSpan Backfill { get; set; } = TimeSpan.FromHours(1);

    public int Seed { get; set; } = 20261122;
}
