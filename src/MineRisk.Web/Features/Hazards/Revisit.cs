using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Hazards;

/// <summary>回马枪: a regulator goes back to a mine to see whether closed hazards really stay fixed.</summary>
[DisplayName("回马枪复查")]
public sealed class Revisit : IScoped
{
    public long Id { get; init; }

    /// <summary>编号, e.g. HMQ-530302-2026-000004.</summary>
    public required string Number { get; init; }

    public long MineId { get; init; }

    public Mine? Mine { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public DateOnly ScheduledOn { get; init; }

    public long ScheduledById { get; init; }

    public required string ScheduledByName { get; init; }

    public string? Note { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? CompletedAt { get; set; }

    public long? DeadlineId { get; set; }

    public List<RevisitItem> Items { get; init; } = [];
}

/// <summary>One closed hazard to look at again, and what was found.</summary>
public sealed class RevisitItem
{
    public long Id { get; init; }

    public long RevisitId { get; init; }

    public long HazardId { get; init; }

    public Hazard? Hazard { get; init; }

    public RevisitOutcome Outcome { get; set; }

    public string? Note { get; set; }

    public DateTime? CheckedAt { get; set; }

    public string? CheckedByName { get; set; }
}

internal sealed class RevisitConfiguration : IEntityTypeConfiguration<Revisit>, IEntityTypeConfiguration<RevisitItem>
{
    public void Configure(EntityTypeBuilder<Revisit> b)
    {
        b.ToTable("hazard_revisits");
        b.Property(r => r.Number).HasMaxLength(40);
        b.Property(r => r.RegionCode).HasMaxLength(12);
        b.Property(r => r.ScheduledByName).HasMaxLength(50);
        b.Property(r => r.Note).HasMaxLength(1000);
        b.HasIndex(r => r.Number).IsUnique();
        b.HasIndex(r => new { r.MineId, r.ScheduledOn });
        b.HasOne(r => r.Mine).WithMany().HasForeignKey(r => r.MineId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(r => r.Items).WithOne().HasForeignKey(i => i.RevisitId).OnDelete(DeleteBehavior.Cascade);
    }

    public void Configure(EntityTypeBuilder<RevisitItem> b)
    {
        b.ToTable("hazard_revisit_items");
        b.Property(i => i.Note).HasMaxLength(1000);
        b.Property(i => i.CheckedByName).HasMaxLength(50);
        b.HasIndex(i => new { i.RevisitId, i.HazardId }).IsUnique();
        b.HasIndex(i => i.HazardId);
        b.HasOne(i => i.Hazard).WithMany().HasForeignKey(i => i.HazardId).OnDelete(DeleteBehavior.Restrict);
    }
}

public sealed record RevisitInput(long? MineId, DateOnly? ScheduledOn, IReadOnlyList<long>? HazardIds, int? Sample, string? Note);

public sealed record RevisitCheckInput(string? Outcome, string? Note, DateOnly? Deadline);

/// <summary>Schedules 回马枪 revisits and records what each finds; a hazard found again is reopened with a new deadline.</summary>
public sealed class RevisitService(AppDbContext db, CurrentUser user, TimeProvider clock, DeadlineService deadlines, HazardService hazards)
{
    public const string Subject = "hazard-revisit";

    public const int MaxItems = 50;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<Result<Revisit>> ScheduleAsync(RevisitInput input, CancellationToken ct)
    {
        if (!HazardAccess.IsRegulator(user) || user.IsReadOnly)
        {
            return new ForbiddenError("回马枪复查由监管部门安排。");
        }

        var mine = input.MineId is { } mineId ? await db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == mineId, ct) : null;
        if (mine is null)
        {
            return input.MineId is null ? ValidationError.For("mineId", "请选择煤矿。") : new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        var today = ChinaTime.DateOf(Now);
        if (input.ScheduledOn is not { } on || on < today)
        {
            return ValidationError.For("scheduledOn", "请填写复查日期（今天或以后）。");
        }

        var closed = db.Set<Hazard>().Where(h => h.MineId == mine.Id && h.State == HazardState.Closed);
        List<long> chosen;
        if (input.HazardIds is { Count: > 0 } ids)
        {
            chosen = await closed.Where(h => ids.Contains(h.Id)).Select(h => h.Id).ToListAsync(ct);
            if (chosen.Count != ids.Distinct().Count())
            {
                return ValidationError.For("hazardIds", "只能选择该煤矿已销号的隐患。");
            }
        }
        else if (input.Sample is { } n and > 0)
        {
            // A random sample of what was closed in the last six months (all of it if there is less).
            var since = Now.AddMonths(-6);
            var pool = await closed.Where(h => h.ClosedAt >= since).Select(h => h.Id).ToListAsync(ct);
            chosen = pool.OrderBy(_ => Random.Shared.Next()).Take(n).ToList();
            if (chosen.Count == 0)
            {
                return ValidationError.For("sample", "该煤矿近六个月没有已销号的隐患可供抽查。");
            }
        }
        else
        {
            return ValidationError.For("hazardIds", "请选择要复查的已销号隐患，或给出抽查数量。");
        }

        if (chosen.Count > MaxItems)
        {
            return ValidationError.For("hazardIds", $"一次复查最多 {MaxItems} 项。");
        }

        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var revisit = new Revisit
        {
            Number = await Numbering.NextAsync(db, "HMQ", mine.RegionCode, Now, ct),
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            ScheduledOn = on,
            ScheduledById = user.Id!.Value,
            ScheduledByName = user.DisplayName,
            Note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim(),
            CreatedAt = Now,
            Items = chosen.Select(id => new RevisitItem { HazardId = id }).ToList(),
        };
        db.Add(revisit);
        await db.SaveChangesAsync(ct);
        var deadline = deadlines.Open(Subject, revisit.Id, $"{revisit.Number} {mine.Name}回马枪复查（{chosen.Count} 项）", revisit, DeadlineService.EndOf(on),
            assigneeUserId: user.Id, mineId: mine.Id, link: $"/hazards/revisits/{revisit.Id}");
        await db.SaveChangesAsync(ct);
        revisit.DeadlineId = deadline.Id;
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return revisit;
    }

    public async Task<Result<RevisitItem>> CheckAsync(long revisitId, long hazardId, RevisitCheckInput input, CancellationToken ct)
    {
        var revisit = await db.Set<Revisit>().Include(r => r.Items).SingleOrDefaultAsync(r => r.Id == revisitId, ct);
        if (revisit is null)
        {
            return new NotFoundError("未找到该复查，或它不在您的管辖范围内。");
        }

        if (!HazardAccess.IsRegulator(user) || user.IsReadOnly)
        {
            return new ForbiddenError("回马枪复查结果由监管部门填写。");
        }

        var item = revisit.Items.SingleOrDefault(i => i.HazardId == hazardId);
        if (item is null)
        {
            return new NotFoundError("该隐患不在本次复查清单中。");
        }

        if (item.Outcome != RevisitOutcome.Pending)
        {
            return new ConflictError($"该项已复查（{item.Outcome.Label()}）。");
        }

        if (!EnumLabels.TryParse<RevisitOutcome>(input.Outcome, out var outcome) || outcome == RevisitOutcome.Pending)
        {
            return ValidationError.For("outcome", "复查结论只能是 confirmed（整改到位）或 reopened（重新打开）。");
        }

        var note = string.IsNullOrWhiteSpace(input.Note) ? null : input.Note.Trim();
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        if (outcome == RevisitOutcome.Reopened)
        {
            var reopened = await hazards.ActAsync(hazardId, new HazardTransitionInput("reopen", note is null ? null : $"回马枪复查（{revisit.Number}）：{note}",
                Deadline: input.Deadline), ct);
            if (reopened.TryGetError(out var error))
            {
                return error;
            }
        }

        item.Outcome = outcome;
        item.Note = note;
        item.CheckedAt = Now;
        item.CheckedByName = user.DisplayName;
        if (revisit.Items.All(i => i.Outcome != RevisitOutcome.Pending))
        {
            revisit.CompletedAt = Now;
            if (revisit.DeadlineId is { } id && await db.Deadlines.SingleOrDefaultAsync(d => d.Id == id, ct) is { CompletedAt: null } open)
            {
                open.Complete(Now);
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return item;
    }
}
