using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Hazards;

/// <summary>
/// 隐患: one hazard at one mine, from 排查 to 销账 (DOMAIN §3, seed 001). The rules of its workflow are in
/// <see cref="HazardService"/>; this class holds the record and the state table.
/// </summary>
[DisplayName("隐患")]
public sealed class Hazard : IScoped
{
    /// <summary>The moves that change the state. 定级 → 开始整改 → 提交验收 → 验收 (不通过: back to 整改中) → 已销号 → 重新打开.</summary>
    public static readonly TransitionTable<HazardState, HazardAction> Transitions = new TransitionTable<HazardState, HazardAction>()
        .Allow(HazardState.Registered, HazardAction.Grade, HazardState.Graded)
        .Allow(HazardState.Graded, HazardAction.Start, HazardState.Rectifying)
        .Allow(HazardState.Rectifying, HazardAction.Submit, HazardState.AwaitingVerification)
        .Allow(HazardState.AwaitingVerification, HazardAction.Verify, HazardState.Closed)
        .Allow(HazardState.Closed, HazardAction.Reopen, HazardState.Rectifying);

    public long Id { get; init; }

    /// <summary>隐患编号, e.g. YH-530302-2026-000123.</summary>
    public required string Number { get; init; }

    public long MineId { get; init; }

