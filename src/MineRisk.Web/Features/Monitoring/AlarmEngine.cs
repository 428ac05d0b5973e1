using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Feeds;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using ChinaTime = MineRisk.Web.Platform.ChinaTime;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>A point as the engine judges it: effective thresholds (the CDDY's own, else the law's default) and what is open on it.</summary>
internal sealed class PointState
{
    public const byte OverLimitOpen = 1, PowerOffOpen = 2, SilentOpen = 4, LooseOpen = 8;

    public required long Id { get; init; }

    public required string Code { get; init; }

    public required string Location { get; init; }

    public required string SensorType { get; init; }

    public required string Unit { get; init; }

    public bool Analog { get; init; }

    public bool Active { get; init; }

    public double? Alarm { get; init; }

    public double? AlarmClear { get; init; }

    public double? LowAlarm { get; init; }

    public double? LowAlarmClear { get; init; }

    public double? PowerOff { get; init; }

    public double? Restore { get; init; }

    public string? PowerOffScope { get; init; }

    /// <summary>When a file carrying this point last arrived (断线 is measured against it).</summary>
    public DateTime LastSeen { get; set; }

    /// <summary>The newest 数据时间 judged: older or repeated readings are stored but not judged again.</summary>
    public long LastDataTicks { get; set; }

    public byte Open { get; set; }

    /// <summary>When the CDDY that defined it last was made (UTC): a 阈值宽于规程 alarm is raised or cleared as of then.</summary>
    public DateTime DefinedAt { get; init; }

    /// <summary>The 上限报警 value the CDDY set (null when it left it empty and <see cref="Alarm"/> is the law's).</summary>
    public double? OwnAlarm { get; init; }

    public static PointState From(MonitoringPoint p, DateTime lastSeen, long? id = null)
    {
        var alarm = p.UpperAlarm ?? p.LawAlarm;
        var powerOff = p.UpperPowerOff ?? p.LawPowerOff;
        return new PointState
        {
            Id = id ?? p.Id,
            Code = p.Code,
            Location = p.Location,
            SensorType = p.SensorType,
            Unit = p.Unit,
            Analog = p.ValueKind == PointValueKind.Analog,
            Active = p.Active,
            Alarm = alarm,
            AlarmClear = p.UpperAlarm is not null ? p.UpperAlarmClear ?? alarm : alarm,
            LowAlarm = p.LowerAlarm,
            LowAlarmClear = p.LowerAlarmClear ?? p.LowerAlarm,
            PowerOff = powerOff,
            Restore = p.UpperPowerOff is not null ? p.UpperPowerRestore ?? powerOff : p.LawRestore ?? powerOff,
            PowerOffScope = p.LawLocation is { } law ? LawThresholds.Rows.FirstOrDefault(r => r.Location == law)?.PowerOffScope : null,
            DefinedAt = p.DefinedAt,
            OwnAlarm = p.UpperAlarm,
            LastSeen = lastSeen,
        };
    }

    /// <summary>The same point, no longer in the mine's latest CDDY (its readings are still stored and judged).</summary>
    public PointState Deactivated() => new()
    {
        Id = Id, Code = Code, Location = Location, SensorType = SensorType, Unit = Unit, Analog = Analog, Active = false, Alarm = Alarm, AlarmClear = AlarmClear,
        LowAlarm = LowAlarm, LowAlarmClear = LowAlarmClear, PowerOff = PowerOff, Restore = Restore, PowerOffScope = PowerOffScope, DefinedAt = DefinedAt,
        OwnAlarm = OwnAlarm, LastSeen = LastSeen, LastDataTicks = LastDataTicks, Open = Open,
    };
}

/// <summary>An open platform alarm: its row (by id, or the entity raised in the current batch) and what repeats need.</summary>
internal sealed class OpenAlarm(AlarmType type, string subjectKey, string subjectName)
{
    public AlarmType Type { get; } = type;

    public string SubjectKey { get; } = subjectKey;

    public string SubjectName { get; } = subjectName;

    public long Id { get; set; }

    /// <summary>Set while the alarm was raised in the batch being applied (not yet committed).</summary>
    public Alarm? Entity { get; set; }

    public string Unit { get; set; } = "";

    public bool Lower { get; set; }

    public double? Max { get; set; }

    public double? Last { get; set; }

    public DateTime LastAt { get; set; }

    public string Message { get; set; } = "";

    public bool Major { get; set; }
}

/// <summary>What the engine keeps per mine between files.</summary>
internal sealed class MineState(MineEntry mine)
{
    public MineEntry Mine { get; set; } = mine;

    /// <summary>By 测点编码; null until the mine's first file after start needs them.</summary>
    public Dictionary<string, PointState>? Points { get; set; }

    public Dictionary<(AlarmType Type, string Subject), OpenAlarm> Open { get; } = [];

    /// <summary>The mine's status row as committed (or as the batch being applied changes it); null until it has one.</summary>
    public MineFeedStatus? Status { get; set; }

    public DateTime? LastCdssAt { get; set; }

    public DateTime? LastCdssFileTime { get; set; }

    public DateTime? LastRyssAt { get; set; }

    public DateTime? LastRyssFileTime { get; set; }

    public DateTime? LeaderSeenAt { get; set; }

    public DateTime? PeopleSeenAt { get; set; }

    /// <summary>Card numbers the mine's RYXX marks as mine leaders.</summary>
    public HashSet<string>? LeaderCards { get; set; }
}

/// <summary>One transaction's worth of engine work: new alarms (tracked), updates and clears of committed ones, events to send after commit.</summary>
public sealed class AlarmBatch(AppDbContext db, DateTime now)
{
    public AppDbContext Db { get; } = db;

    public DateTime Now { get; } = now;

    internal List<(Alarm Alarm, string MineName)> Raised { get; } = [];

    internal Dictionary<long, (OpenAlarm Open, int Count)> Repeats { get; } = [];

    internal List<(OpenAlarm Open, MineRef Mine, DateTime At, double? Value, string Note)> Clears { get; } = [];

