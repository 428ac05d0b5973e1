using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Notifications;

namespace MineRisk.Web.Platform.Deadlines;

/// <summary>
/// The deadline engine (DESIGN §1): modules open deadlines here; <see cref="EscalateDueAsync"/> (run by the
/// <see cref="DeadlineSweeper"/>) performs each escalation step once.
/// </summary>
public sealed partial class DeadlineService(
    AppDbContext db,
    Notifier notifier,
    TimeProvider clock,
    IOptions<EscalationPolicy> options,
    ILogger<DeadlineService> logger)
{
    public EscalationPolicy Policy => options.Value;

    public WorkCalendar Calendar => WorkCalendar.Default;

    /// <summary>Opens a deadline <paramref name="days"/> calendar or working days from now (added to the unit of work).</summary>
    public Deadline OpenInDays(string subjectType, long subjectId, string title, IScoped scope, int days, DayCount count,
        long? assigneeUserId = null, long? organisationId = null, long? mineId = null, string? link = null, bool rollToWorkingDay = false)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = Calendar.DueAt(now, days, count, rollToWorkingDay);
        return Open(subjectType, subjectId, title, scope, due, assigneeUserId, organisationId, mineId, link);
    }

    /// <summary>Opens a deadline due at <paramref name="dueAt"/> (UTC), added to the unit of work.</summary>
    public Deadline Open(string subjectType, long subjectId, string title, IScoped scope, DateTime dueAt,
        long? assigneeUserId = null, long? organisationId = null, long? mineId = null, string? link = null, TimeSpan? warnBefore = null)
    {
        var deadline = Deadline.Open(subjectType, subjectId, title, scope, clock.GetUtcNow().UtcDateTime, dueAt, Policy,
            assigneeUserId, organisationId, mineId, link, warnBefore);
        db.Deadlines.Add(deadline);
        if (assigneeUserId is { } assignee)
        {
            notifier.Notify([assignee], NotificationKind.Assigned, $"新任务：{title}", $"期限 {ChinaTime.Format(dueAt)}", link);
        }

        return deadline;
    }

    /// <summary>The end (exclusive) of a China calendar day, as UTC: the due instant of a date-only deadline.</summary>
    public static DateTime EndOf(DateOnly day) => ChinaTime.StartOfDay(day.AddDays(1));

    /// <summary>
    /// Performs every escalation step that has fallen due, each in its own transaction. Returns the number of steps
    /// done. Safe to run from several instances at once: a step already done elsewhere is refused by the unique
    /// index on (deadline, round, level) and skipped here.
    /// </summary>
    public async Task<int> EscalateDueAsync(int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = await db.Deadlines
            .Where(d => d.NextEscalationAt != null && d.NextEscalationAt <= now && d.CompletedAt == null && d.PausedAt == null)
            .OrderBy(d => d.NextEscalationAt)
            .Select(d => d.Id)
            .Take(batchSize)
            .ToListAsync(ct);
        var done = 0;
        foreach (var id in ids)
        {
            done += await EscalateOneAsync(id, now, ct);
        }

        return done;
    }

    private async Task<int> EscalateOneAsync(long id, DateTime now, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var deadline = await db.Deadlines.SingleAsync(d => d.Id == id, ct);
        var steps = 0;
        while (deadline.NextEscalationAt is { } at && at <= now)
        {
            var level = deadline.EscalatedLevel + 1;
            // A 临期 reminder that is already overtaken by the due date is recorded but not sent.
            var overtaken = level == EscalationPolicy.DueSoonLevel && deadline.LevelDueAt(EscalationPolicy.OverdueLevel, Policy) <= now;
            if (!overtaken)
            {
                await NotifyLevelAsync(deadline, level, ct);
            }

            deadline.MarkEscalated(level, now, Policy);
            steps++;
        }

        try
        {
            await db.SaveChangesAsync(ct);
            return steps;
        }
        catch (DbUpdateException ex)
        {
            // Another instance did this step first (unique index): nothing to do here.
            LogAlreadyEscalated(id, ex.InnerException?.Message ?? ex.Message);
            db.ChangeTracker.Clear();
            return 0;
        }
    }

    private async Task NotifyLevelAsync(Deadline d, int level, CancellationToken ct)
    {
        var direct = new List<long>();
        if (d.AssigneeUserId is { } assignee)
        {
            direct.Add(assignee);
        }
        else if (d.OrganisationId is { } org)
        {
            direct.AddRange(await notifier.MembersOfAsync(org, ct));
        }

        var name = Policy.LevelName(level);
        var due = ChinaTime.Format(d.DueAt);
        switch (level)
        {
            case EscalationPolicy.DueSoonLevel:
                notifier.Notify(direct, NotificationKind.DueSoon, $"{name}：{d.Title}", $"将于 {due} 到期。", d.Link, d.Id);
                break;
            case EscalationPolicy.OverdueLevel:
                notifier.Notify(direct, NotificationKind.Overdue, $"{name}：{d.Title}", $"已于 {due} 到期，尚未办结。", d.Link, d.Id);
                break;
            default:
                var step = Policy.Upward[level - EscalationPolicy.FirstUpwardLevel];
                var upper = await RegulatorsAboveAsync(d, step.LevelsUp, ct);
                var body = $"期限 {due}，已超期未办结，请督促办理。";
                notifier.Notify(upper, NotificationKind.Supervision, $"{name}：{d.Title}", body, d.Link, d.Id);
                notifier.Notify(direct.Except(upper), NotificationKind.Supervision, $"已被{name}：{d.Title}", body, d.Link, d.Id);
                break;
        }
    }

    /// <summary>The regulators of the <paramref name="levelsUp"/>-th region above the responsible one that has any.</summary>
    private async Task<List<long>> RegulatorsAboveAsync(Deadline d, int levelsUp, CancellationToken ct)
    {
        var baseRegion = d.RegionCode;
        if (d.OrganisationId is { } orgId)
        {
            baseRegion = await db.Organisations.Where(o => o.Id == orgId).Select(o => o.RegionCode).SingleOrDefaultAsync(ct) ?? baseRegion;
        }

        var found = 0;
        var code = await db.Regions.Where(r => r.Code == baseRegion).Select(r => r.ParentCode).SingleOrDefaultAsync(ct);
        while (code is not null)
        {
            var regulators = await notifier.RegulatorsAtAsync(code, ct);
            if (regulators.Count > 0 && ++found == levelsUp)
            {
                return regulators;
            }

            var current = code;
            code = await db.Regions.Where(r => r.Code == current).Select(r => r.ParentCode).SingleOrDefaultAsync(ct);
        }

        return [];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "期限 {DeadlineId} 的升级已由其他实例完成，跳过：{Reason}")]
    private partial void LogAlreadyEscalated(long deadlineId, string reason);
}
