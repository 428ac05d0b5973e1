namespace MineRisk.Web.Platform.Deadlines;

/// <summary>
/// The escalation ladder of every deadline (configuration section <c>Deadlines</c>): level 1 临期提醒 before the due
/// date, level 2 超期提醒 at the due date, then one level per <see cref="Upward"/> step: notify the regulators one,
/// then two levels up the region tree (上级督办). Local practice, so configuration rather than code.
/// </summary>
public sealed class EscalationPolicy
{
    public const int DueSoonLevel = 1;
    public const int OverdueLevel = 2;
    public const int FirstUpwardLevel = 3;

    /// <summary>How long before the due date a deadline is 临期 (at most a quarter of its whole span).</summary>
    public TimeSpan WarnBefore { get; set; } = TimeSpan.FromDays(3);

    /// <summary>How often the sweeper looks for deadlines to escalate.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(1);

    public bool SweeperEnabled { get; set; } = true;

    /// <summary>Upward steps; configuration replaces <see cref="DefaultUpward"/> (applied when none is configured).</summary>
    public List<UpwardStep> Upward { get; set; } = [];

    public static List<UpwardStep> DefaultUpward() =>
    [
        new() { After = TimeSpan.FromDays(1), LevelsUp = 1 },
        new() { After = TimeSpan.FromDays(3), LevelsUp = 2 },
    ];

    public int MaxLevel => OverdueLevel + Upward.Count;

    public string LevelName(int level) => level switch
    {
        DueSoonLevel => "临期提醒",
        OverdueLevel => "超期提醒",
        FirstUpwardLevel => "上级督办",
        _ => $"第{level - OverdueLevel}级督办",
    };
}

/// <summary>An upward step: <see cref="After"/> past the due date, notify the regulators <see cref="LevelsUp"/> levels up.</summary>
public sealed class UpwardStep
{
    public TimeSpan After { get; set; }

    public int LevelsUp { get; set; }
}
