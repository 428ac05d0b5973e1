using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineRisk.Feeds;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Monitoring;

public sealed record AlarmListItem(
    long Id, long MineId, string MineName, string MineCode, string RegionCode, AlarmType Type, string TypeName, AlarmSource Source, string SourceName,
    AlarmState State, string StateName, bool Major, string SubjectName, string Message, string Unit, double? Threshold, double? FirstValue,
    double? MaxValue, double? LastValue, int Count, DateTime StartedAt, DateTime LastAt, DateTime RaisedAt, DateTime? ClearedAt, string? ClearNote,
    DateTime? AcknowledgedAt, string? AcknowledgedByName, DateTime? DisposedAt, string? DisposedByName, string? Cause, string? Measures, long? HazardId);

/// <summary>The alarm list's filters (API query string and page form alike). Choices by name or Chinese label.</summary>
public sealed record AlarmFilter(bool? Active, long? MineId, string? Type, string? State, string? Source, string? RegionCode, bool? Major, string? Q, DateTime? From, DateTime? To)
{
    /// <summary>Narrows <paramref name="alarms"/>; false with a 400 error when a choice is not one of its values.</summary>
    public bool TryApply(IQueryable<Alarm> alarms, IQueryable<Mine> mines, out IQueryable<Alarm> result, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out Error? error)
    {
        result = alarms;
        error = null;
        var errors = new Dictionary<string, string[]>();
        if (Parse<AlarmType>(Type, "type", "报警类型", errors) is { } type)
        {
            alarms = alarms.Where(a => a.Type == type);
        }

        if (Parse<AlarmState>(State, "state", "状态", errors) is { } state)
        {
            alarms = alarms.Where(a => a.State == state);
        }

        if (Parse<AlarmSource>(Source, "source", "来源", errors) is { } source)
        {
            alarms = alarms.Where(a => a.Source == source);
        }

        if (errors.Count > 0)
        {
            error = new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
            return false;
        }

        if (Active is true)
        {
            alarms = alarms.Where(a => a.State == AlarmState.Active || a.State == AlarmState.Acknowledged);
        }
        else if (Active is false)
        {
            alarms = alarms.Where(a => a.State == AlarmState.Cleared || a.State == AlarmState.Disposed);
        }

        if (MineId is { } mineId)
        {
            alarms = alarms.Where(a => a.MineId == mineId);
        }

        if (Major is { } major)
        {
            alarms = alarms.Where(a => a.Major == major);
        }

        if (RegionCode is { Length: > 0 } region)
        {
            var prefix = Platform.Regions.RegionCodes.Prefix(region.Trim());
            alarms = alarms.Where(a => a.RegionCode.StartsWith(prefix));
        }

        if (Q is { Length: > 0 } q)
        {
            q = q.Trim();
            alarms = alarms.Where(a => mines.Any(m => m.Id == a.MineId && (m.Name.Contains(q) || m.Code.StartsWith(q))) || a.SubjectName.Contains(q));
        }

        if (From is { } from)
        {
            alarms = alarms.Where(a => a.StartedAt >= from);
        }

        if (To is { } to)
        {
            alarms = alarms.Where(a => a.StartedAt < to);
        }

        result = alarms;
        return true;
    }

    private static T? Parse<T>(string? text, string field, string label, Dictionary<string, string[]> errors) where T : struct, Enum
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        if (EnumLabels.TryParse<T>(text, out var value))
        {
            return value;
        }

        errors[field] = [$"{label}「{text}」无效。可选：{string.Join("、", Enum.GetValues<T>().Select(v => $"{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString())}（{v.Label()}）"))}。"];
        return null;
    }
}

public sealed record PointLive(
    long Id, string Code, string SensorType, string Location, string Unit, PointValueKind ValueKind, bool Active, double? UpperAlarm, double? UpperPowerOff,
    double? LowerAlarm, string? LawLocation, string? LooseNote, double? Value, short? Status, string? StatusName, DateTime? DataTime, string Colour,
    IReadOnlyList<AlarmType> OpenAlarms, IReadOnlyList<double?> Series, string? OnDescription, string? OffDescription);

public sealed record AreaLive(string Code, string Name, int Current, int? RatedCapacity, bool Over);

