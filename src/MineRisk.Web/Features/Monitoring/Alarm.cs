using System.ComponentModel;
using MineRisk.Feeds;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// An alarm of a mine: raised by the platform's check of the readings and personnel data, or reported by the mine's system
/// (YCBJ). For the platform's own there is at most one open (active or acknowledged) alarm per mine, subject and type;
/// repeats update it. People acknowledge it and, once cleared, dispose of it (cause and measures); both are audited.
/// </summary>
[DisplayName("监测报警")]
public sealed class Alarm : IScoped
{
    /// <summary>The lifecycle (DESIGN §1 workflow): only these moves exist, for people and for the engine.</summary>
    public static readonly TransitionTable<AlarmState, AlarmAction> Transitions = new TransitionTable<AlarmState, AlarmAction>()
        .Allow(AlarmState.Active, AlarmAction.Acknowledge, AlarmState.Acknowledged)
        .Allow(AlarmState.Active, AlarmAction.Clear, AlarmState.Cleared)
        .Allow(AlarmState.Acknowledged, AlarmAction.Clear, AlarmState.Cleared)
        .Allow(AlarmState.Cleared, AlarmAction.Dispose, AlarmState.Disposed);

    /// <summary>The states an alarm is open in (the condition still holds).</summary>
    public static readonly AlarmState[] OpenStates = [AlarmState.Active, AlarmState.Acknowledged];

    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public long? PointId { get; init; }

    /// <summary>What it is about within the mine: a point code, an area code, a shift; empty for the whole mine.</summary>
    public required string SubjectKey { get; init; }

    /// <summary>Its name for people (安装位置, area name, 早班…).</summary>
    public string SubjectName { get; init; } = "";

    public AlarmType Type { get; init; }

    public AlarmSource Source { get; init; }

    /// <summary>The YCBJ 异常类型 of a reported alarm.</summary>
    public AlarmKind? ReportedKind { get; init; }

    public AlarmState State { get; private set; }

    /// <summary>Suggested as a major hazard (判定标准), e.g. 超员 beyond 20 %, or no power cut where one was due.</summary>
    public bool Major { get; set; }

    public string Message { get; set; } = "";

    public string Unit { get; init; } = "";

    public double? Threshold { get; init; }

    /// <summary>A lower limit (下限): the further below, the worse.</summary>
    public bool LowerLimit { get; init; }

    public double? FirstValue { get; init; }

    public double? LastValue { get; set; }

    public double? MaxValue { get; set; }

    /// <summary>How many readings or reports carried the condition.</summary>
    public int Count { get; set; } = 1;

    /// <summary>When the condition began (data time, UTC).</summary>
    public DateTime StartedAt { get; init; }

    /// <summary>The last reading or report that carried it (data time, UTC).</summary>
    public DateTime LastAt { get; set; }

    /// <summary>When the platform raised it (its clock): latency is measured from file acceptance to this.</summary>
    public DateTime RaisedAt { get; init; }

    public DateTime? ClearedAt { get; private set; }

    public double? ClearValue { get; private set; }

    /// <summary>Why it cleared (e.g. 复电, 数据恢复).</summary>
    public string? ClearNote { get; private set; }

    public DateTime? AcknowledgedAt { get; private set; }

    public long? AcknowledgedById { get; private set; }

    public string? AcknowledgedByName { get; private set; }

    public DateTime? DisposedAt { get; private set; }

    public long? DisposedById { get; private set; }

    public string? DisposedByName { get; private set; }

    /// <summary>原因 (disposal; for a reported alarm also what the mine wrote).</summary>
    public string? Cause { get; private set; }

    /// <summary>措施.</summary>
    public string? Measures { get; private set; }

    /// <summary>YCBJ identity (point, kind, start), so a re-sent open alarm updates the same row.</summary>
    public string? ExternalKey { get; init; }

    /// <summary>The hazard registered from this alarm (报警转隐患, <see cref="AlarmActions.RegisterHazardAsync"/>).</summary>
    public long? HazardId { get; set; }

