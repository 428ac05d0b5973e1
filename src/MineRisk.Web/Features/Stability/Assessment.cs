using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// 一矿一评估: one assessment of a mine's social-stability risk with a template version. Draft → submitted → approved, or
/// returned with a reason and submitted again. The newest approved one is the mine's grade.
/// </summary>
[DisplayName("稳定风险评估")]
public sealed class Assessment : IScoped
{
    public static readonly TransitionTable<AssessmentState, AssessmentAction> Transitions = new TransitionTable<AssessmentState, AssessmentAction>()
        .Allow(AssessmentState.Draft, AssessmentAction.Submit, AssessmentState.Submitted)
        .Allow(AssessmentState.Returned, AssessmentAction.Submit, AssessmentState.Submitted)
        .Allow(AssessmentState.Submitted, AssessmentAction.Approve, AssessmentState.Approved)
        .Allow(AssessmentState.Submitted, AssessmentAction.Return, AssessmentState.Returned);

    public long Id { get; init; }

    public required string Number { get; init; }

    public long MineId { get; init; }

    public Mine? Mine { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public long TemplateId { get; init; }

    public AssessmentTemplate? Template { get; init; }

    public AssessmentState State { get; private set; } = AssessmentState.Draft;

    /// <summary>0–100, computed from the scores with the template.</summary>
    public double Score { get; private set; }

    public RiskGrade Grade { get; private set; }

    /// <summary>The veto rule that raised the grade, if any.</summary>
    public string? Veto { get; private set; }

    public string? Notes { get; set; }

    public long AssessorId { get; init; }

    public required string AssessorName { get; init; }

    /// <summary>The assessor's organisation's region: an approver must be above it.</summary>
    public required string AssessorRegionCode { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? SubmittedAt { get; private set; }

    public DateTime? ApprovedAt { get; private set; }

    public long? ApproverId { get; private set; }

    public string? ApproverName { get; private set; }

    public string? ReturnReason { get; private set; }

    /// <summary>The reassessment deadline opened on approval.</summary>
    public long? ReassessDeadlineId { get; set; }

    public List<AssessmentScore> Scores { get; init; } = [];

    public bool Editable => State is AssessmentState.Draft or AssessmentState.Returned;

    /// <summary>
    /// Sets the scores (drafts and returned ones only): every key must be a dimension of the template, every score 0–10,
    /// and a score far from what the evidence suggests needs a reason. Missing dimensions count 0 until submission.
    /// </summary>
    public Result SetScores(AssessmentTemplate template, IReadOnlyDictionary<string, double> scores, IReadOnlyDictionary<string, string>? reasons,
        IReadOnlyDictionary<string, Evidence> evidence, DateTime now)
    {
        if (!Editable)
        {
            return new ConflictError($"评估处于「{State.Label()}」状态，不能再修改评分。");
        }

        var errors = new Dictionary<string, string[]>();
        var keys = template.Dimensions.ToDictionary(d => d.Key);
        foreach (var (key, score) in scores)
        {
            if (!keys.TryGetValue(key, out var dimension))
            {
                errors[$"scores.{key}"] = [$"「{key}」不是评估模板第 {template.Version} 版的维度。可用：{string.Join("、", template.Dimensions.Select(d => d.Key))}。"];
            }
            else if (double.IsNaN(score) || score is < 0 or > 10)
            {
                errors[$"scores.{key}"] = [$"「{dimension.Name}」的评分应在 0～10 之间，不能是 {score:0.##}。"];
            }
            else if (evidence.TryGetValue(key, out var e) && e.SuggestedScore is { } suggested && Math.Abs(score - suggested) >= Evidence.OverrideGap
                     && string.IsNullOrWhiteSpace(reasons?.GetValueOrDefault(key)))
            {
                errors[$"reasons.{key}"] = [$"「{dimension.Name}」评 {score:0.#} 分，与台账依据建议的 {suggested:0.#} 分相差 {Evidence.OverrideGap} 分以上，须说明理由。"];
            }
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        Scores.Clear();
        foreach (var dimension in template.Dimensions.OrderBy(d => d.Seq))
        {
            if (!scores.TryGetValue(dimension.Key, out var score))
            {
                continue;
            }

            evidence.TryGetValue(dimension.Key, out var e);
            var reason = reasons?.GetValueOrDefault(dimension.Key);
            Scores.Add(new AssessmentScore
            {
                DimensionKey = dimension.Key,
                Score = score,
                SuggestedScore = e?.SuggestedScore,
                Evidence = e?.Text,
                Reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(),
            });
        }

        (Score, Grade, Veto) = template.Grade(Scores.ToDictionary(s => s.DimensionKey, s => s.Score));
        UpdatedAt = now;
        return Result.Ok;
    }

    /// <summary>Submit, approve or return. Approval needs someone else, at a higher level (or an administrator).</summary>
    public Result Act(AssessmentAction action, AssessmentTemplate template, CurrentUser actor, string? reason, DateTime now)
    {
        var next = Transitions.Next(State, action);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        switch (action)
        {
            case AssessmentAction.Submit:
                var missing = template.Dimensions.Where(d => Scores.All(s => s.DimensionKey != d.Key)).Select(d => d.Name).ToList();
                if (missing.Count > 0)
                {
                    return ValidationError.For("scores", $"提交前须为每个维度评分，尚缺：{string.Join("、", missing)}。");
                }

                SubmittedAt = now;
                break;
            case AssessmentAction.Approve:
            case AssessmentAction.Return:
                if (actor.Id == AssessorId)
                {
                    return new ForbiddenError("不能审批自己做的评估，须由上级或系统管理员审批。");
                }

                var region = actor.RegionCode ?? "";
                var higher = actor.IsInRole(Roles.Admin)
                             || (Roles.Regulators.Any(actor.IsInRole) && region != AssessorRegionCode && RegionCodesWithin(AssessorRegionCode, region));
                if (!higher)
                {
                    return new ForbiddenError("评估须由评估人的上级监管部门（如市级）或系统管理员审批。");
                }

                if (action == AssessmentAction.Return)
                {
                    if (string.IsNullOrWhiteSpace(reason))
                    {
                        return ValidationError.For("reason", "退回评估须说明理由。");
                    }

                    ReturnReason = reason.Trim();
                }
                else
                {
                    ApprovedAt = now;
                    ApproverId = actor.Id;
                    ApproverName = actor.DisplayName;
                }

                break;
        }

        State = next.Value;
        UpdatedAt = now;
        return Result.Ok;
    }

    private static bool RegionCodesWithin(string code, string ancestor) => Platform.Regions.RegionCodes.IsWithin(code, ancestor);
}

/// <summary>The score of one dimension, with the evidence shown to the assessor and the reason for overriding it.</summary>
[DisplayName("评估评分")]
public sealed class AssessmentScore
{
    public long Id { get; init; }

    public long AssessmentId { get; init; }

    public required string DimensionKey { get; init; }

    public double Score { get; init; }

    public double? SuggestedScore { get; init; }

    public string? Evidence { get; init; }

    public string? Reason { get; init; }
}

internal sealed class AssessmentConfiguration : IEntityTypeConfiguration<Assessment>
{
    public void Configure(EntityTypeBuilder<Assessment> b)
    {
        b.ToTable("assessments");
        b.Property(a => a.Number).HasMaxLength(40);
        b.Property(a => a.RegionCode).HasMaxLength(12);
        b.Property(a => a.AssessorRegionCode).HasMaxLength(12);
        b.Property(a => a.AssessorName).HasMaxLength(50);
        b.Property(a => a.ApproverName).HasMaxLength(50);
        b.Property(a => a.Veto).HasMaxLength(200);
        b.Property(a => a.Notes).HasMaxLength(2000);
        b.Property(a => a.ReturnReason).HasMaxLength(500);
        b.HasIndex(a => a.Number).IsUnique();
        b.HasIndex(a => new { a.RegionCode, a.CreatedAt });
        b.HasIndex(a => new { a.MineId, a.State, a.ApprovedAt });
        b.HasOne(a => a.Mine).WithMany().HasForeignKey(a => a.MineId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(a => a.Template).WithMany().HasForeignKey(a => a.TemplateId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(a => a.Scores).WithOne().HasForeignKey(s => s.AssessmentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AssessmentScoreConfiguration : IEntityTypeConfiguration<AssessmentScore>
{
    public void Configure(EntityTypeBuilder<AssessmentScore> b)
    {
        b.ToTable("assessment_scores");
        b.Property(s => s.DimensionKey).HasMaxLength(40);
        b.Property(s => s.Evidence).HasMaxLength(1000);
        b.Property(s => s.Reason).HasMaxLength(500);
    }
}