public sealed record MineLive(
    long MineId, string MineCode, string MineName, DateTime? LastCdssAt, bool Silent, int PeopleUnderground, string? LeadersUnderground,
    int? ShiftPersonnelLimit, IReadOnlyList<PointLive> Points, IReadOnlyList<AreaLive> Areas, int OpenAlarms);

public sealed record CountSlice(string Key, string Name, int Count);

public sealed record OverviewData(
    int Mines, int Connected, int Online, int Silent, int NeverConnected, int OpenAlarms, int MajorAlarms, int PeopleUnderground,
    IReadOnlyList<CountSlice> ByType, IReadOnlyList<CountSlice> ByCounty, IReadOnlyList<AlarmListItem> Latest, IReadOnlyList<SilentMine> SilentMines);

public sealed record SilentMine(long Id, string Name, string RegionName, DateTime? LastCdssAt);

public sealed record FeedFileItem(long Id, string FileName, FeedType? Type, string? TypeName, FeedStatus Status, string StatusName, FeedDoor Door, string DoorName,
    long Size, int RecordCount, DateTime ReceivedAt, DateTime? AppliedAt, bool Stale, string? Reason, string? ErrorKind, int DuplicateCount);

public sealed record FeedTypeSummary(FeedType Type, string TypeName, int Accepted, int Rejected, int Failed, DateTime? LastArrival);

public sealed record FeedFilesData(long MineId, string MineCode, string MineName, IReadOnlyList<FeedTypeSummary> Types, PagedResult<FeedFileItem> Files);

/// <summary>Read models of monitoring, shared by the pages and the API (every query is under the caller's jurisdiction filter).</summary>
public static class MonitoringViews
{
    /// <summary>How far back the live view and the sparklines look.</summary>
    public static readonly TimeSpan LiveWindow = TimeSpan.FromHours(1);

    public static IQueryable<AlarmListItem> Items(AppDbContext db, IQueryable<Alarm> alarms) =>
        from a in alarms
        join m in db.Set<Mine>() on a.MineId equals m.Id
        select new AlarmListItem(a.Id, a.MineId, m.Name, m.Code, a.RegionCode, a.Type, "", a.Source, "", a.State, "", a.Major, a.SubjectName, a.Message,
            a.Unit, a.Threshold, a.FirstValue, a.MaxValue, a.LastValue, a.Count, a.StartedAt, a.LastAt, a.RaisedAt, a.ClearedAt, a.ClearNote,
            a.AcknowledgedAt, a.AcknowledgedByName, a.DisposedAt, a.DisposedByName, a.Cause, a.Measures, a.HazardId);

    public static AlarmListItem Labelled(AlarmListItem a) => a with { TypeName = a.Type.Label(), SourceName = a.Source.Label(), StateName = a.State.Label() };

