using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Mines;

public enum MilestoneState
{
    [Display(Name = "未开始")] NotStarted = 1,
    [Display(Name = "进行中")] InProgress = 2,
    [Display(Name = "已完成")] Done = 3,
}

public enum MilestoneAction
{
    [Display(Name = "开始")] Start = 1,
    [Display(Name = "完成")] Complete = 2,
    [Display(Name = "退回")] Reopen = 3,
}

/// <summary>
/// 一矿一方案: the plan of a mine to be closed (关闭退出) or merged (整合重组): milestones with deadlines that escalate.
/// A 整合重组 plan names the surviving entity and the mines it merges with (DOMAIN §2).
/// </summary>
[DisplayName("处置方案")]
public sealed class DispositionPlan : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public Disposition Category { get; set; }

    /// <summary>方案要点.</summary>
    public string? Summary { get; set; }

    /// <summary>整合主体 (the surviving entity) for a merger.</summary>
    public string? SurvivingEntity { get; set; }

    /// <summary>The 煤矿编码 of the mines merged together, comma-separated.</summary>
    public string? PartnerMineCodes { get; set; }

    public DateTime CreatedAt { get; init; }

    public List<Milestone> Milestones { get; init; } = [];

    /// <summary>The standard milestones of each category (local practice; DOMAIN §2 for closure).</summary>
    public static IReadOnlyList<string> TemplateFor(Disposition category) => category switch
    {
        Disposition.CloseExit => ["停产", "拆除设备", "封闭井筒", "验收", "公告"],
        Disposition.Merge => ["签订整合协议", "资产与债务清算", "职工安置", "证照变更", "整合验收"],
        _ => [],
    };
}

/// <summary>One step of a disposition plan, with its due date and state.</summary>
[DisplayName("方案节点")]
public sealed class Milestone : IScoped
{
    public static readonly TransitionTable<MilestoneState, MilestoneAction> Transitions = new TransitionTable<MilestoneState, MilestoneAction>()
        .Allow(MilestoneState.NotStarted, MilestoneAction.Start, MilestoneState.InProgress)
        .Allow(MilestoneState.InProgress, MilestoneAction.Complete, MilestoneState.Done)
        .Allow(MilestoneState.Done, MilestoneAction.Reopen, MilestoneState.InProgress);

    public long Id { get; init; }

    public long PlanId { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public int Seq { get; init; }

    public required string Name { get; set; }

    public DateOnly DueOn { get; set; }

    public MilestoneState State { get; private set; } = MilestoneState.NotStarted;

    public DateTime? StartedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public string? Note { get; private set; }

    public long? DeadlineId { get; set; }

    /// <summary>Moves the milestone; completing needs a note saying what was done (evidence).</summary>
    public Result<MilestoneState> Act(MilestoneAction action, string? note, DateTime now)
    {
        var next = Transitions.Next(State, action);
        if (!next.IsOk)
        {
            return next;
        }

        if (action == MilestoneAction.Complete && string.IsNullOrWhiteSpace(note))
        {
            return ValidationError.For("note", "完成节点须填写完成情况说明。");
        }

        if (action == MilestoneAction.Reopen && string.IsNullOrWhiteSpace(note))
        {
            return ValidationError.For("note", "退回须说明原因。");
        }

        State = next.Value;
        switch (action)
        {
            case MilestoneAction.Start:
                StartedAt = now;
                break;
            case MilestoneAction.Complete:
                CompletedAt = now;
                break;
            case MilestoneAction.Reopen:
                CompletedAt = null;
                break;
        }

        Note = string.IsNullOrWhiteSpace(note) ? Note : note.Trim();
        return State;
    }
}

internal sealed class DispositionPlanConfiguration : IEntityTypeConfiguration<DispositionPlan>
{
    public void Configure(EntityTypeBuilder<DispositionPlan> b)
    {
        b.ToTable("disposition_plans");
        b.Property(p => p.RegionCode).HasMaxLength(12);
        b.Property(p => p.Summary).HasMaxLength(2000);
        b.Property(p => p.SurvivingEntity).HasMaxLength(100);
        b.Property(p => p.PartnerMineCodes).HasMaxLength(500);
        b.HasIndex(p => p.MineId).IsUnique();
        b.HasOne<Mine>().WithMany().HasForeignKey(p => p.MineId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(p => p.Milestones).WithOne().HasForeignKey(m => m.PlanId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MilestoneConfiguration : IEntityTypeConfiguration<Milestone>
{
    public void Configure(EntityTypeBuilder<Milestone> b)
    {
        b.ToTable("disposition_milestones");
        b.Property(m => m.RegionCode).HasMaxLength(12);
        b.Property(m => m.Name).HasMaxLength(50);
        b.Property(m => m.Note).HasMaxLength(1000);
        b.HasIndex(m => new { m.PlanId, m.Seq }).IsUnique();
    }
}