    /// <summary>Clears of committed alarms not yet written: written before any insert, so a new alarm never meets its predecessor still open.</summary>
    internal List<(long Id, DateTime At, double? Value, string Note)> PendingClears { get; } = [];

    internal HashSet<long> TouchedMines { get; } = [];

    /// <summary>The status rows the batch changed, written together by <see cref="AlarmEngine.FlushAsync"/>.</summary>
    internal Dictionary<long, MineFeedStatus> Statuses { get; } = [];

    internal List<long> StaleFiles { get; } = [];
}

/// <summary>
/// The alarm rules (issue 6 item 3), run by the single applier thread over each applied file and, every sweep, over time:
/// <list type="bullet">
/// <item>超限报警: a reading at or above 上限报警 (or at or below 下限报警); cleared below 上限解报 (above 下限解报);</item>
/// <item>断电: at or above 上限断电; cleared as 复电 below 上限复电. A power-off reading whose 测点状态 lacks the 断电 bit is
/// marked major (判定标准 第七条(二): 超限后不能断电);</item>
/// <item>阈值宽于规程: checked when a CDDY is applied, against the law's row for the point's location;</item>
/// <item>断线: a point (of a mine still sending) or a whole mine expected on line, silent longer than <c>SilentAfter</c>;</item>
/// <item>超员: an area above its 核定人数, or the mine above its 单班限员; above 20 % it is suggested as major (判定标准 第四条(六));</item>
/// <item>矿领导未带班: people underground in a shift, <c>LeaderGrace</c> after its start, and no mine leader underground in it.</item>
/// </list>
/// Readings arriving late (older than the newest judged for their point) are stored but not judged: the alarm state follows
/// the present. Readings under 标校 (calibration) are not judged either. State lives in memory for speed and is rebuilt from
/// the database (points, open alarms, feed status) at start or after a failed batch.
/// </summary>
public sealed class AlarmEngine(IOptions<MonitoringOptions> options, MineDirectory directory)
{
    private readonly Dictionary<long, MineState> _mines = [];

    private readonly HashSet<long> _known = [];

    private MonitoringOptions Options => options.Value;

    private List<TimeSpan> Shifts => Options.Shifts.Count > 0 ? Options.Shifts : MonitoringOptions.DefaultShifts();

    // ---- loading ---------------------------------------------------------------------------------------------

    /// <summary>At start: every mine that ever sent (for 数据中断) with its open alarms; points come later, per mine.</summary>
    public async Task StartAsync(AppDbContext db, CancellationToken ct)
    {
        _mines.Clear();
        _known.Clear();
        _known.UnionWith(await db.Set<MineFeedStatus>().Select(s => s.MineId).ToListAsync(ct));
    }

    internal async Task<MineState?> MineAsync(AppDbContext db, long mineId, CancellationToken ct)
    {
        if (_mines.TryGetValue(mineId, out var state))
        {
            return state;
        }

        var code = await db.Set<Mine>().Where(m => m.Id == mineId).Select(m => m.Code).SingleOrDefaultAsync(ct);
        if (code is null || await directory.FindAsync(code, ct) is not { } entry)
        {
            return null;
        }

        state = new MineState(entry);
        var status = await db.Set<MineFeedStatus>().AsNoTracking().SingleOrDefaultAsync(s => s.MineId == mineId, ct);
        state.Status = status;
        if (status is not null)
        {
            state.LastCdssAt = status.LastCdssAt;
            state.LastCdssFileTime = status.LastCdssFileTime;
            state.LastRyssAt = status.LastRyssAt;
            state.LastRyssFileTime = status.LastRyssFileTime;
            state.LeaderSeenAt = status.LeaderSeenAt;
            state.PeopleSeenAt = status.PeopleSeenAt;
        }

        var open = await db.Set<Alarm>().AsNoTracking()
            .Where(a => a.MineId == mineId && a.Source == AlarmSource.Platform && Alarm.OpenStates.Contains(a.State)).ToListAsync(ct);
        foreach (var a in open)
        {
            state.Open[(a.Type, a.SubjectKey)] = new OpenAlarm(a.Type, a.SubjectKey, a.SubjectName)
            {
                Id = a.Id,
                Unit = a.Unit,
                Lower = a.LowerLimit,
                Max = a.MaxValue,
                Last = a.LastValue,
                LastAt = a.LastAt,
                Message = a.Message,
                Major = a.Major,
            };
        }

        _mines[mineId] = state;
        _known.Add(mineId);
        return state;
    }

    private static async Task EnsurePointsAsync(AppDbContext db, MineState m, CancellationToken ct)
    {
        if (m.Points is not null)
        {
            return;
        }

        var points = await db.Set<MonitoringPoint>().AsNoTracking().Where(p => p.MineId == m.Mine.Ref.Id).ToListAsync(ct);
        SetPoints(m, points, m.LastCdssAt ?? DateTime.MinValue);
    }

    private static void SetPoints(MineState m, IEnumerable<MonitoringPoint> points, DateTime lastSeen)
    {
        var previous = m.Points;
        m.Points = new Dictionary<string, PointState>(StringComparer.Ordinal);
        foreach (var p in points)
        {
            var state = PointState.From(p, lastSeen);
            if (previous is not null && previous.TryGetValue(p.Code, out var old))
            {
                state.LastSeen = old.LastSeen;
                state.LastDataTicks = old.LastDataTicks;
            }

            foreach (var ((type, subject), _) in m.Open)
            {
                if (subject == p.Code)
                {
                    state.Open |= Bit(type);
                }
            }

            m.Points[p.Code] = state;
        }
    }

    private static byte Bit(AlarmType type) => type switch
    {
        AlarmType.OverLimit => PointState.OverLimitOpen,
        AlarmType.PowerOff => PointState.PowerOffOpen,
        AlarmType.PointSilent => PointState.SilentOpen,
        AlarmType.LooseThreshold => PointState.LooseOpen,
        _ => 0,
    };

    /// <summary>After a failed batch: forget what it touched; the next use reloads the committed truth.</summary>
    public void Evict(IEnumerable<long> mineIds)
    {
        foreach (var id in mineIds)
        {
            _mines.Remove(id);
        }
    }