    public static async Task<Result<PagedResult<AlarmListItem>>> ListAsync(AppDbContext db, AlarmFilter filter, Paging paging, CancellationToken ct)
    {
        if (!filter.TryApply(db.Set<Alarm>().AsNoTracking(), db.Set<Mine>(), out var alarms, out var error))
        {
            return error;
        }

        var total = await alarms.CountAsync(ct);
        var items = await Items(db, alarms.OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id).Skip(paging.Skip).Take(paging.PageSize)).ToListAsync(ct);
        return new PagedResult<AlarmListItem>(items.Select(Labelled).ToList(), total, paging.Page, paging.PageSize);
    }

    public static async Task<AlarmListItem?> AlarmAsync(AppDbContext db, long id, CancellationToken ct) =>
        await Items(db, db.Set<Alarm>().AsNoTracking().Where(a => a.Id == id)).SingleOrDefaultAsync(ct) is { } item ? Labelled(item) : null;

    public static readonly IReadOnlyList<XlsxColumn> SheetColumns =
    [
        new("报警编号", 10, XlsxType.Number), new("煤矿编码", 14), new("煤矿名称", 26), new("报警类型", 12), new("来源", 9), new("状态", 8),
        new("重大隐患提示", 10), new("位置/对象", 26), new("报警内容", 50), new("单位", 8), new("阈值", 9, XlsxType.Number),
        new("最大(极)值", 10, XlsxType.Number), new("次数", 7, XlsxType.Number), new("开始时间", 17, XlsxType.DateTime),
        new("最后时间", 17, XlsxType.DateTime), new("解除时间", 17, XlsxType.DateTime), new("解除说明", 20), new("确认人", 10),
        new("确认时间", 17, XlsxType.DateTime), new("处置人", 10), new("处置时间", 17, XlsxType.DateTime), new("原因", 30), new("措施", 30),
    ];

    public static async IAsyncEnumerable<object?[]> SheetRowsAsync(AppDbContext db, IQueryable<Alarm> alarms, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        const int batch = 1000;
        var ordered = alarms.OrderByDescending(a => a.StartedAt).ThenByDescending(a => a.Id);
        for (var skip = 0; ; skip += batch)
        {
            var page = await Items(db, ordered.Skip(skip).Take(batch)).ToListAsync(ct);
            if (page.Count == 0)
            {
                yield break;
            }

            foreach (var a in page.Select(Labelled))
            {
                yield return
                [
                    a.Id, a.MineCode, a.MineName, a.TypeName, a.SourceName, a.StateName, a.Major ? "是" : "", a.SubjectName, a.Message, a.Unit,
                    a.Threshold, a.MaxValue, a.Count, a.StartedAt, a.LastAt, a.ClearedAt, a.ClearNote, a.AcknowledgedByName, a.AcknowledgedAt,
                    a.DisposedByName, a.DisposedAt, a.Cause, a.Measures,
                ];
            }
        }
    }

    // ---- live view of a mine ---------------------------------------------------------------------------------------

    public static async Task<MineLive?> LiveAsync(AppDbContext db, long mineId, DateTime now, TimeSpan silentAfter, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().AsNoTracking().Where(m => m.Id == mineId).Select(m => new { m.Id, m.Code, m.Name, m.ShiftPersonnelLimit }).SingleOrDefaultAsync(ct);
        if (mine is null)
        {
            return null;
        }

        var status = await db.Set<MineFeedStatus>().AsNoTracking().SingleOrDefaultAsync(s => s.MineId == mineId, ct);
        var points = await db.Set<MonitoringPoint>().AsNoTracking().Where(p => p.MineId == mineId).OrderByDescending(p => p.Active).ThenBy(p => p.Code).ToListAsync(ct);
        var ids = points.Select(p => p.Id).ToList();
        var since = now - LiveWindow;
        var readings = ids.Count == 0
            ? []
            : await db.Set<Reading>().AsNoTracking().Where(r => ids.Contains(r.PointId) && r.DataTime >= since)
                .Select(r => new { r.PointId, r.DataTime, r.Value, r.Status }).ToListAsync(ct);
        var byPoint = readings.GroupBy(r => r.PointId).ToDictionary(g => g.Key, g => g.OrderBy(r => r.DataTime).ToList());
        var open = await db.Set<Alarm>().AsNoTracking().Where(a => a.MineId == mineId && (a.State == AlarmState.Active || a.State == AlarmState.Acknowledged))
            .Select(a => new { a.PointId, a.Type }).ToListAsync(ct);
        var openByPoint = open.Where(a => a.PointId != null).GroupBy(a => a.PointId!.Value).ToDictionary(g => g.Key, g => g.Select(a => a.Type).Distinct().ToList());
        var silent = status?.LastCdssAt is not { } last || now - last > silentAfter;
        var live = points.Select(p =>
        {
            var series = byPoint.GetValueOrDefault(p.Id) ?? [];
            var latest = series.Count > 0 ? series[^1] : null;
            var alarms = openByPoint.GetValueOrDefault(p.Id) ?? [];
            return new PointLive(p.Id, p.Code, p.SensorType, p.Location, p.Unit, p.ValueKind, p.Active, p.UpperAlarm ?? p.LawAlarm, p.UpperPowerOff ?? p.LawPowerOff,
                p.LowerAlarm, p.LawLocation, p.LooseNote, latest?.Value, latest?.Status, latest is null ? null : ((PointStatus)latest.Status).ToDisplayName(),
                latest?.DataTime, Colour(p, latest?.Status, alarms, latest is null || silent), alarms, Downsample(series.Select(s => s.Value).ToList(), 120),
                p.ValueKind == PointValueKind.Switch ? p.OnDescription : null, p.ValueKind == PointValueKind.Switch ? p.OffDescription : null);
        }).ToList();
        var areas = (await db.Set<PersonnelArea>().AsNoTracking().Where(a => a.MineId == mineId).OrderBy(a => a.Code).ToListAsync(ct))
            .Select(a => new AreaLive(a.Code, a.Name, a.Current, a.RatedCapacity, a.RatedCapacity is > 0 && a.Current > a.RatedCapacity)).ToList();
        return new MineLive(mine.Id, mine.Code, mine.Name, status?.LastCdssAt, silent && status?.LastCdssAt is not null, status?.PeopleUnderground ?? 0,
            status?.LeadersUnderground, mine.ShiftPersonnelLimit, live, areas, open.Count);
    }

    /// <summary>The status colour of a point: 断电 dark red, 超限 red, fault orange, calibration blue, no data grey, normal green.</summary>
    public static string Colour(MonitoringPoint p, short? status, IReadOnlyList<AlarmType> open, bool noData)
    {
        if (!p.Active || noData)
        {
            return "silent";
        }

        var s = (PointStatus)(status ?? 0);
        if (open.Contains(AlarmType.PowerOff) || (s & PointStatus.PowerCut) != 0)
        {
            return "poweroff";
        }

        if (open.Contains(AlarmType.OverLimit) || (s & PointStatus.Alarm) != 0)
        {
            return "alarm";
        }

        if ((s & (PointStatus.SensorFault | PointStatus.SubstationFault | PointStatus.OverRange)) != 0)
        {
            return "fault";
        }

        if ((s & PointStatus.Calibrating) != 0)
        {
            return "calibrating";
        }

        return open.Contains(AlarmType.PointSilent) ? "silent" : "normal";
    }

    private static List<double?> Downsample(List<double?> values, int max)
    {
        if (values.Count <= max)
        {
            return values;
        }

        var step = (double)values.Count / max;
        return Enumerable.Range(0, max).Select(i => values[(int)(i * step)]).ToList();
    }

    /// <summary>An SVG polyline of a series (server-rendered sparkline: no script, fine at phone width).</summary>
    public static string Sparkline(IReadOnlyList<double?> series, double? threshold, int width = 120, int height = 28)
    {
        var values = series.Where(v => v is not null).Select(v => v!.Value).ToList();
        if (values.Count < 2)
        {
            return "";
        }

        var min = Math.Min(values.Min(), threshold ?? double.MaxValue);
        var max = Math.Max(values.Max(), threshold is { } t && t <= values.Max() * 1.5 ? t : double.MinValue);
        if (max - min < 1e-9)
        {
            max = min + 1;
        }

        var c = CultureInfo.InvariantCulture;
        string Y(double v) => (height - 2 - ((v - min) / (max - min) * (height - 4))).ToString("0.#", c);
        var points = new List<string>();
        for (var i = 0; i < series.Count; i++)
        {
            if (series[i] is { } v)
            {
                points.Add($"{(i * (width - 2.0) / Math.Max(1, series.Count - 1) + 1).ToString("0.#", c)},{Y(v)}");
            }
        }

        var limit = threshold is { } th && th <= max && th >= min
            ? $"<line x1=\"0\" x2=\"{width}\" y1=\"{Y(th)}\" y2=\"{Y(th)}\" class=\"spark-limit\"/>"
            : "";
        return $"<svg class=\"spark\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"近一小时曲线\">{limit}<polyline points=\"{string.Join(' ', points)}\"/></svg>";
    }

    // ---- overview ----------------------------------------------------------------------------------------------

    public static async Task<OverviewData> OverviewAsync(AppDbContext db, DateTime now, TimeSpan silentAfter, CancellationToken ct)
    {
        var cutoff = now - silentAfter;
        var expected = new[] { MineStatus.Producing, MineStatus.UnderConstruction, MineStatus.TechnicalUpgrade };
        var mines = await db.Set<Mine>().CountAsync(ct);
        var statuses = await (from s in db.Set<MineFeedStatus>()
                              join m in db.Set<Mine>() on s.MineId equals m.Id
                              select new { m.Id, m.Name, m.RegionCode, m.Status, s.LastCdssAt, s.LastRyssAt, s.PeopleUnderground }).AsNoTracking().ToListAsync(ct);
        var online = statuses.Count(s => s.LastCdssAt >= cutoff);
        var silent = statuses.Where(s => (s.LastCdssAt is null || s.LastCdssAt < cutoff) && expected.Contains(s.Status)).ToList();
        var never = await db.Set<Mine>().CountAsync(m => expected.Contains(m.Status), ct) - statuses.Count(s => expected.Contains(s.Status));
        var open = db.Set<Alarm>().AsNoTracking().Where(a => a.State == AlarmState.Active || a.State == AlarmState.Acknowledged);
        var byType = (await open.GroupBy(a => a.Type).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
            .OrderBy(g => g.Key).Select(g => new CountSlice(g.Key.ToString(), g.Key.Label(), g.Count)).ToList();
        var byCountyCode = await open.GroupBy(a => a.RegionCode.Substring(0, 6)).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var countyCodes = byCountyCode.Select(c => c.Key).ToList();
        var countyNames = await db.Regions.AsNoTracking().Where(r => countyCodes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var byCounty = byCountyCode.OrderByDescending(c => c.Count).Select(c => new CountSlice(c.Key, countyNames.GetValueOrDefault(c.Key) ?? c.Key, c.Count)).ToList();
        var latest = (await Items(db, open.OrderByDescending(a => a.RaisedAt).ThenByDescending(a => a.Id).Take(15)).ToListAsync(ct)).Select(Labelled).ToList();
        var regionNames = await RegionNamesAsync(db, silent.Select(s => s.RegionCode), ct);
        return new OverviewData(mines, statuses.Count, online, silent.Count, Math.Max(0, never), await open.CountAsync(ct), await open.CountAsync(a => a.Major, ct),
            statuses.Where(s => s.LastRyssAt >= cutoff).Sum(s => s.PeopleUnderground), byType, byCounty, latest,
            silent.OrderBy(s => s.LastCdssAt).Take(20).Select(s => new SilentMine(s.Id, s.Name, regionNames.GetValueOrDefault(s.RegionCode) ?? s.RegionCode, s.LastCdssAt)).ToList());
    }

    private static async Task<Dictionary<string, string>> RegionNamesAsync(AppDbContext db, IEnumerable<string> codes, CancellationToken ct)
    {
        var list = codes.Distinct().ToList();
        return list.Count == 0 ? [] : await db.Regions.AsNoTracking().Where(r => list.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.FullName ?? r.Name, ct);
    }

    // ---- feed files of a mine ----------------------------------------------------------------------------------------

    public static async Task<FeedFilesData?> FilesAsync(AppDbContext db, long mineId, FeedStatus? status, Paging paging, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().AsNoTracking().Where(m => m.Id == mineId).Select(m => new { m.Id, m.Code, m.Name }).SingleOrDefaultAsync(ct);
        if (mine is null)
        {
            return null;
        }

        var files = db.Set<FeedUpload>().AsNoTracking().Where(f => f.MineId == mineId);
        var summary = await files.GroupBy(f => new { f.Type, f.Status })
            .Select(g => new { g.Key.Type, g.Key.Status, Count = g.Count(), Last = g.Max(f => f.ReceivedAt) }).ToListAsync(ct);
        var types = summary.Where(s => s.Type != null).GroupBy(s => s.Type!.Value).OrderBy(g => g.Key).Select(g => new FeedTypeSummary(
            g.Key, g.Key.DisplayName(), g.Where(s => s.Status is FeedStatus.Accepted or FeedStatus.Applied).Sum(s => s.Count),
            g.Where(s => s.Status == FeedStatus.Rejected).Sum(s => s.Count), g.Where(s => s.Status == FeedStatus.Failed).Sum(s => s.Count),
            g.Where(s => s.Status != FeedStatus.Rejected).Select(s => (DateTime?)s.Last).Max())).ToList();
        if (status is { } st)
        {
            files = files.Where(f => f.Status == st);
        }

        var total = await files.CountAsync(ct);
        var page = await files.OrderByDescending(f => f.Id).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var items = page.Select(f => new FeedFileItem(f.Id, f.FileName, f.Type, f.Type?.DisplayName(), f.Status, f.Status.Label(), f.Door, f.Door.Label(),
            f.Size, f.RecordCount, f.ReceivedAt, f.AppliedAt, f.Stale, f.Reason, f.ErrorKind, f.DuplicateCount)).ToList();
        return new FeedFilesData(mine.Id, mine.Code, mine.Name, types, new PagedResult<FeedFileItem>(items, total, paging.Page, paging.PageSize));
    }
}