    public Mine? Mine { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    /// <summary>隐患地点.</summary>
    public required string Location { get; set; }

    public required string Description { get; set; }

    public HazardSource Source { get; set; }

    /// <summary>专业类别 (configurable list, DOMAIN §3).</summary>
    public required string ProfessionalCategory { get; set; }

    public DateTime FoundAt { get; set; }

    public long? FoundById { get; set; }

    /// <summary>发现人 (a name: inspectors of a joint team need not be users).</summary>
    public required string FoundByName { get; set; }

    /// <summary>Whether the mine was producing when it was found (条例 第70条 counts those).</summary>
    public bool FoundWhileProducing { get; set; }

    public HazardLevel? Level { get; set; }

    /// <summary>判定依据 of a major hazard: an item of a 判定标准 edition.</summary>
    public long? CriterionId { get; set; }

    public HazardCriterion? Criterion { get; init; }

    /// <summary>The citation as shown in ledgers, e.g. 2020版第四条第（一）项.</summary>
    public string? Basis { get; set; }

    /// <summary>停产范围: where production stopped because of a major hazard (条例 第36条).</summary>
    public string? StoppedArea { get; set; }

    /// <summary>When a major hazard was reported to the supervising regulator (安全生产法 第41条), and to whom.</summary>
    public DateTime? ReportedAt { get; set; }

    public string? ReportedTo { get; set; }

    /// <summary>整改措施.</summary>
    public string? Measures { get; set; }

    /// <summary>整改资金, 万元.</summary>
    public double? Funds { get; set; }

    public string? ResponsibleUnit { get; set; }

    /// <summary>整改责任人.</summary>
    public string? ResponsiblePerson { get; set; }

    /// <summary>Who fixes it (the user the deadline is assigned to).</summary>
    public long RectifierUserId { get; set; }

    public required string RectifierName { get; set; }

    /// <summary>整改期限: from the finder (一般) or the plan (重大); moved by an approved extension.</summary>
    public DateOnly DueOn { get; set; }

    // 治理方案 of a major hazard: the six elements of DOMAIN §3.
    public string? PlanGoal { get; set; }

    public string? PlanMethods { get; set; }

    public string? PlanResources { get; set; }

    public string? PlanPeople { get; set; }

    public DateOnly? PlanDueOn { get; set; }

    public string? PlanSafety { get; set; }

    public DateTime? PlannedAt { get; set; }

    /// <summary>A pending extension request (a regulator other than the requester decides).</summary>
    public DateOnly? ExtensionDueOn { get; set; }

    public string? ExtensionReason { get; set; }

    public long? ExtensionRequestedById { get; set; }

    public string? ExtensionRequestedByName { get; set; }

    public int Extensions { get; set; }

    public HazardState State { get; set; } = HazardState.Registered;

    public long RegisteredById { get; init; }

    public required string RegisteredByName { get; init; }

    public DateTime RegisteredAt { get; init; }

    public DateTime UpdatedAt { get; set; }

    /// <summary>Who submitted the fix (the person who did it: never its verifier).</summary>
    public long? RectifiedById { get; set; }

    public string? RectifiedByName { get; set; }

    public DateTime? SubmittedAt { get; set; }

    public string? RectificationNote { get; set; }

    public long? VerifierId { get; set; }

    public string? VerifierName { get; set; }

    public DateTime? VerifiedAt { get; set; }

    public string? VerificationOpinion { get; set; }

    public DateTime? ClosedAt { get; set; }

    public int Reopens { get; set; }

    // 挂牌督办: the issuing level (its region), the document number and the deadline; 销牌 by that level only.
    public DateTime? ListedAt { get; set; }

    public string? ListRegionCode { get; set; }

    public string? ListIssuer { get; set; }

    public string? ListDocumentNumber { get; set; }

    public DateOnly? ListDueOn { get; set; }

    public DateTime? DelistedAt { get; set; }

    public string? DelistedByName { get; set; }

    public long? DeadlineId { get; set; }

    public int Version { get; set; }

    public bool IsOpen => State != HazardState.Closed;

    public bool IsListed => ListedAt is not null && DelistedAt is null;

    public bool PlanComplete => !string.IsNullOrWhiteSpace(PlanGoal) && !string.IsNullOrWhiteSpace(PlanMethods) && !string.IsNullOrWhiteSpace(PlanResources)
                                && !string.IsNullOrWhiteSpace(PlanPeople) && PlanDueOn is not null && !string.IsNullOrWhiteSpace(PlanSafety);
}

internal sealed class HazardConfiguration : IEntityTypeConfiguration<Hazard>
{
    public void Configure(EntityTypeBuilder<Hazard> b)
    {
        b.ToTable("hazards");
        b.Property(h => h.Number).HasMaxLength(40);
        b.Property(h => h.RegionCode).HasMaxLength(12);
        b.Property(h => h.Location).HasMaxLength(200);
        b.Property(h => h.Description).HasMaxLength(2000);
        b.Property(h => h.ProfessionalCategory).HasMaxLength(20);
        b.Property(h => h.FoundByName).HasMaxLength(100);
        b.Property(h => h.Basis).HasMaxLength(100);
        b.Property(h => h.StoppedArea).HasMaxLength(500);
        b.Property(h => h.ReportedTo).HasMaxLength(200);
        b.Property(h => h.Measures).HasMaxLength(2000);
        b.Property(h => h.ResponsibleUnit).HasMaxLength(100);
        b.Property(h => h.ResponsiblePerson).HasMaxLength(50);
        b.Property(h => h.RectifierName).HasMaxLength(50);
        b.Property(h => h.PlanGoal).HasMaxLength(1000);
        b.Property(h => h.PlanMethods).HasMaxLength(2000);
        b.Property(h => h.PlanResources).HasMaxLength(1000);
        b.Property(h => h.PlanPeople).HasMaxLength(1000);
        b.Property(h => h.PlanSafety).HasMaxLength(2000);
        b.Property(h => h.ExtensionReason).HasMaxLength(500);
        b.Property(h => h.ExtensionRequestedByName).HasMaxLength(50);
        b.Property(h => h.RegisteredByName).HasMaxLength(50);
        b.Property(h => h.RectifiedByName).HasMaxLength(50);
        b.Property(h => h.RectificationNote).HasMaxLength(2000);
        b.Property(h => h.VerifierName).HasMaxLength(50);
        b.Property(h => h.VerificationOpinion).HasMaxLength(2000);
        b.Property(h => h.ListRegionCode).HasMaxLength(12);
        b.Property(h => h.ListIssuer).HasMaxLength(100);
        b.Property(h => h.ListDocumentNumber).HasMaxLength(100);
        b.Property(h => h.DelistedByName).HasMaxLength(50);
        b.Property(h => h.Version).IsConcurrencyToken();
        b.Ignore(h => h.IsOpen);
        b.Ignore(h => h.IsListed);
        b.Ignore(h => h.PlanComplete);
        b.HasIndex(h => h.Number).IsUnique();
        // The ledger's filters: jurisdiction and period, one mine, what is still open (State < Closed, a range) and when
        // it falls due. FoundAt is the ledger's order, newest first: a broad filter reads the newest rows in order and
        // stops at a page instead of sorting every match (1,000,000 at national scale, bench/hazards.sh); it also serves
        // a period and the export's keyset batches. The tie-break on id needs no column: SQLite's index entries end with
        // the rowid (= id), PostgreSQL sorts the few equal times incrementally. Not (FoundAt, Id): with id as a second
        // column, PostgreSQL planned the foreign-key checks of a bulk load (`id = $1`, no statistics yet) as a scan of
        // that whole index instead of the primary key — 10 minutes into the nation seeding it had not finished.
        // Level serves the major list. Hazards under 督办 (a few thousand of a million) have a partial index of their own, in
        // ledger order: SQLite does not know how rare a non-null listed_at is and read the whole ledger for them (618 ms).
        // Its predicate is written exactly as EF writes the filter (HazardQuery.Listed), so both databases match it.
        b.HasIndex(h => new { h.RegionCode, h.FoundAt });
        b.HasIndex(h => new { h.MineId, h.FoundAt });
        b.HasIndex(h => new { h.State, h.DueOn });
        b.HasIndex(h => h.FoundAt);
        b.HasIndex(h => new { h.Level, h.FoundAt });
        // 专业类别 with a jurisdiction and a period (瓦斯 hazards of 曲靖 this quarter) — by found_at PostgreSQL read the whole
        // nation's quarter to count a city's 1,560 (294 ms); from this index the count is read from the index alone (2 ms;
        // SQLite 63 → 0.9 ms).
        b.HasIndex(h => new { h.ProfessionalCategory, h.RegionCode, h.FoundAt });
        b.HasIndex(h => h.FoundAt, "ix_hazards_listed_found_at").HasFilter("listed_at IS NOT NULL AND delisted_at IS NULL");
        // The open set (4 % of the ledger) with every column its counts read — jurisdiction, enterprise, level, deadline,
        // month found — so the overview's open / overdue / open-major counts never touch the table: by (state, due_on) a
        // city user's count looked up 41,000 rows one by one (107 ms on SQLite; 6 ms from this index, bench/hazards.sh).
        // Partial, like the 督办 index: its predicate is the one EF writes for "open" (HazardQuery.Open, state < 已销号).
        b.HasIndex(h => new { h.State, h.DueOn, h.RegionCode, h.Level, h.FoundAt, h.EnterpriseId }, "ix_hazards_open").HasFilter("state < 5");
        // And by region, for a region filter with "open" or "overdue" (a county's open hazards): PostgreSQL combined the region
        // and state indexes in a bitmap of 41,000 entries (32 ms to count, 146 ms for a page); from here 0.2 ms and 1 ms.
        b.HasIndex(h => new { h.RegionCode, h.FoundAt }, "ix_hazards_open_region").HasFilter("state < 5");
        // And the open set's ids alone, for a text search narrowed to open hazards (HazardSearch: "open" and 顶板): PostgreSQL
        // read the 41,000 ids from the table through (state, due_on) — 18,700 pages, 57–68 ms; from this index alone 9–13 ms.
        // PostgreSQL only: SQLite's indexes carry the rowid, so ix_hazards_open serves it there, and with this one SQLite
        // looked the candidates up by id in it before the table instead of by rowid (q=顶板 + open 75 → 95 ms at p95).
        b.HasIndex(h => h.Id, "ix_hazards_open_id").HasFilter("state < 5").HasAnnotation(ModelConventions.PostgresOnly, true);
        b.HasOne(h => h.Mine).WithMany().HasForeignKey(h => h.MineId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(h => h.Criterion).WithMany().HasForeignKey(h => h.CriterionId).OnDelete(DeleteBehavior.Restrict);
    }
}
