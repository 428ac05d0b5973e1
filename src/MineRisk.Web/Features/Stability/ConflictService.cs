using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Stability;

public sealed record ConflictInput(long? MineId, ConflictCategory? Category, string? Description, double? Amount, int? Persons, RiskGrade? RiskGrade,
    long? LeaderUserId, string? ResponsibleUnit, string? ResponsiblePerson, string? Measures, DateOnly? Deadline);

public sealed record ConflictTransitionInput(string? Action, string? Note, DateOnly? Deadline);

public sealed record ConflictNoteInput(string? Text, IReadOnlyList<long>? AttachmentIds);

/// <summary>A user who may be named 包案领导 for a mine.</summary>
public sealed record LeaderOption(long Id, string Name, string Organisation, string RegionCode);

/// <summary>The conflict ledger's writes: registration, the 挂号/销号 workflow with deadlines, the daily progress notes.</summary>
public sealed class ConflictService(AppDbContext db, CurrentUser user, TimeProvider clock, DeadlineService deadlines, Notifier notifier)
{
    public const string Subject = "conflict";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(Now));

    /// <summary>Regulators whose jurisdiction covers the mine: the possible 包案领导.</summary>
    public async Task<List<LeaderOption>> LeadersForAsync(string mineRegionCode, CancellationToken ct)
    {
        var roleIds = await db.Roles.Where(r => Roles.Regulators.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        // Organisation is scoped to the caller, but a county officer may name a city leader (包案 goes upward):
        // the filter is lifted here and replaced by "the organisation's region contains the mine".
        var candidates = await db.Users.IgnoreQueryFilters()
            .Where(u => u.Organisation != null && db.UserRoles.Any(ur => ur.UserId == u.Id && roleIds.Contains(ur.RoleId)))
            .Select(u => new { u.Id, u.DisplayName, Org = u.Organisation!.Name, Region = u.Organisation.RegionCode })
            .ToListAsync(ct);
        return candidates.Where(c => Platform.Regions.RegionCodes.IsWithin(mineRegionCode, c.Region))
            .OrderByDescending(c => c.Region.Length).ThenBy(c => c.DisplayName)
            .Select(c => new LeaderOption(c.Id, c.DisplayName, c.Org, c.Region)).ToList();
    }

    public async Task<Result<Conflict>> CreateAsync(ConflictInput input, CancellationToken ct)
    {
        if (!StabilityAccess.CanKeepLedger(user))
        {
            return new ForbiddenError("只有监管部门和信访部门可以登记不稳定因素。");
        }

        var mine = input.MineId is { } mineId ? await db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == mineId, ct) : null;
        if (input.MineId is not null && mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        var errors = new Dictionary<string, string[]>();
        if (mine is null)
        {
            errors["mineId"] = ["请选择煤矿。"];
        }

        if (input.Category is not { } category || !Enum.IsDefined(category))
        {
            errors["category"] = [$"请选择矛盾类别（{string.Join("、", EnumLabels.All<ConflictCategory>().Select(c => c.Label))}）。"];
        }

        if (string.IsNullOrWhiteSpace(input.Description))
        {
            errors["description"] = ["请填写矛盾情况。"];
        }
        else if (input.Description.Length > 2000)
        {
            errors["description"] = ["矛盾情况不能超过 2000 字。"];
        }

        if (input.Amount is { } amount && (double.IsNaN(amount) || amount < 0 || amount > 10_000_000))
        {
            errors["amount"] = ["涉及金额（万元）应为不小于 0 的数。"];
        }

        if (input.Persons is < 0 or > 1_000_000)
        {
            errors["persons"] = ["涉及人数应为不小于 0 的整数。"];
        }

        if (input.Deadline is not { } due)
        {
            errors["deadline"] = ["请填写化解期限。"];
        }
        else if (due < Today)
        {
            errors["deadline"] = [$"化解期限 {due:yyyy-MM-dd} 已经过去，请填写今天或以后的日期。"];
        }

        LeaderOption? leader = null;
        string? leaderRegion = null;
        if (input.LeaderUserId is not { } leaderId)
        {
            errors["leaderUserId"] = ["请指定包案领导。"];
        }
        else if (mine is not null)
        {
            leader = (await LeadersForAsync(mine.RegionCode, ct)).FirstOrDefault(l => l.Id == leaderId);
            if (leader is null)
            {
                errors["leaderUserId"] = ["包案领导须是管辖该煤矿的监管部门人员。"];
            }
            else
            {
                leaderRegion = leader.RegionCode;
            }
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var conflict = new Conflict
        {
            Number = await Numbering.NextAsync(db, "WW", mine!.RegionCode, Now, ct),
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            Category = input.Category!.Value,
            Description = input.Description!.Trim(),
            Amount = input.Amount,
            Persons = input.Persons,
            RiskGrade = input.RiskGrade ?? RiskGrade.Low,
            LeaderUserId = leader!.Id,
            LeaderName = leader.Name,
            LeaderRegionCode = leaderRegion!,
            ResponsibleUnit = Clean(input.ResponsibleUnit),
            ResponsiblePerson = Clean(input.ResponsiblePerson),
            Measures = Clean(input.Measures),
            DueOn = input.Deadline!.Value,
            RegisteredById = user.Id!.Value,
            RegisteredByName = user.DisplayName,
            RegisteredAt = Now,
            UpdatedAt = Now,
            Version = 1,
        };
        db.Add(conflict);
        await db.SaveChangesAsync(ct);
        Timeline(conflict, "挂号", null, conflict.State, conflict.Description);
        var deadline = OpenDeadline(conflict, mine.Name);
        await db.SaveChangesAsync(ct);
        conflict.DeadlineId = deadline.Id;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return conflict;
    }

    public async Task<Result<Conflict>> TransitionAsync(long id, ConflictTransitionInput input, CancellationToken ct)
    {
        var conflict = await db.Set<Conflict>().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (conflict is null)
        {
            return new NotFoundError("未找到该不稳定因素，或它不在您的管辖范围内。");
        }

        if (!StabilityAccess.CanKeepLedger(user) && user.Id != conflict.LeaderUserId)
        {
            return new ForbiddenError("您的角色不能办理不稳定因素。");
        }

        if (!EnumLabels.TryParse<ConflictAction>(input.Action, out var action))
        {
            return ValidationError.For("action", "操作只能是 start（开始化解）、claim（申请销号）、close（销号）、reject（驳回销号申请）或 rebound（反弹）。");
        }

        var from = conflict.State;
        var result = conflict.Act(action, input.Note, user, Now);
        if (result.TryGetError(out var error))
        {
            return error;
        }

        Timeline(conflict, action.Label(), from, conflict.State, input.Note);
        var mineName = await db.Set<Mine>().Where(m => m.Id == conflict.MineId).Select(m => m.Name).SingleAsync(ct);
        switch (action)
        {
            case ConflictAction.Claim:
                notifier.Notify([conflict.LeaderUserId], NotificationKind.Assigned, $"待销号：{conflict.Number} {mineName}{conflict.Category.Label()}",
                    $"{user.DisplayName}申请销号：{input.Note}", $"/stability/conflicts/{conflict.Id}");
                break;
            case ConflictAction.Close:
                await CompleteDeadlineAsync(conflict, ct);
                break;
            case ConflictAction.Rebound:
                conflict.DueOn = input.Deadline is { } due && due >= Today ? due : Today.AddDays(30);
                await db.SaveChangesAsync(ct);
                var reopened = OpenDeadline(conflict, mineName);
                await db.SaveChangesAsync(ct);
                conflict.DeadlineId = reopened.Id;
                notifier.Notify([conflict.LeaderUserId], NotificationKind.Assigned, $"矛盾反弹：{conflict.Number} {mineName}{conflict.Category.Label()}", input.Note,
                    $"/stability/conflicts/{conflict.Id}");
                break;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ConflictError("该事项刚刚被他人办理，请刷新后重试。");
        }

        return conflict;
    }

    /// <summary>每日一更新: a progress note with optional photos or documents (uploaded first, then referred to by id).</summary>
    public async Task<Result<TimelineEntry>> AddNoteAsync(long id, ConflictNoteInput input, CancellationToken ct)
    {
        var conflict = await db.Set<Conflict>().SingleOrDefaultAsync(c => c.Id == id, ct);
        if (conflict is null)
        {
            return new NotFoundError("未找到该不稳定因素，或它不在您的管辖范围内。");
        }

        if (!StabilityAccess.CanKeepLedger(user) && user.Id != conflict.LeaderUserId)
        {
            return new ForbiddenError("您的角色不能更新进展。");
        }

        if (string.IsNullOrWhiteSpace(input.Text) || input.Text.Length > 2000)
        {
            return ValidationError.For("text", "请填写进展情况（不超过 2000 字）。");
        }

        var ids = input.AttachmentIds ?? [];
        var attachments = await db.Attachments.Where(a => ids.Contains(a.Id) && a.UploadedById == user.Id && a.OwnerType == null).ToListAsync(ct);
        if (attachments.Count != ids.Distinct().Count())
        {
            return ValidationError.For("attachmentIds", "附件不存在、不是您上传的，或已用于其他事项。");
        }

        foreach (var attachment in attachments)
        {
            attachment.AttachTo(Subject, conflict.Id, conflict, "进展");
        }

        conflict.LatestProgress = input.Text.Trim().Length > 500 ? input.Text.Trim()[..500] : input.Text.Trim();
        conflict.UpdatedAt = Now;
        var entry = Timeline(conflict, "进展更新", null, conflict.State, input.Text.Trim(), string.Join(",", attachments.Select(a => a.Id)));
        await db.SaveChangesAsync(ct);
        return entry;
    }

    private Deadline OpenDeadline(Conflict conflict, string mineName) =>
        deadlines.Open(Subject, conflict.Id, $"{conflict.Number} {mineName}{conflict.Category.Label()}矛盾化解", conflict,
            DeadlineService.EndOf(conflict.DueOn), assigneeUserId: conflict.LeaderUserId, mineId: conflict.MineId, link: $"/stability/conflicts/{conflict.Id}");

    private async Task CompleteDeadlineAsync(Conflict conflict, CancellationToken ct)
    {
        if (conflict.DeadlineId is { } id && await db.Deadlines.SingleOrDefaultAsync(d => d.Id == id, ct) is { CompletedAt: null } open)
        {
            open.Complete(Now);
        }
    }

    private TimelineEntry Timeline(Conflict c, string action, ConflictState? from, ConflictState to, string? note, string? attachments = null)
    {
        var entry = new TimelineEntry
        {
            SubjectType = Subject,
            SubjectId = c.Id,
            RegionCode = c.RegionCode,
            EnterpriseId = c.EnterpriseId,
            Action = action,
            FromState = from?.Label(),
            ToState = to.Label(),
            ActorId = user.Id,
            ActorName = user.DisplayName,
            At = Now,
            Note = note,
            AttachmentIds = string.IsNullOrEmpty(attachments) ? null : attachments,
        };
        db.Timeline.Add(entry);
        return entry;
    }

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