    /// <summary>The columns of a mine's status row the applier writes (all but the mine).</summary>
    private static readonly string[] StatusColumns =
    [
        nameof(MineFeedStatus.RegionCode), nameof(MineFeedStatus.EnterpriseId), nameof(MineFeedStatus.LastFileAt), nameof(MineFeedStatus.LastCdssAt),
        nameof(MineFeedStatus.LastCdssFileTime), nameof(MineFeedStatus.LastCddyAt), nameof(MineFeedStatus.LastRyssAt), nameof(MineFeedStatus.LastRyssFileTime),
        nameof(MineFeedStatus.PeopleUnderground), nameof(MineFeedStatus.LeadersUnderground), nameof(MineFeedStatus.LeaderSeenAt), nameof(MineFeedStatus.PeopleSeenAt),
    ];

    /// <summary>
    /// The mine's status row for this batch. The engine is its only writer, so it keeps the row in memory with the mine's
    /// state and writes the batch's rows in one statement (<see cref="FlushAsync"/>); a failed batch evicts the mine, and
    /// the row is read again with it.
    /// </summary>
    internal static MineFeedStatus Status(AlarmBatch b, MineState m)
    {
        var id = m.Mine.Ref.Id;
        if (b.Statuses.TryGetValue(id, out var status))
        {
            return status;
        }

        status = m.Status ??= new MineFeedStatus { MineId = id, RegionCode = m.Mine.Ref.RegionCode, EnterpriseId = m.Mine.Ref.EnterpriseId };
        status.RegionCode = m.Mine.Ref.RegionCode;
        status.EnterpriseId = m.Mine.Ref.EnterpriseId;
        b.Statuses[id] = status;
        return status;
    }

    // ---- files ------------------------------------------------------------------------------------------------

    /// <summary>Applies one accepted file. CDSS rows are appended to <paramref name="rows"/> for the bulk write.</summary>
    public async Task ApplyAsync(AlarmBatch b, FeedUpload file, FeedDocument document, List<ReadingRow> rows, CancellationToken ct)
    {
        if (document is FeedDocument<CdssReading> readings)
        {
            if (await PrepareCdssAsync(b, file, ct))
            {
                ApplyCdss(b, file, readings, rows);
            }

            return;
        }

        if (await MineAsync(b.Db, file.MineId!.Value, ct) is not { } m)
        {
            return;
        }

        var status = Touch(b, m, file);
        switch (document)
        {
            case FeedDocument<CddyPoint> cddy:
                await ApplyDefinitionsAsync(b, m, file, cddy.Records, ct);
                status.LastCddyAt = file.ReceivedAt;
                break;
            case FeedDocument<YcbjAlarm> ycbj:
                await ApplyReportedAsync(b, m, ycbj.Records, ct);
                break;
            case FeedDocument<RyqyArea> ryqy:
                await ApplyAreasAsync(b, m, ryqy.Records, ct);
                break;
            case FeedDocument<RyxxPerson> ryxx:
                await ApplyPeopleAsync(b, m, ryxx.Records, ct);
                break;
            case FeedDocument<RyssPosition> ryss:
                await ApplyPositionsAsync(b, m, file, status, ryss.Records, ct);
                break;
            default:
                // TJSJ and JZSS are archived and counted; nothing in the platform reads them yet.
                break;
        }
    }

    /// <summary>
    /// Loads what judging a CDSS file of <paramref name="file"/>'s mine needs — the mine's state and its points — so that
    /// <see cref="ApplyCdss"/> does no I/O and may run while the batch's readings are being written (the applier streams
    /// them into PostgreSQL's COPY file by file). False when the mine is no longer registered: the file is skipped.
    /// </summary>
    public async Task<bool> PrepareCdssAsync(AlarmBatch b, FeedUpload file, CancellationToken ct)
    {
        if (await MineAsync(b.Db, file.MineId!.Value, ct) is not { } m)
        {
            return false;
        }

        await EnsurePointsAsync(b.Db, m, ct);
        return true;
    }

    /// <summary>Judges a CDSS file of a mine prepared by <see cref="PrepareCdssAsync"/>, in memory, adding its readings to <paramref name="rows"/>.</summary>
    public void ApplyCdss(AlarmBatch b, FeedUpload file, FeedDocument<CdssReading> cdss, List<ReadingRow> rows)
    {
        if (!_mines.TryGetValue(file.MineId!.Value, out var m) || m.Points is null)
        {
            return; // not prepared: the mine is no longer registered
        }

        var status = Touch(b, m, file);
        var stale = m.LastCdssFileTime is { } newest && file.FileTime < newest;
        if (stale)
        {
            b.StaleFiles.Add(file.Id);
        }
        else
        {
            m.LastCdssFileTime = file.FileTime;
            status.LastCdssFileTime = file.FileTime;
        }

        m.LastCdssAt = Max(m.LastCdssAt, file.ReceivedAt);
        status.LastCdssAt = m.LastCdssAt;
        if (m.Open.ContainsKey((AlarmType.MineSilent, "")))
        {
            Clear(b, m, null, AlarmType.MineSilent, "", file.ReceivedAt, null, "数据恢复");
        }

        JudgeReadings(b, m, file, cdss.Records, rows);
    }

    /// <summary>The mine takes part in the batch: its status row, with the newest file's arrival.</summary>
    private MineFeedStatus Touch(AlarmBatch b, MineState m, FeedUpload file)
    {
        b.TouchedMines.Add(m.Mine.Ref.Id);
        var status = Status(b, m);
        status.LastFileAt = Max(status.LastFileAt, file.ReceivedAt);
        return status;
    }

