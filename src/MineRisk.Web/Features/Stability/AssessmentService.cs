using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Stability;

public sealed record AssessmentInput(long? MineId, Dictionary<string, double>? Scores, Dictionary<string, string>? Reasons, string? Notes);

public sealed record AssessmentActionInput(string? Reason);

/// <summary>一矿一评估: drafting, the workflow, and what approval changes (the mine's grade, the reassessment deadline).</summary>
public sealed class AssessmentService(
    AppDbContext db,
    CurrentUser user,
    TimeProvider clock,
    DeadlineService deadlines,
    Notifier notifier,
    IEnumerable<IAssessmentEvidence> evidenceProviders,
    IOptions<StabilityOptions> options)
{
    public const string Subject = "assessment";
    public const string ReassessSubject = "reassessment";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public Task<AssessmentTemplate> CurrentTemplateAsync(CancellationToken ct) =>
        db.Set<AssessmentTemplate>().Include(t => t.Dimensions).Include(t => t.VetoRules).OrderByDescending(t => t.Version).FirstAsync(ct);

    public Task<AssessmentTemplate> TemplateAsync(long id, CancellationToken ct) =>
        db.Set<AssessmentTemplate>().Include(t => t.Dimensions).Include(t => t.VetoRules).SingleAsync(t => t.Id == id, ct);

    public async Task<IReadOnlyDictionary<string, Evidence>> EvidenceAsync(long mineId, CancellationToken ct)
    {
        var all = new List<Evidence>();
        foreach (var provider in evidenceProviders)
        {
            all.AddRange(await provider.CollectAsync(mineId, Now, ct));
        }

        return Evidence.Merge(all);
    }

    public async Task<Result<Assessment>> CreateAsync(AssessmentInput input, CancellationToken ct)
    {
        if (!StabilityAccess.CanAssess(user))
        {
            return new ForbiddenError("只有监管部门可以做稳定风险评估。");
        }

        if (input.MineId is not { } mineId)
        {
            return ValidationError.For("mineId", "请选择要评估的煤矿。");
        }

        var mine = await db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == mineId, ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        var template = await CurrentTemplateAsync(ct);
        var assessment = new Assessment
        {
            Number = await Numbering.NextAsync(db, "PG", mine.RegionCode, Now, ct),
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            TemplateId = template.Id,
            Notes = Clean(input.Notes),
            AssessorId = user.Id!.Value,
            AssessorName = user.DisplayName,
            AssessorRegionCode = user.RegionCode ?? mine.RegionCode,
            CreatedAt = Now,
        };
        var set = assessment.SetScores(template, input.Scores ?? [], input.Reasons, await EvidenceAsync(mineId, ct), Now);
        if (set.TryGetError(out var error))
        {
            return error;
        }

        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        db.Add(assessment);
        await db.SaveChangesAsync(ct); // the id the timeline entry points to
        Timeline(assessment, "起草", null, assessment.State, ScoreNote(assessment));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return assessment;
    }

    public async Task<Result<Assessment>> UpdateAsync(long id, AssessmentInput input, CancellationToken ct)
    {
        var assessment = await db.Set<Assessment>().Include(a => a.Scores).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assessment is null)
        {
            return new NotFoundError("未找到该评估，或它不在您的管辖范围内。");
        }

        if (assessment.AssessorId != user.Id)
        {
            return new ForbiddenError("只有评估人本人可以修改评分。");
        }

        var template = await TemplateAsync(assessment.TemplateId, ct);
        var set = assessment.SetScores(template, input.Scores ?? [], input.Reasons, await EvidenceAsync(assessment.MineId, ct), Now);
        if (set.TryGetError(out var error))
        {
            return error;
        }

        assessment.Notes = Clean(input.Notes) ?? assessment.Notes;
        Timeline(assessment, "修改", assessment.State, assessment.State, ScoreNote(assessment));
        await db.SaveChangesAsync(ct);
        return assessment;
    }

    public async Task<Result<Assessment>> ActAsync(long id, AssessmentAction action, string? reason, CancellationToken ct)
    {
        var assessment = await db.Set<Assessment>().Include(a => a.Scores).SingleOrDefaultAsync(a => a.Id == id, ct);
        if (assessment is null)
        {
            return new NotFoundError("未找到该评估，或它不在您的管辖范围内。");
        }

        if (action == AssessmentAction.Submit && assessment.AssessorId != user.Id)
        {
            return new ForbiddenError("只有评估人本人可以提交评估。");
        }

        var from = assessment.State;
        var template = await TemplateAsync(assessment.TemplateId, ct);
        var result = assessment.Act(action, template, user, reason, Now);
        if (result.TryGetError(out var error))
        {
            return error;
        }

        Timeline(assessment, action.Label(), from, assessment.State, reason);
        var mineName = await db.Set<Mine>().Where(m => m.Id == assessment.MineId).Select(m => m.Name).SingleAsync(ct);
        switch (action)
        {
            case AssessmentAction.Submit:
                notifier.Notify(await ApproversAsync(assessment, ct), NotificationKind.Assigned, $"待审批：{mineName}稳定风险评估（{assessment.Grade.Label()}）",
                    $"{assessment.AssessorName}提交，评分 {assessment.Score:0.#}。", $"/stability/assessments/{assessment.Id}");
                break;
            case AssessmentAction.Return:
                notifier.Notify([assessment.AssessorId], NotificationKind.System, $"评估被退回：{mineName}", reason, $"/stability/assessments/{assessment.Id}");
                break;
            case AssessmentAction.Approve:
                await ApplyApprovalAsync(assessment, mineName, ct);
                notifier.Notify([assessment.AssessorId], NotificationKind.System, $"评估已审批：{mineName}（{assessment.Grade.Label()}风险）", null, $"/stability/assessments/{assessment.Id}");
                break;
        }

        await db.SaveChangesAsync(ct);
        return assessment;
    }

    /// <summary>The mine takes the grade, and its next reassessment is due by grade (高 30, 中 90, 低 180 days).</summary>
    private async Task ApplyApprovalAsync(Assessment assessment, string mineName, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().SingleAsync(m => m.Id == assessment.MineId, ct);
        mine.RiskGrade = assessment.Grade;
        mine.RiskAssessedAt = assessment.ApprovedAt;
        var open = await db.Deadlines.Where(d => d.SubjectType == ReassessSubject && d.MineId == mine.Id && d.CompletedAt == null).ToListAsync(ct);
        foreach (var deadline in open)
        {
            deadline.Complete(Now);
        }

        var days = assessment.Grade switch
        {
            Mines.RiskGrade.High => options.Value.ReassessHighDays,
            Mines.RiskGrade.Medium => options.Value.ReassessMediumDays,
            _ => options.Value.ReassessLowDays,
        };
        var reassess = deadlines.OpenInDays(ReassessSubject, assessment.Id, $"{mineName}稳定风险重新评估（{assessment.Grade.Label()}风险每 {days} 天）", mine, days,
            DayCount.Calendar, organisationId: await MineWriter.RegulatorOrganisationAsync(db, mine.RegionCode, ct), mineId: mine.Id,
            link: $"/stability/assessments/new?mineId={mine.Id}");
        await db.SaveChangesAsync(ct);
        assessment.ReassessDeadlineId = reassess.Id;
    }

    /// <summary>Regulators above the assessor (those who may approve), in the assessor's jurisdiction.</summary>
    private async Task<List<long>> ApproversAsync(Assessment assessment, CancellationToken ct)
    {
        var region = assessment.AssessorRegionCode;
        var ancestors = new List<string>();
        var code = await db.Regions.IgnoreQueryFilters().Where(r => r.Code == region).Select(r => r.ParentCode).SingleOrDefaultAsync(ct);
        while (code is not null && ancestors.Count < 4)
        {
            ancestors.Add(code);
            var current = code;
            code = await db.Regions.IgnoreQueryFilters().Where(r => r.Code == current).Select(r => r.ParentCode).SingleOrDefaultAsync(ct);
        }

        foreach (var ancestor in ancestors)
        {
            var regulators = await notifier.RegulatorsAtAsync(ancestor, ct);
            if (regulators.Count > 0)
            {
                return regulators;
            }
        }

        return [];
    }

    private static string ScoreNote(Assessment a) =>
        $"总分 {a.Score.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)}，{a.Grade.Label()}" + (a.Veto is null ? "" : $"（{a.Veto}）");

    private void Timeline(Assessment a, string action, AssessmentState? from, AssessmentState to, string? note) => db.Timeline.Add(new TimelineEntry
    {
        SubjectType = Subject,
        SubjectId = a.Id,
        RegionCode = a.RegionCode,
        EnterpriseId = a.EnterpriseId,
        Action = action,
        FromState = from?.Label(),
        ToState = to.Label(),
        ActorId = user.Id,
        ActorName = user.DisplayName,
        At = Now,
        Note = note,
    });

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}

/// <summary>“一纳入” (seed 000): no disposition milestone starts without an approved assessment younger than 180 days.</summary>
public sealed class AssessmentMilestoneGuard(AppDbContext db, TimeProvider clock, IOptions<StabilityOptions> options) : IMilestoneGuard
{
    public async Task<Error?> CheckStartAsync(long mineId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-options.Value.AssessmentValidDays);
        var recent = await db.Set<Assessment>().AnyAsync(a => a.MineId == mineId && a.State == AssessmentState.Approved && a.ApprovedAt >= since, ct);
        return recent ? null : new ConflictError($"“一纳入”：该煤矿没有 {options.Value.AssessmentValidDays} 天内审批通过的稳定风险评估，处置方案节点不能开始。请先完成一矿一评估。");
    }
}
