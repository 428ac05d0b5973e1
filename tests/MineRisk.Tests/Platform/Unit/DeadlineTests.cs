using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Tests.Platform.Unit;

public sealed class DeadlineTests
{
    private sealed record Place(string RegionCode, long? EnterpriseId) : IScoped;

    private static readonly EscalationPolicy Policy = new() { Upward = EscalationPolicy.DefaultUpward() };

    private static readonly DateTime Start = new(2026, 6, 15, 2, 0, 0, DateTimeKind.Utc);

    private static Deadline Open(TimeSpan span) =>
        Deadline.Open("test", 1, "整改", new Place("530302101", null), Start, Start + span, Policy, assigneeUserId: 7);

    [Fact]
    public void StatusAt_IsNormalThenDueSoonThenOverdue()
    {
        var d = Open(TimeSpan.FromDays(20)); // warned 3 days before (the configured window)
        Assert.Equal(DeadlineStatus.Normal, d.StatusAt(Start));
        Assert.Equal(DeadlineStatus.Normal, d.StatusAt(Start.AddDays(16.9)));
        Assert.Equal(DeadlineStatus.DueSoon, d.StatusAt(Start.AddDays(17)));
        Assert.Equal(DeadlineStatus.DueSoon, d.StatusAt(Start.AddDays(20).AddSeconds(-1)));
        Assert.Equal(DeadlineStatus.Overdue, d.StatusAt(Start.AddDays(20)));
    }

    [Fact]
    public void WarnWindow_IsAtMostAQuarterOfAShortDeadline()
    {
        var d = Open(TimeSpan.FromHours(2)); // e.g. an incident's on-site limit
        Assert.Equal(30, d.WarnMinutes);
        Assert.Equal(DeadlineStatus.Normal, d.StatusAt(Start.AddMinutes(89)));
        Assert.Equal(DeadlineStatus.DueSoon, d.StatusAt(Start.AddMinutes(90)));
    }

    [Fact]
    public void Pause_StopsTheClock_AndResumeMovesTheDueDateByThePausedTime()
    {
        var d = Open(TimeSpan.FromDays(10));
        Assert.True(d.Pause(Start.AddDays(2)).IsOk);
        Assert.Equal(DeadlineStatus.Paused, d.StatusAt(Start.AddDays(20)));
        Assert.Null(d.NextEscalationAt);
        Assert.True(d.Resume(Start.AddDays(5), Policy).IsOk);
        Assert.Equal(Start.AddDays(13), d.DueAt);
        Assert.Equal(3 * 24 * 3600, d.PausedSeconds);
        Assert.Equal(DeadlineStatus.Normal, d.StatusAt(Start.AddDays(9)));
    }

    [Fact]
    public void Pause_WhenAlreadyPaused_IsRefusedAndChangesNothing()
    {
        var d = Open(TimeSpan.FromDays(10));
        d.Pause(Start.AddDays(1));
        var result = d.Pause(Start.AddDays(2));
        var error = Assert.IsType<ConflictError>(result.Error);
        Assert.Contains("已处于暂停", error.Message);
        Assert.Equal(DeadlineStatus.Paused, d.StatusAt(Start.AddDays(3)));
        Assert.IsType<ConflictError>(Open(TimeSpan.FromDays(1)).Resume(Start, Policy).Error);
    }

    [Fact]
    public void Complete_Twice_IsRefused()
    {
        var d = Open(TimeSpan.FromDays(10));
        Assert.True(d.Complete(Start.AddDays(1)).IsOk);
        Assert.IsType<ConflictError>(d.Complete(Start.AddDays(2)).Error);
        Assert.Equal(DeadlineStatus.Done, d.StatusAt(Start.AddDays(30)));
        Assert.Null(d.NextEscalationAt);
    }

    [Fact]
    public void Extend_NeedsAReasonALaterDateAndAnotherApprover()
    {
        var d = Open(TimeSpan.FromDays(10));
        var due = d.DueAt;
        Assert.IsType<ValidationError>(d.Extend(due.AddDays(5), " ", 7, 8, Start, Policy).Error);
        Assert.IsType<ValidationError>(d.Extend(due.AddDays(-1), "设备未到货", 7, 8, Start, Policy).Error);
        Assert.IsType<ForbiddenError>(d.Extend(due.AddDays(5), "设备未到货", 7, 7, Start, Policy).Error);
        Assert.Equal(due, d.DueAt);
        Assert.Empty(d.Extensions);

        Assert.True(d.Extend(due.AddDays(5), "设备未到货", 7, 8, Start, Policy).IsOk);
        Assert.Equal(due.AddDays(5), d.DueAt);
        Assert.Equal(1, d.Round);
        var extension = Assert.Single(d.Extensions);
        Assert.Equal("设备未到货", extension.Reason);
    }

    [Fact]
    public void Escalation_LevelsFallDueInOrder_AndAnExtensionStartsANewRound()
    {
        var d = Open(TimeSpan.FromDays(20));
        Assert.Equal(Start.AddDays(17), d.NextEscalationAt); // 临期 3 days before
        d.MarkEscalated(EscalationPolicy.DueSoonLevel, Start.AddDays(17), Policy);
        Assert.Equal(Start.AddDays(20), d.NextEscalationAt); // 超期
        d.MarkEscalated(EscalationPolicy.OverdueLevel, Start.AddDays(20), Policy);
        Assert.Equal(Start.AddDays(21), d.NextEscalationAt); // 上级督办 one day later
        d.MarkEscalated(3, Start.AddDays(21), Policy);
        Assert.Equal(Start.AddDays(23), d.NextEscalationAt);
        d.MarkEscalated(4, Start.AddDays(23), Policy);
        Assert.Null(d.NextEscalationAt);

        d.Extend(Start.AddDays(40), "复杂", 7, 9, Start.AddDays(24), Policy);
        Assert.Equal(0, d.EscalatedLevel);
        Assert.Equal(Start.AddDays(37), d.NextEscalationAt);
    }
}