    private void JudgeReadings(AlarmBatch b, MineState m, FeedUpload file, IReadOnlyList<CdssReading> readings, List<ReadingRow> rows)
    {
        var mine = m.Mine.Ref;
        var points = m.Points!;
        foreach (var r in readings)
        {
            if (!points.TryGetValue(r.PointCode, out var p))
            {
                continue; // intake refused files with undefined points; a point can only be missing after a failed reload
            }

            var at = r.DataTime.UtcDateTime;
            rows.Add(new ReadingRow(mine.Id, p.Id, at, r.Value, (short)r.Status, mine.RegionCode, mine.EnterpriseId, file.Id));
            if (file.ReceivedAt > p.LastSeen)
            {
                p.LastSeen = file.ReceivedAt;
            }

            if (at.Ticks <= p.LastDataTicks)
            {
                continue;
            }

            p.LastDataTicks = at.Ticks;
            if ((p.Open & PointState.SilentOpen) != 0)
            {
                Clear(b, m, p, AlarmType.PointSilent, p.Code, at, r.Value, "数据恢复");
            }

            if (!p.Analog || r.Value is not { } v || (r.Status & PointStatus.Calibrating) != 0)
            {
                continue;
            }

            JudgeValue(b, m, p, v, r.Status, at);
        }
    }

    private void JudgeValue(AlarmBatch b, MineState m, PointState p, double v, PointStatus status, DateTime at)
    {
        var u = p.Unit;
        if (p.Alarm is { } high && v >= high)
        {
            Raise(b, m, p, AlarmType.OverLimit, p.Code, p.Location, $"{p.Location}{p.SensorType} {N(v)}{u}，达到上限报警值 {N(high)}{u}", u, high, v, at, false);
        }
        else if (p.LowAlarm is { } low && v <= low)
        {
            Raise(b, m, p, AlarmType.OverLimit, p.Code, p.Location, $"{p.Location}{p.SensorType} {N(v)}{u}，低于下限报警值 {N(low)}{u}", u, low, v, at, false, lower: true);
        }
        else if ((p.Open & PointState.OverLimitOpen) != 0)
        {
            var open = m.Open[(AlarmType.OverLimit, p.Code)];
            var back = open.Lower ? v > (p.LowAlarmClear ?? double.MinValue) : v < (p.AlarmClear ?? double.MaxValue);
            if (back)
            {
                Clear(b, m, p, AlarmType.OverLimit, p.Code, at, v, open.Lower ? "高于下限解报值" : "低于上限解报值");
            }
        }

        if (p.PowerOff is { } off && v >= off)
        {
            var cut = (status & PointStatus.PowerCut) != 0;
            var message = $"{p.Location}{p.SensorType} {N(v)}{u}，达到断电值 {N(off)}{u}，应切断{p.PowerOffScope ?? "相关区域非本质安全型电气设备"}电源"
                          + (cut ? "" : "；测点状态未显示断电（超限后不能断电，判定标准第七条(二)）");
            Raise(b, m, p, AlarmType.PowerOff, p.Code, p.Location, message, u, off, v, at, major: !cut);
        }
        else if ((p.Open & PointState.PowerOffOpen) != 0 && v < (p.Restore ?? double.MaxValue))
        {
            Clear(b, m, p, AlarmType.PowerOff, p.Code, at, v, $"复电（{N(v)}{u} 低于复电值 {N(p.Restore!.Value)}{u}）");
        }
    }

    /// <summary>The columns a CDDY writes of each point it defines (besides the mine and the code).</summary>
    private static readonly string[] DefinitionColumns =
    [
        nameof(MonitoringPoint.RegionCode), nameof(MonitoringPoint.EnterpriseId), nameof(MonitoringPoint.SystemCode), nameof(MonitoringPoint.SubstationCode),
        nameof(MonitoringPoint.SensorType), nameof(MonitoringPoint.ValueKind), nameof(MonitoringPoint.Unit), nameof(MonitoringPoint.RangeHigh),
        nameof(MonitoringPoint.RangeLow), nameof(MonitoringPoint.UpperAlarm), nameof(MonitoringPoint.UpperAlarmClear), nameof(MonitoringPoint.LowerAlarm),
        nameof(MonitoringPoint.LowerAlarmClear), nameof(MonitoringPoint.UpperPowerOff), nameof(MonitoringPoint.UpperPowerRestore),
        nameof(MonitoringPoint.LowerPowerOff), nameof(MonitoringPoint.LowerPowerRestore), nameof(MonitoringPoint.OnDescription),
        nameof(MonitoringPoint.OffDescription), nameof(MonitoringPoint.Location), nameof(MonitoringPoint.LawLocation), nameof(MonitoringPoint.LawAlarm),
        nameof(MonitoringPoint.LawPowerOff), nameof(MonitoringPoint.LawRestore), nameof(MonitoringPoint.LooseNote), nameof(MonitoringPoint.Active),
        nameof(MonitoringPoint.DefinedAt), nameof(MonitoringPoint.UpdatedAt),
    ];

    /// <summary>A point as a CDDY record defines it, with the law's row for its location and whether its own thresholds are looser.</summary>
    internal static MonitoringPoint Definition(MineEntry mine, CddyPoint d, DateTime now)
    {
        var p = new MonitoringPoint
        {
            MineId = mine.Ref.Id,
            Code = d.PointCode,
            RegionCode = mine.Ref.RegionCode,
            EnterpriseId = mine.Ref.EnterpriseId,
            SystemCode = Cut(d.SystemCode, 40),
            SubstationCode = Cut(d.SubstationCode, 40),
            SensorType = Cut(d.SensorType, 40),
            ValueKind = d.ValueKind,
            Unit = Cut(d.Unit, 20),
            RangeHigh = d.RangeHigh,
            RangeLow = d.RangeLow,
            UpperAlarm = d.UpperAlarm,
            UpperAlarmClear = d.UpperAlarmClear,
            LowerAlarm = d.LowerAlarm,
            LowerAlarmClear = d.LowerAlarmClear,
            UpperPowerOff = d.UpperPowerOff,
            UpperPowerRestore = d.UpperPowerRestore,
            LowerPowerOff = d.LowerPowerOff,
            LowerPowerRestore = d.LowerPowerRestore,
            OnDescription = Cut(d.OnDescription, 40),
            OffDescription = Cut(d.OffDescription, 40),
            Location = Cut(d.Location, 120),
            DefinedAt = d.DataTime.UtcDateTime,
            UpdatedAt = now,
            Active = true,
        };
        var check = d.ValueKind == PointValueKind.Analog
            ? LawThresholds.Check(p.SensorType, p.Unit, p.Location, p.UpperAlarm, p.UpperPowerOff, p.UpperPowerRestore, mine)
            : null;
        p.LawLocation = check?.Row.Location;
        p.LawAlarm = check?.Alarm;
        p.LawPowerOff = check?.PowerOff;
        p.LawRestore = check?.Restore;
        p.LooseNote = check?.LooseNote is { } note ? Cut(note, 300) : null;
        return p;
    }

