using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed record TaskForceRow(long Id, string Name, string MineName, string LeaderName, string? LeaderTitle, string WatchTarget, DateOnly? LastPatrol);

public sealed class TaskForcesModel(AppDbContext db, CurrentUser user, TimeProvider clock, IOptions<StabilityOptions> options) : PageModel
{
    public List<ComplianceGap> Gaps { get; private set; } = [];

    public List<TaskForceRow> Forces { get; private set; } = [];

    public int GapDays => options.Value.PatrolGapDays;

    public bool CanEdit => StabilityAccess.CanAssess(user) && !user.IsReadOnly;

    public async Task OnGetAsync(CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        Gaps = await StabilityViews.ComplianceAsync(db, today, GapDays, ct);
        Forces = await db.Set<TaskForce>().AsNoTracking().Where(t => t.Active).OrderBy(t => t.RegionCode).ThenBy(t => t.Id)
            .Select(t => new TaskForceRow(t.Id, t.Name, t.Mine!.Name, t.LeaderName, t.LeaderTitle, t.WatchTarget,
                db.Set<PatrolLog>().Where(p => p.TaskForceId == t.Id).Max(p => (DateOnly?)p.Date)))
            .ToListAsync(ct);
    }
}