    public static Alarm Raise(MineRef mine, AlarmType type, AlarmSource source, string subjectKey, string subjectName, long? pointId,
        string message, string unit, double? threshold, double? value, DateTime startedAt, DateTime now, AlarmKind? reportedKind = null, string? externalKey = null,
        bool lowerLimit = false) => new()
    {
        LowerLimit = lowerLimit,
        MineId = mine.Id,
        RegionCode = mine.RegionCode,
        EnterpriseId = mine.EnterpriseId,
        Type = type,
        Source = source,
        SubjectKey = subjectKey,
        SubjectName = subjectName,
        PointId = pointId,
        Message = message,
        Unit = unit,
        Threshold = threshold,
        FirstValue = value,
        LastValue = value,
        MaxValue = value,
        StartedAt = startedAt,
        LastAt = startedAt,
        RaisedAt = now,
        State = AlarmState.Active,
        ReportedKind = reportedKind,
        ExternalKey = externalKey,
    };

    /// <summary>The condition was seen again: counts it and keeps the last and the extreme value.</summary>
    public void Repeat(double? value, DateTime at)
    {
        Count++;
        if (at > LastAt)
        {
            LastAt = at;
            LastValue = value;
        }

        if (value is { } v && (MaxValue is null || Extreme(v, MaxValue.Value)))
        {
            MaxValue = v;
        }
    }

    /// <summary>Whether <paramref name="candidate"/> is further from normal than <paramref name="current"/> (lower limits count downwards).</summary>
    public bool Extreme(double candidate, double current) => LowerLimit ? candidate < current : candidate > current;

    public Result Acknowledge(long? userId, string userName, DateTime now)
    {
        if (!Transitions.Next(State, AlarmAction.Acknowledge).TryGetValue(out var next, out var error))
        {
            return error;
        }

        State = next;
        AcknowledgedAt = now;
        AcknowledgedById = userId;
        AcknowledgedByName = userName;
        return Result.Ok;
    }

    /// <summary>The condition ended (by the engine for its own alarms, by a YCBJ end time for reported ones).</summary>
    public Result Clear(DateTime at, double? value, string note)
    {
        if (!Transitions.Next(State, AlarmAction.Clear).TryGetValue(out var next, out var error))
        {
            return error;
        }

        State = next;
        ClearedAt = at;
        ClearValue = value;
        ClearNote = note;
        return Result.Ok;
    }

    /// <summary>处置: what caused it and what was done, by whom. Closes the alarm.</summary>
    public Result Dispose(string? cause, string? measures, long? userId, string userName, DateTime now)
    {
        cause = cause?.Trim();
        measures = measures?.Trim();
        if (string.IsNullOrEmpty(cause) || string.IsNullOrEmpty(measures))
        {
            return new ValidationError("处置须填写原因和措施。", new Dictionary<string, string[]>
            {
                ["cause"] = string.IsNullOrEmpty(cause) ? ["请填写报警原因。"] : [],
                ["measures"] = string.IsNullOrEmpty(measures) ? ["请填写采取的措施。"] : [],
            }.Where(f => f.Value.Length > 0).ToDictionary(f => f.Key, f => f.Value));
        }

        if (cause.Length > 500 || measures.Length > 500)
        {
            return new ValidationError("原因和措施各不超过 500 字。");
        }

        if (!Transitions.Next(State, AlarmAction.Dispose).TryGetValue(out var next, out var error))
        {
            return error;
        }

        State = next;
        Cause = cause;
        Measures = measures;
        DisposedAt = now;
        DisposedById = userId;
        DisposedByName = userName;
        return Result.Ok;
    }

    /// <summary>
    /// The engine's <see cref="Clear"/> of a committed alarm it does not load: one UPDATE guarded by the states the transition
    /// table allows it from, so it never races a person's acknowledgement into a state the table forbids.
    /// </summary>
    public static Task<int> ClearCommittedAsync(IQueryable<Alarm> alarms, long id, DateTime at, double? value, string note, CancellationToken ct)
    {
        var from = StatesAllowing(AlarmAction.Clear);
        var to = Transitions.Next(from[0], AlarmAction.Clear).Value;
        return Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ExecuteUpdateAsync(
            alarms.Where(a => a.Id == id && from.Contains(a.State)),
            s => s.SetProperty(a => a.State, to).SetProperty(a => a.ClearedAt, at).SetProperty(a => a.ClearValue, value).SetProperty(a => a.ClearNote, note),
            ct);
    }

    /// <summary>The states from which <paramref name="action"/> is allowed (what a bulk update by the engine may touch).</summary>
    public static AlarmState[] StatesAllowing(AlarmAction action) =>
        Transitions.Moves.Where(m => m.Action == action).Select(m => m.From).Distinct().ToArray();
}

/// <summary>The jurisdiction of a mine as alarms and readings copy it.</summary>
public sealed record MineRef(long Id, string Code, string Name, string RegionCode, long? EnterpriseId);