    /// <summary>
    /// CDDY: the mine's point list replaces the previous one (dropped points become inactive, their readings stay). Written
    /// set-based (<see cref="BulkWriter"/>): one statement for the points the file defines, one for those it drops.
    /// </summary>
    private async Task ApplyDefinitionsAsync(AlarmBatch b, MineState m, FeedUpload file, IReadOnlyList<CddyPoint> defined, CancellationToken ct)
    {
        var mine = m.Mine.Ref;
        var rows = new Dictionary<string, MonitoringPoint>(defined.Count, StringComparer.Ordinal);
        foreach (var d in defined)
        {
            var row = Definition(m.Mine, d, b.Now);
            rows[row.Code] = row; // intake refuses a code defined twice; were one read back from the archive, the last would count
        }

        // The points before this file: in memory, or (first file of the mine since start) as committed. Those this file
        // drops keep their state; a point the engine held no state for starts as seen when the CDDY arrived.
        var previous = m.Points;
        var before = previous?.Values.ToList()
                     ?? (await b.Db.Set<MonitoringPoint>().AsNoTracking().Where(p => p.MineId == mine.Id).ToListAsync(ct)).Select(p => PointState.From(p, file.ReceivedAt)).ToList();
        var ids = await BulkWriter.UpsertAsync(b.Db, mine.Id, rows.Values.ToList(), nameof(MonitoringPoint.Code), DefinitionColumns, ct);
        var dropped = before.Where(p => p.Active && !rows.ContainsKey(p.Code)).Select(p => p.Id).ToList();
        if (dropped.Count > 0)
        {
            await b.Db.Set<MonitoringPoint>().Where(p => dropped.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.Active, false), ct);
        }

        var points = new Dictionary<string, PointState>(before.Count + rows.Count, StringComparer.Ordinal);
        foreach (var old in before)
        {
            if (!rows.ContainsKey(old.Code))
            {
                points[old.Code] = old.Active ? old.Deactivated() : old;
            }
        }

        foreach (var (code, row) in rows)
        {
            var state = PointState.From(row, file.ReceivedAt, ids[code]);
            if (previous is not null && previous.TryGetValue(code, out var old))
            {
                state.LastSeen = old.LastSeen;
                state.LastDataTicks = old.LastDataTicks;
            }

            points[code] = state;
        }

        foreach (var ((type, subject), _) in m.Open)
        {
            if (points.TryGetValue(subject, out var state))
            {
                state.Open |= Bit(type);
            }
        }

        m.Points = points;
        foreach (var (code, row) in rows)
        {
            var state = points[code];
            if (row.LooseNote is { } note)
            {
                Raise(b, m, state, AlarmType.LooseThreshold, code, row.Location, $"{row.Location}{row.SensorType}：{note}", row.Unit, row.LawAlarm, row.UpperAlarm, row.DefinedAt, false);
            }
            else if ((state.Open & PointState.LooseOpen) != 0)
            {
                Clear(b, m, state, AlarmType.LooseThreshold, code, row.DefinedAt, row.UpperAlarm, "阈值已按规程更正");
            }
        }

