using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Deadlines;

/// <summary>正常 / 临期 / 超期: always computed from the clock, never stored (DESIGN §1).</summary>
public enum DeadlineStatus
{
    [Display(Name = "正常")] Normal,
    [Display(Name = "临期")] DueSoon,
    [Display(Name = "超期")] Overdue,
    [Display(Name = "已暂停")] Paused,
    [Display(Name = "已完成")] Done,
}

/// <summary>
/// A dated obligation of some ledger item (a licence to renew, a hazard to fix, a petition to answer), with who is
/// responsible. Modules open one through <see cref="DeadlineService"/>; the sweeper escalates it when it falls due.
/// </summary>
[DisplayName("期限")]
public sealed class Deadline : IScoped
{
    public long Id { get; init; }

    /// <summary>The kind of item, e.g. <c>licence</c>, <c>hazard</c>.</summary>
    public required string SubjectType { get; init; }

    public long SubjectId { get; init; }

    /// <summary>What must be done, in Chinese, e.g. 安全生产许可证到期换证.</summary>
    public required string Title { get; set; }

    /// <summary>Where the item is shown (a page path).</summary>
    public string? Link { get; set; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public long? MineId { get; set; }

    public long? AssigneeUserId { get; set; }

    /// <summary>The responsible unit (its users are told when no person is assigned).</summary>
    public long? OrganisationId { get; set; }

    public DateTime StartAt { get; init; }

    public DateTime DueAt { get; private set; }

    /// <summary>How long before <see cref="DueAt"/> the deadline counts as 临期.</summary>
    public int WarnMinutes { get; set; }

    public DateTime? PausedAt { get; private set; }

    public long PausedSeconds { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    /// <summary>Incremented by each extension: escalation restarts for the new due date.</summary>
    public int Round { get; private set; }

    /// <summary>The highest escalation level already done in this round (0 = none).</summary>
    public int EscalatedLevel { get; private set; }

    /// <summary>When the next escalation level falls due (null: none left, or paused or done). Indexed for the sweeper.</summary>
    public DateTime? NextEscalationAt { get; private set; }

    public List<DeadlineExtension> Extensions { get; init; } = [];

    public List<DeadlineEscalation> Escalations { get; init; } = [];

    /// <param name="warnBefore">How long before the due date it is 临期; by default the policy's window, at most a quarter of the span.</param>
    public static Deadline Open(string subjectType, long subjectId, string title, IScoped scope, DateTime startAt, DateTime dueAt,
        EscalationPolicy policy, long? assigneeUserId = null, long? organisationId = null, long? mineId = null, string? link = null,
        TimeSpan? warnBefore = null)
    {
        var span = dueAt - startAt;
        var warn = warnBefore ?? TimeSpan.FromTicks(Math.Min(policy.WarnBefore.Ticks, Math.Max(span.Ticks / 4, 0)));
        var deadline = new Deadline
        {
            SubjectType = subjectType,
            SubjectId = subjectId,
            Title = title,
            Link = link,
            RegionCode = scope.RegionCode,
            EnterpriseId = scope.EnterpriseId,
            MineId = mineId,
            AssigneeUserId = assigneeUserId,
            OrganisationId = organisationId,
            StartAt = startAt,
            DueAt = dueAt,
            WarnMinutes = (int)warn.TotalMinutes,
        };
        deadline.ScheduleNext(policy);
        return deadline;
    }

    public DeadlineStatus StatusAt(DateTime nowUtc)
    {
        if (CompletedAt is not null)
        {
            return DeadlineStatus.Done;
        }

        if (PausedAt is not null)
        {
            return DeadlineStatus.Paused;
        }

        if (nowUtc >= DueAt)
        {
            return DeadlineStatus.Overdue;
        }

        return nowUtc >= DueAt.AddMinutes(-WarnMinutes) ? DeadlineStatus.DueSoon : DeadlineStatus.Normal;
    }

    /// <summary>Time left (negative when overdue).</summary>
    public TimeSpan Remaining(DateTime nowUtc) => DueAt - nowUtc;

    public Result Complete(DateTime nowUtc)
    {
        if (CompletedAt is not null)
        {
            return new ConflictError("该期限已完成。");
        }

        CompletedAt = nowUtc;
        NextEscalationAt = null;
        return Result.Ok;
    }

    /// <summary>Stops the clock (e.g. 复核 hearing time is not counted, 信访工作条例 第36条).</summary>
    public Result Pause(DateTime nowUtc)
    {
        if (CompletedAt is not null)
        {
            return new ConflictError("该期限已完成，不能暂停。");
        }

        if (PausedAt is not null)
        {
            return new ConflictError("该期限已处于暂停状态。");
        }

        PausedAt = nowUtc;
        NextEscalationAt = null;
        return Result.Ok;
    }

    /// <summary>Restarts the clock; the due date moves by the time spent paused.</summary>
    public Result Resume(DateTime nowUtc, EscalationPolicy policy)
    {
        if (PausedAt is not { } pausedAt)
        {
            return new ConflictError("该期限未暂停，无需恢复。");
        }

        var paused = nowUtc - pausedAt;
        PausedSeconds += (long)paused.TotalSeconds;
        DueAt += paused;
        PausedAt = null;
        ScheduleNext(policy);
        return Result.Ok;
    }

    /// <summary>Moves the due date later, with a reason and the approval of someone other than the requester.</summary>
    public Result Extend(DateTime newDueAt, string reason, long requestedById, long approvedById, DateTime nowUtc, EscalationPolicy policy)
    {
        if (CompletedAt is not null)
        {
            return new ConflictError("该期限已完成，不能延期。");
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return ValidationError.For("reason", "延期必须说明理由。");
        }

        if (newDueAt <= DueAt)
        {
            return ValidationError.For("newDueAt", "延期后的期限必须晚于原期限。");
        }

        if (approvedById == requestedById)
        {
            return new ForbiddenError("延期须由申请人以外的人批准。");
        }

        Extensions.Add(new DeadlineExtension
        {
            OldDueAt = DueAt,
            NewDueAt = newDueAt,
            Reason = reason.Trim(),
            RequestedById = requestedById,
            ApprovedById = approvedById,
            At = nowUtc,
        });
        DueAt = newDueAt;
        Round++;
        EscalatedLevel = 0;
        ScheduleNext(policy);
        return Result.Ok;
    }

    /// <summary>Records that escalation <paramref name="level"/> was done and schedules the next one.</summary>
    internal DeadlineEscalation MarkEscalated(int level, DateTime nowUtc, EscalationPolicy policy)
    {
        EscalatedLevel = level;
        ScheduleNext(policy);
        var escalation = new DeadlineEscalation { Round = Round, Level = level, At = nowUtc };
        Escalations.Add(escalation);
        return escalation;
    }

    /// <summary>The instant escalation <paramref name="level"/> falls due.</summary>
    public DateTime LevelDueAt(int level, EscalationPolicy policy) => level switch
    {
        EscalationPolicy.DueSoonLevel => DueAt.AddMinutes(-WarnMinutes),
        EscalationPolicy.OverdueLevel => DueAt,
        _ => DueAt + policy.Upward[level - EscalationPolicy.FirstUpwardLevel].After,
    };

    private void ScheduleNext(EscalationPolicy policy)
    {
        var next = EscalatedLevel + 1;
        NextEscalationAt = CompletedAt is null && PausedAt is null && next <= policy.MaxLevel ? LevelDueAt(next, policy) : null;
    }
}

/// <summary>An approved extension of a deadline (who asked, who approved, why).</summary>
[DisplayName("期限延期")]
public sealed class DeadlineExtension
{
    public long Id { get; init; }

    public long DeadlineId { get; init; }

    public DateTime OldDueAt { get; init; }

    public DateTime NewDueAt { get; init; }

    public required string Reason { get; init; }

    public long RequestedById { get; init; }

    public long ApprovedById { get; init; }

    public DateTime At { get; init; }
}

/// <summary>
/// One escalation step done for a deadline. Unique per (deadline, round, level): this is what makes each step
/// happen exactly once even when several app instances sweep at the same time.
/// </summary>
[DisplayName("期限预警升级")]
public sealed class DeadlineEscalation
{
    public long Id { get; init; }

    public long DeadlineId { get; init; }

    public int Round { get; init; }

    public int Level { get; init; }

    public DateTime At { get; init; }
}
