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
/// 不稳定因素台账: one conflict at one mine (unpaid wages, debts, resettlement, a village dispute...) with a 包案领导 who
/// owns it until it is 销号. 挂号 → 化解中 → 申请销号 → 已销号; 反弹 brings a closed one back (DOMAIN §4, seed 003).
/// </summary>
[DisplayName("不稳定因素")]
public sealed class Conflict : IScoped
{
    public static readonly TransitionTable<ConflictState, ConflictAction> Transitions = new TransitionTable<ConflictState, ConflictAction>()
        .Allow(ConflictState.Registered, ConflictAction.Start, ConflictState.Resolving)
        .Allow(ConflictState.Resolving, ConflictAction.Claim, ConflictState.Claimed)
        .Allow(ConflictState.Claimed, ConflictAction.Close, ConflictState.Closed)
        .Allow(ConflictState.Claimed, ConflictAction.Reject, ConflictState.Resolving)
        .Allow(ConflictState.Closed, ConflictAction.Rebound, ConflictState.Resolving);

    public long Id { get; init; }

    /// <summary>编号, e.g. WW-530302-2026-000012.</summary>
    public required string Number { get; init; }

    public long MineId { get; init; }

    public Mine? Mine { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public ConflictCategory Category { get; set; }

    public required string Description { get; set; }

    /// <summary>涉及金额, 万元.</summary>
    public double? Amount { get; set; }

    /// <summary>涉及人数.</summary>
    public int? Persons { get; set; }

    public RiskGrade RiskGrade { get; set; } = RiskGrade.Low;

    /// <summary>包案领导.</summary>
    public long LeaderUserId { get; set; }

    public required string LeaderName { get; set; }

    /// <summary>The leader's organisation's region: a 销号 may also come from above it.</summary>
    public required string LeaderRegionCode { get; set; }

    /// <summary>责任单位.</summary>
    public string? ResponsibleUnit { get; set; }

    /// <summary>责任人.</summary>
    public string? ResponsiblePerson { get; set; }

    /// <summary>化解措施.</summary>
    public string? Measures { get; set; }

    /// <summary>化解期限.</summary>
    public DateOnly DueOn { get; set; }

    public long? DeadlineId { get; set; }

    public ConflictState State { get; private set; } = ConflictState.Registered;

    public long RegisteredById { get; init; }

    public required string RegisteredByName { get; init; }

    public DateTime RegisteredAt { get; init; }

    public long? ClaimedById { get; private set; }

    public DateTime? ClaimedAt { get; private set; }

    public long? ClosedById { get; private set; }

    public string? ClosedByName { get; private set; }

    public DateTime? ClosedAt { get; private set; }

    public string? ResolutionNote { get; private set; }

    public int Rebounds { get; private set; }

    /// <summary>The latest progress note (每日一更新), for the ledger's 最新进展 column.</summary>
    public string? LatestProgress { get; set; }

    public DateTime UpdatedAt { get; set; }

    public int Version { get; set; }

    public bool IsOpen => State != ConflictState.Closed;

    /// <summary>
    /// Moves the conflict. 销号 needs a resolution note, and is done only by the 包案领导 or a regulator above the leader,
    /// never by the person who asked for it; 申请销号, 驳回 and 反弹 need a note too.
    /// </summary>
    public Result Act(ConflictAction action, string? note, CurrentUser actor, DateTime now)
    {
        var next = Transitions.Next(State, action);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        var text = note?.Trim();
        switch (action)
        {
            case ConflictAction.Claim:
                if (string.IsNullOrEmpty(text))
                {
                    return ValidationError.For("note", "申请销号须说明化解情况。");
                }

                ClaimedById = actor.Id;
                ClaimedAt = now;
                break;
            case ConflictAction.Close:
                if (string.IsNullOrEmpty(text))
                {
                    return ValidationError.For("note", "销号须填写化解结果说明。");
                }

                if (actor.Id == ClaimedById)
                {
                    return new ForbiddenError("申请销号的人不能自己销号，须由包案领导或上级销号。");
                }

                if (!CanDecide(actor))
                {
                    return new ForbiddenError($"只有包案领导（{LeaderName}）或其上级可以销号。");
                }

                ClosedById = actor.Id;
                ClosedByName = actor.DisplayName;
                ClosedAt = now;
                ResolutionNote = text;
                break;
            case ConflictAction.Reject:
                if (string.IsNullOrEmpty(text))
                {
                    return ValidationError.For("note", "驳回销号申请须说明理由。");
                }

                if (!CanDecide(actor))
                {
                    return new ForbiddenError($"只有包案领导（{LeaderName}）或其上级可以驳回销号申请。");
                }

                break;
            case ConflictAction.Rebound:
                if (string.IsNullOrEmpty(text))
                {
                    return ValidationError.For("note", "登记反弹须说明情况。");
                }

                Rebounds++;
                ClosedAt = null;
                ClosedById = null;
                ClosedByName = null;
                break;
        }

        if (action is ConflictAction.Reject or ConflictAction.Rebound)
        {
            ClaimedById = null;
            ClaimedAt = null;
        }

        State = next.Value;
        UpdatedAt = now;
        Version++;
        return Result.Ok;
    }

    /// <summary>The 包案领导 himself, an administrator, or a regulator whose region is above the leader's.</summary>
    public bool CanDecide(CurrentUser actor) =>
        actor.Id == LeaderUserId || actor.IsInRole(Roles.Admin)
        || (Roles.Regulators.Any(actor.IsInRole) && actor.RegionCode is { } region && region != LeaderRegionCode
            && Platform.Regions.RegionCodes.IsWithin(LeaderRegionCode, region));
}

internal sealed class ConflictConfiguration : IEntityTypeConfiguration<Conflict>
{
    public void Configure(EntityTypeBuilder<Conflict> b)
    {
        b.ToTable("conflicts");
        b.Property(c => c.Number).HasMaxLength(40);
        b.Property(c => c.RegionCode).HasMaxLength(12);
        b.Property(c => c.LeaderRegionCode).HasMaxLength(12);
        b.Property(c => c.Description).HasMaxLength(2000);
        b.Property(c => c.LeaderName).HasMaxLength(50);
        b.Property(c => c.ResponsibleUnit).HasMaxLength(100);
        b.Property(c => c.ResponsiblePerson).HasMaxLength(50);
        b.Property(c => c.Measures).HasMaxLength(2000);
        b.Property(c => c.RegisteredByName).HasMaxLength(50);
        b.Property(c => c.ClosedByName).HasMaxLength(50);
        b.Property(c => c.ResolutionNote).HasMaxLength(2000);
        b.Property(c => c.LatestProgress).HasMaxLength(500);
        b.Property(c => c.Version).IsConcurrencyToken();
        b.HasIndex(c => c.Number).IsUnique();
        b.HasIndex(c => new { c.RegionCode, c.RegisteredAt });
        // The ledger is listed newest first: nation-wide, and by state, it is read in this order instead of sorting
        // every conflict for each page (50,000 at national scale; bench/stability.sh).
        b.HasIndex(c => c.RegisteredAt);
        b.HasIndex(c => new { c.State, c.RegisteredAt });
        b.HasIndex(c => new { c.MineId, c.State });
        b.HasIndex(c => new { c.State, c.DueOn });
        b.HasIndex(c => c.LeaderUserId);
        b.HasOne(c => c.Mine).WithMany().HasForeignKey(c => c.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}