        foreach (var state in points.Values.Where(p => !p.Active && (p.Open & PointState.LooseOpen) != 0 && !rows.ContainsKey(p.Code)))
        {
            Clear(b, m, state, AlarmType.LooseThreshold, state.Code, state.DefinedAt, state.OwnAlarm, "测点已撤销");
        }
    }

    /// <summary>YCBJ: the mine's own alarms, one row per (point, kind, start); a re-sent open alarm updates its row, an end time clears it.</summary>
    private static async Task ApplyReportedAsync(AlarmBatch b, MineState m, IReadOnlyList<YcbjAlarm> reported, CancellationToken ct)
    {
        var mine = m.Mine.Ref;
        var keys = reported.Select(Key).Distinct().ToList();
        var rows = await b.Db.Set<Alarm>().Where(a => a.MineId == mine.Id && a.ExternalKey != null && keys.Contains(a.ExternalKey))
            .ToDictionaryAsync(a => a.ExternalKey!, StringComparer.Ordinal, ct);
        var pointIds = m.Points?.ToDictionary(p => p.Key, p => p.Value.Id, StringComparer.Ordinal)
                       ?? await b.Db.Set<MonitoringPoint>().Where(p => p.MineId == mine.Id).ToDictionaryAsync(p => p.Code, p => p.Id, StringComparer.Ordinal, ct);
        foreach (var r in reported)
        {
            var key = Key(r);
            var at = (r.EndTime ?? r.MaxTime ?? r.DataTime).UtcDateTime;
            if (!rows.TryGetValue(key, out var alarm))
            {
                var type = r.Kind switch
                {
                    AlarmKind.OverLimit => AlarmType.OverLimit,
                    AlarmKind.PowerCut => AlarmType.PowerOff,
                    AlarmKind.Disconnected => AlarmType.PointSilent,
                    _ => AlarmType.Reported,
                };
                var text = $"煤矿上报{r.Kind.ToDisplayName()}：{r.Location}{r.SensorTypeName}"
                           + (r.MaxValue is { } max ? $"，最大值 {N(max)}{r.Unit}" : "")
                           + (string.IsNullOrWhiteSpace(r.Cause) ? "" : $"；原因：{r.Cause}")
                           + (string.IsNullOrWhiteSpace(r.Measures) ? "" : $"；措施：{r.Measures}");
                alarm = Alarm.Raise(mine, type, AlarmSource.Mine, Cut(r.PointCode, 60), Cut(r.Location, 120), pointIds.TryGetValue(r.PointCode, out var pid) ? pid : null,
                    Cut(text, 400), Cut(r.Unit, 20), null, r.MaxValue ?? r.AverageValue, r.StartTime.UtcDateTime, b.Now, r.Kind, key);
                b.Db.Add(alarm);
                b.Raised.Add((alarm, mine.Name));
                rows[key] = alarm;
            }
            else if (r.MaxValue is { } max && (alarm.MaxValue is null || max > alarm.MaxValue))
            {
                alarm.MaxValue = max;
                alarm.LastValue = max;
                alarm.LastAt = at > alarm.LastAt ? at : alarm.LastAt;
            }

            if (r.EndTime is { } end && Alarm.OpenStates.Contains(alarm.State) && alarm.Clear(end.UtcDateTime, r.MinValue, "煤矿上报已结束").IsOk)
            {
                b.Clears.Add((new OpenAlarm(alarm.Type, alarm.SubjectKey, alarm.SubjectName) { Entity = alarm, Id = alarm.Id, Unit = alarm.Unit }, mine, end.UtcDateTime, r.MinValue, "煤矿上报已结束"));
            }
        }

        static string Key(YcbjAlarm r) => Cut($"{r.PointCode}|{(byte)r.Kind:000}|{r.StartTime:yyyyMMddHHmmss}", 100);
    }

    private static async Task ApplyAreasAsync(AlarmBatch b, MineState m, IReadOnlyList<RyqyArea> areas, CancellationToken ct)
    {
        var mine = m.Mine.Ref;
        var existing = await b.Db.Set<PersonnelArea>().Where(a => a.MineId == mine.Id).ToDictionaryAsync(a => a.Code, StringComparer.Ordinal, ct);
        foreach (var a in areas)
        {
            if (!existing.TryGetValue(a.AreaCode, out var area))
            {
                area = new PersonnelArea { MineId = mine.Id, Code = Cut(a.AreaCode, 40), RegionCode = mine.RegionCode };
                b.Db.Add(area);
                existing[a.AreaCode] = area;
            }

            area.RegionCode = mine.RegionCode;
            area.EnterpriseId = mine.EnterpriseId;
            area.Name = Cut(a.AreaName, 100);
            area.AreaType = Cut(a.AreaType, 40);
            area.RatedCapacity = a.RatedCapacity;
            area.UpdatedAt = b.Now;
        }
    }

    /// <summary>The columns an RYXX writes of each person (besides the mine and the card number).</summary>
    private static readonly string[] PersonColumns =
    [
        nameof(MinePerson.RegionCode), nameof(MinePerson.EnterpriseId), nameof(MinePerson.Name), nameof(MinePerson.WorkType), nameof(MinePerson.Position),
        nameof(MinePerson.Team), nameof(MinePerson.IsLeader), nameof(MinePerson.IsSpecialWorker), nameof(MinePerson.UpdatedAt),
    ];

    /// <summary>RYXX: the people of the mine's positioning system, added or updated set-based (people not in the file stay).</summary>
    private static async Task ApplyPeopleAsync(AlarmBatch b, MineState m, IReadOnlyList<RyxxPerson> people, CancellationToken ct)
    {
        var mine = m.Mine.Ref;
        var rows = new Dictionary<string, MinePerson>(people.Count, StringComparer.Ordinal);
        foreach (var r in people)
        {
            var card = Cut(r.CardNumber, 40);
            rows[card] = new MinePerson
            {
                MineId = mine.Id, CardNumber = card, RegionCode = mine.RegionCode, EnterpriseId = mine.EnterpriseId, Name = Cut(r.Name, 50), WorkType = Cut(r.WorkType, 50),
                Position = Cut(r.Position, 50), Team = Cut(r.Team, 50), IsLeader = r.IsMineLeader == true, IsSpecialWorker = r.IsSpecialWorker == true, UpdatedAt = b.Now,
            };
        }

        await BulkWriter.UpsertAsync(b.Db, mine.Id, rows.Values.ToList(), nameof(MinePerson.CardNumber), PersonColumns, ct);
        m.LeaderCards = (await b.Db.Set<MinePerson>().Where(p => p.MineId == mine.Id && p.IsLeader).Select(p => p.CardNumber).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// RYSS: the people underground now. A person counts as underground when the record has no 出井时刻 and its 出入井标志 is not 1
    /// (出井) — DOMAIN leaves the flag's codes open; this reading is documented in docs/MONITORING.md.
    /// </summary>
    private async Task ApplyPositionsAsync(AlarmBatch b, MineState m, FeedUpload file, MineFeedStatus status, IReadOnlyList<RyssPosition> positions, CancellationToken ct)
    {
        var mine = m.Mine.Ref;
        if (m.LastRyssFileTime is { } newest && file.FileTime < newest)
        {
            b.StaleFiles.Add(file.Id);
            return;
        }

        m.LastRyssFileTime = file.FileTime;
        m.LastRyssAt = file.ReceivedAt;
        status.LastRyssFileTime = file.FileTime;
        status.LastRyssAt = file.ReceivedAt;
        m.LeaderCards ??= (await b.Db.Set<MinePerson>().Where(p => p.MineId == mine.Id && p.IsLeader).Select(p => p.CardNumber).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var underground = positions.Where(p => p.OutTime is null && p.InOutFlag != 1).ToList();
        var leaders = underground.Where(p => p.IsMineLeader == true || m.LeaderCards.Contains(p.CardNumber)).Select(p => p.Name).Distinct().ToList();
        var at = file.HeaderTime ?? file.ReceivedAt;
        status.PeopleUnderground = underground.Count;
        status.LeadersUnderground = leaders.Count == 0 ? null : Cut(string.Join("、", leaders), 200);
        if (underground.Count > 0)
        {
            m.PeopleSeenAt = at;
            status.PeopleSeenAt = at;
        }

        if (leaders.Count > 0)
        {
            m.LeaderSeenAt = at;
            status.LeaderSeenAt = at;
            var (shiftKey, _, _) = ShiftAt(at);
            if (m.Open.ContainsKey((AlarmType.LeaderAbsent, shiftKey)))
            {
                Clear(b, m, null, AlarmType.LeaderAbsent, shiftKey, at, null, $"矿领导已下井（{string.Join("、", leaders)}）");
            }
        }

        // Per area against 核定人数.
        var areas = await b.Db.Set<PersonnelArea>().Where(a => a.MineId == mine.Id).ToDictionaryAsync(a => a.Code, StringComparer.Ordinal, ct);
        var counts = underground.Where(p => p.AreaCode.Length > 0).GroupBy(p => p.AreaCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        foreach (var (code, count) in counts)
        {
            if (!areas.ContainsKey(code))
            {
                var area = new PersonnelArea { MineId = mine.Id, Code = Cut(code, 40), Name = Cut(code, 100), RegionCode = mine.RegionCode, EnterpriseId = mine.EnterpriseId, UpdatedAt = b.Now };
                b.Db.Add(area);
                areas[code] = area;
            }
        }

        foreach (var (code, area) in areas)
        {
            area.Current = counts.GetValueOrDefault(code);
            area.UpdatedAt = b.Now;
            Crowding(b, m, code, area.Name, area.Current, area.RatedCapacity, at);
        }

        Crowding(b, m, "", "全矿井下", underground.Count, m.Mine.ShiftPersonnelLimit, at);
    }

    private void Crowding(AlarmBatch b, MineState m, string subject, string name, int count, int? limit, DateTime at)
    {
        if (limit is > 0 && count > limit)
        {
            var major = count > limit.Value * 1.2;
            var text = $"{name}当前 {count} 人，超过核定人数 {limit} 人" + (major ? "（超过 20% 以上，依据判定标准第四条(六)可判定为重大事故隐患）" : "");
            Raise(b, m, null, AlarmType.Overcrowded, subject, name, text, "人", limit, count, at, major);
        }
        else if (m.Open.ContainsKey((AlarmType.Overcrowded, subject)))
        {
            Clear(b, m, null, AlarmType.Overcrowded, subject, at, count, $"人数已降至 {count} 人");
        }
    }

    // ---- time ---------------------------------------------------------------------------------------------------

    /// <summary>断线 of mines and points, and 领导带班 per shift, as of <see cref="AlarmBatch.Now"/>.</summary>
    public async Task SweepAsync(AlarmBatch b, CancellationToken ct)
    {
        var now = b.Now;
        foreach (var id in _known.Where(id => !_mines.ContainsKey(id)).ToList())
        {
            await MineAsync(b.Db, id, ct);
        }

        foreach (var m in _mines.Values)
        {
            var before = b.Raised.Count + b.Clears.Count;
            SweepMine(b, m, now);
            if (b.Raised.Count + b.Clears.Count != before)
            {
                b.TouchedMines.Add(m.Mine.Ref.Id);
            }
        }
    }

    private void SweepMine(AlarmBatch b, MineState m, DateTime now)
    {
        var silentAfter = Options.SilentAfter;
        var mineSilent = m.LastCdssAt is { } last && now - last > silentAfter && m.Mine.ExpectedOnline;
        if (mineSilent && !m.Open.ContainsKey((AlarmType.MineSilent, "")))
        {
            var minutes = (int)(now - m.LastCdssAt!.Value).TotalMinutes;
            Raise(b, m, null, AlarmType.MineSilent, "", "全矿", $"已 {minutes} 分钟未收到实时监测数据（最后接收于 {ChinaTime.Format(m.LastCdssAt.Value)}）", "", null, null, m.LastCdssAt.Value, false);
        }
        else if (m.Open.ContainsKey((AlarmType.MineSilent, "")) && !m.Mine.ExpectedOnline)
        {
            Clear(b, m, null, AlarmType.MineSilent, "", now, null, "煤矿已不在生产建设状态");
        }

        if (!mineSilent && m.Points is { } points)
        {
            foreach (var p in points.Values)
            {
                if (p.Active && p.LastSeen != DateTime.MinValue && now - p.LastSeen > silentAfter && (p.Open & PointState.SilentOpen) == 0)
                {
                    Raise(b, m, p, AlarmType.PointSilent, p.Code, p.Location, $"{p.Location}{p.SensorType} 已 {(int)(now - p.LastSeen).TotalMinutes} 分钟无数据", p.Unit, null, null, p.LastSeen, false);
                }
            }
        }

        // 领导带班: judged once the grace after the shift start has passed, for shifts with people underground.
        var (shiftKey, shiftName, shiftStart) = ShiftAt(now);
        foreach (var ((type, subject), _) in m.Open.Where(o => o.Key.Type == AlarmType.LeaderAbsent && o.Key.Subject != shiftKey).ToList())
        {
            Clear(b, m, null, type, subject, shiftStart, null, "班次已结束");
        }

        if (m.LastRyssAt is { } ryss && now - ryss <= silentAfter && now - shiftStart >= Options.LeaderGrace
            && m.PeopleSeenAt >= shiftStart && !(m.LeaderSeenAt >= shiftStart) && !m.Open.ContainsKey((AlarmType.LeaderAbsent, shiftKey)))
        {
            Raise(b, m, null, AlarmType.LeaderAbsent, shiftKey, shiftName, $"{shiftName}有人员下井，开班 {(int)Options.LeaderGrace.TotalMinutes} 分钟后仍无矿领导带班下井", "", null, null, shiftStart, false);
        }
    }

    /// <summary>The shift <paramref name="utc"/> falls in: a key, a name in Chinese, and its start (UTC).</summary>
    public (string Key, string Name, DateTime Start) ShiftAt(DateTime utc)
    {
        var china = ChinaTime.ToChina(utc);
        var starts = Shifts.Order().ToList();
        var index = starts.Count - 1;
        var day = china.Date;
        for (var i = starts.Count - 1; i >= 0; i--)
        {
            if (china.TimeOfDay >= starts[i])
            {
                index = i;
                break;
            }

            if (i == 0)
            {
                day = day.AddDays(-1); // before the first shift start: the previous day's last shift
            }
        }

        var start = day + starts[index];
        var end = index + 1 < starts.Count ? day + starts[index + 1] : day.AddDays(1) + starts[0];
        var name = starts.Count == 3 ? new[] { "夜班", "早班", "中班" }[index] : $"第{index + 1}班";
        var c = CultureInfo.InvariantCulture;
        return (string.Create(c, $"班次{day:yyyyMMdd}-{index + 1}"), string.Create(c, $"{day:yyyy-MM-dd} {name}（{start:HH:mm}–{end:HH:mm}）"), ChinaTime.ToUtc(start));
    }

    // ---- raising and clearing -------------------------------------------------------------------------------------

    private static void Raise(AlarmBatch b, MineState m, PointState? p, AlarmType type, string subject, string subjectName, string message, string unit,
        double? threshold, double? value, DateTime at, bool major, bool lower = false)
    {
        if (m.Open.TryGetValue((type, subject), out var open))
        {
            Repeat(b, open, value, at, major);
            return;
        }

        var alarm = Alarm.Raise(m.Mine.Ref, type, AlarmSource.Platform, Cut(subject, 60), Cut(subjectName, 120), p?.Id, Cut(message, 400), Cut(unit, 20), threshold, value, at, b.Now,
            lowerLimit: lower);
        alarm.Major = major;
        b.Db.Add(alarm);
        b.Raised.Add((alarm, m.Mine.Ref.Name));
        m.Open[(type, subject)] = new OpenAlarm(type, subject, subjectName)
        {
            Entity = alarm, Unit = unit, Lower = lower, Max = value, Last = value, LastAt = at, Message = message, Major = major,
        };
        if (p is not null)
        {
            p.Open |= Bit(type);
        }
    }

    private static void Repeat(AlarmBatch b, OpenAlarm open, double? value, DateTime at, bool major)
    {
        if (open.Entity is { } entity)
        {
            entity.Repeat(value, at);
            entity.Major |= major;
            return;
        }

        if (at >= open.LastAt)
        {
            open.LastAt = at;
            open.Last = value;
        }

        if (value is { } v && (open.Max is null || (open.Lower ? v < open.Max : v > open.Max)))
        {
            open.Max = v;
        }

        open.Major |= major;
        b.Repeats[open.Id] = (open, b.Repeats.TryGetValue(open.Id, out var r) ? r.Count + 1 : 1);
    }

    private static void Clear(AlarmBatch b, MineState m, PointState? p, AlarmType type, string subject, DateTime at, double? value, string note)
    {
        if (!m.Open.Remove((type, subject), out var open))
        {
            return;
        }

        if (p is not null)
        {
            p.Open &= (byte)~Bit(type);
        }

        if (open.Entity is { } entity)
        {
            entity.Clear(at, value, note);
        }
        else
        {
            b.PendingClears.Add((open.Id, at, value, note));
        }

        b.Clears.Add((open, m.Mine.Ref, at, value, note));
    }

    /// <summary>Writes what the batch changed of committed alarms (new ones and tracked rows are saved by the caller's SaveChanges).</summary>
    public static async Task FlushAsync(AlarmBatch b, CancellationToken ct)
    {
        await BulkWriter.SaveAsync(b.Db, b.Statuses.Values.ToList(), StatusColumns, ct);
        await SaveAsync(b, ct);
        var alarms = b.Db.Set<Alarm>();
        foreach (var (id, (open, count)) in b.Repeats)
        {
            var (last, lastAt, max, major) = (open.Last, open.LastAt, open.Max, open.Major);
            await alarms.Where(a => a.Id == id).ExecuteUpdateAsync(s => s
                .SetProperty(a => a.Count, a => a.Count + count)
                .SetProperty(a => a.LastValue, last)
                .SetProperty(a => a.LastAt, lastAt)
                .SetProperty(a => a.MaxValue, max)
                .SetProperty(a => a.Major, a => a.Major || major), ct);
        }

        if (b.StaleFiles.Count > 0)
        {
            var ids = b.StaleFiles;
            await b.Db.Set<FeedUpload>().Where(f => ids.Contains(f.Id)).ExecuteUpdateAsync(s => s.SetProperty(f => f.Stale, true), ct);
        }
    }

    /// <summary>Saves the batch so far (inside its transaction): pending clears of committed alarms first, then new and tracked rows.</summary>
    internal static async Task SaveAsync(AlarmBatch b, CancellationToken ct)
    {
        foreach (var (id, at, value, note) in b.PendingClears)
        {
            await Alarm.ClearCommittedAsync(b.Db.Set<Alarm>(), id, at, value, note, ct);
        }

        b.PendingClears.Clear();
        await b.Db.SaveChangesAsync(ct);
    }

    /// <summary>After commit: the events for the live pages, and the batch's new alarms become ordinary committed ones.</summary>
    public IReadOnlyList<AlarmEvent> Committed(AlarmBatch b)
    {
        var events = new List<AlarmEvent>();
        foreach (var (alarm, mineName) in b.Raised)
        {
            events.Add(AlarmEvent.Of(AlarmEvent.Raised, alarm, mineName, alarm.RaisedAt));
        }

        foreach (var (open, mine, at, value, note) in b.Clears)
        {
            if (open.Entity is { } entity)
            {
                events.Add(AlarmEvent.Of(AlarmEvent.Cleared, entity, mine.Name, b.Now));
            }
            else
            {
                events.Add(new AlarmEvent(AlarmEvent.Cleared, open.Id, mine.Id, mine.Name, open.Type, open.Type.Label(), AlarmState.Cleared, AlarmState.Cleared.Label(),
                    AlarmSource.Platform, open.SubjectName, $"{open.Message}（{note}）", open.Major, value, open.Unit, b.Now, mine.RegionCode, mine.EnterpriseId));
            }
        }

        foreach (var m in b.TouchedMines.Select(id => _mines.GetValueOrDefault(id)).Where(m => m is not null))
        {
            foreach (var open in m!.Open.Values.Where(o => o.Entity is not null))
            {
                open.Id = open.Entity!.Id;
                open.Entity = null;
            }
        }

        return events;
    }

    private static DateTime? Max(DateTime? a, DateTime b) => a is { } x && x > b ? x : b;

    private static string N(double value) => value.ToString("0.####", CultureInfo.InvariantCulture);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
