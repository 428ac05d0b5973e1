using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Web.Features.Mines;

public sealed record MilestoneView(long Id, int Seq, string Name, DateOnly DueOn, MilestoneState State, string StateName,
    DateTime? StartedAt, DateTime? CompletedAt, string? Note, DeadlineStatus? DeadlineStatus, string? DeadlineStatusName);

public sealed record PlanView(long Id, Disposition Category, string CategoryName, string? Summary, string? SurvivingEntity, string? PartnerMineCodes,
    DateTime CreatedAt, IReadOnlyList<MilestoneView> Milestones)
{
    public static async Task<PlanView?> LoadAsync(AppDbContext db, long mineId, DateTime now, CancellationToken ct)
    {
        var plan = await db.Set<DispositionPlan>().AsNoTracking().Include(p => p.Milestones).SingleOrDefaultAsync(p => p.MineId == mineId, ct);
        if (plan is null)
        {
            return null;
        }

        var deadlineIds = plan.Milestones.Where(m => m.DeadlineId != null).Select(m => m.DeadlineId!.Value).ToList();
        var deadlines = await db.Deadlines.AsNoTracking().Where(d => deadlineIds.Contains(d.Id)).ToDictionaryAsync(d => d.Id, ct);
        return new PlanView(plan.Id, plan.Category, plan.Category.Label(), plan.Summary, plan.SurvivingEntity, plan.PartnerMineCodes, plan.CreatedAt,
            plan.Milestones.OrderBy(m => m.Seq).Select(m =>
            {
                var status = m.DeadlineId is { } d && deadlines.TryGetValue(d, out var deadline) ? deadline.StatusAt(now) : (DeadlineStatus?)null;
                return new MilestoneView(m.Id, m.Seq, m.Name, m.DueOn, m.State, m.State.Label(), m.StartedAt, m.CompletedAt, m.Note, status, status?.Label());
            }).ToList());
    }
}
