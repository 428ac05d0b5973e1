using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Hazards.Pages;

public sealed record RevisitRow(long Id, string Number, long MineId, string MineName, DateOnly ScheduledOn, string ScheduledByName, DateTime? CompletedAt,
    int Items, int Reopened, int Pending);

public sealed record ClosedHazardOption(long Id, string Number, string Location, string Description, HazardLevel? Level, DateTime? ClosedAt);

/// <summary>
/// 回马枪: the revisits in scope, and (with <c>?mineId=</c>) the form that schedules one for a mine: chosen closed hazards,
/// or a random sample of those closed in the last six months.
/// </summary>
public sealed class RevisitsModel(AppDbContext db, RevisitService service, CurrentUser user, TimeProvider clock) : PageModel
{
    public List<RevisitRow> Rows { get; private set; } = [];

    public long? MineId { get; private set; }

    public string? MineName { get; private set; }

    public List<ClosedHazardOption> Closed { get; private set; } = [];

    public List<HazardMineOption> Mines { get; private set; } = [];

    public bool CanSchedule => HazardAccess.IsRegulator(user) && !user.IsReadOnly;

    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(long? mineId, CancellationToken ct) => await LoadAsync(mineId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long? mineId, DateOnly? scheduledOn, List<long>? hazardIds, int? sample, string? note, CancellationToken ct)
    {
        var result = await service.ScheduleAsync(new RevisitInput(mineId, scheduledOn, hazardIds, hazardIds is { Count: > 0 } ? null : sample, note), ct);
        if (result.TryGetError(out var error))
        {
            switch (error)
            {
                case NotFoundError:
                    return NotFound();
                case ForbiddenError:
                    return Forbid();
            }

            ModelState.AddModelError("", error.Message);
            return await LoadAsync(mineId, ct) ? Page() : NotFound();
        }

        TempData["Message"] = $"已安排回马枪复查 {result.Value.Number}（{result.Value.Items.Count} 项）。";
        return Redirect($"/hazards/revisits/{result.Value.Id}");
    }

    private async Task<bool> LoadAsync(long? mineId, CancellationToken ct)
    {
        Today = ChinaTime.DateOf(clock.GetUtcNow().UtcDateTime);
        var query = db.Set<Revisit>().AsNoTracking();
        if (mineId is { } id)
        {
            MineName = await db.Set<Mine>().AsNoTracking().Where(m => m.Id == id).Select(m => m.Name).SingleOrDefaultAsync(ct);
            if (MineName is null)
            {
                return false;
            }

            MineId = id;
            query = query.Where(r => r.MineId == id);
            var since = clock.GetUtcNow().UtcDateTime.AddMonths(-12);
            Closed = await db.Set<Hazard>().AsNoTracking().Where(h => h.MineId == id && h.State == HazardState.Closed && h.ClosedAt >= since)
                .OrderByDescending(h => h.ClosedAt).Take(100)
                .Select(h => new ClosedHazardOption(h.Id, h.Number, h.Location, h.Description, h.Level, h.ClosedAt)).ToListAsync(ct);
        }
        else if (CanSchedule)
        {
            Mines = await db.Set<Mine>().AsNoTracking().Where(m => m.Status != MineStatus.Closed).OrderBy(m => m.Code)
                .Select(m => new HazardMineOption(m.Id, m.Code, m.Name)).ToListAsync(ct);
        }

        Rows = await query.OrderByDescending(r => r.ScheduledOn).ThenByDescending(r => r.Id).Take(200)
            .Select(r => new RevisitRow(r.Id, r.Number, r.MineId, r.Mine!.Name, r.ScheduledOn, r.ScheduledByName, r.CompletedAt, r.Items.Count,
                r.Items.Count(i => i.Outcome == RevisitOutcome.Reopened), r.Items.Count(i => i.Outcome == RevisitOutcome.Pending)))
            .ToListAsync(ct);
        return true;
    }
}
