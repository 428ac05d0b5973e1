using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Hazards.Pages;

public sealed record RevisitItemRow(long HazardId, string Number, string Location, string Description, HazardLevel? Level, DateTime? ClosedAt, HazardState State,
    RevisitOutcome Outcome, string? Note, DateTime? CheckedAt, string? CheckedByName);

/// <summary>One 回马枪 revisit: its list of closed hazards, each confirmed or reopened with a new deadline.</summary>
public sealed class RevisitModel(AppDbContext db, RevisitService service, CurrentUser user, TimeProvider clock) : PageModel
{
    public Revisit Revisit { get; private set; } = null!;

    public string MineName { get; private set; } = "";

    public List<RevisitItemRow> Items { get; private set; } = [];

    public bool CanCheck => HazardAccess.IsRegulator(user) && !user.IsReadOnly;

    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(long id, long hazardId, string? outcome, string? note, DateOnly? deadline, CancellationToken ct)
    {
        var result = await service.CheckAsync(id, hazardId, new RevisitCheckInput(outcome, note, deadline), ct);
        switch (result.TryGetError(out var error) ? error : null)
        {
            case NotFoundError:
                return NotFound();
            case ForbiddenError:
                return Forbid();
            case { } e:
                TempData["Error"] = e.Message;
                break;
            default:
                TempData["Message"] = $"已记录：{result.Value.Outcome.Label()}。";
                break;
        }

        return Redirect($"/hazards/revisits/{id}");
    }

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Today = ChinaTime.DateOf(clock.GetUtcNow().UtcDateTime);
        var revisit = await db.Set<Revisit>().AsNoTracking().Include(r => r.Mine).SingleOrDefaultAsync(r => r.Id == id, ct);
        if (revisit is null)
        {
            return false;
        }

        Revisit = revisit;
        MineName = revisit.Mine!.Name;
        Items = await db.Set<RevisitItem>().AsNoTracking().Where(i => i.RevisitId == id).OrderBy(i => i.Id)
            .Select(i => new RevisitItemRow(i.HazardId, i.Hazard!.Number, i.Hazard.Location, i.Hazard.Description, i.Hazard.Level, i.Hazard.ClosedAt, i.Hazard.State,
                i.Outcome, i.Note, i.CheckedAt, i.CheckedByName)).ToListAsync(ct);
        return true;
    }
}
