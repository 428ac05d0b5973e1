using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Mines;

/// <summary>一矿一档: the facts and flags of one mine, then each module's section.</summary>
public sealed class DetailsModel(AppDbContext db, MineWriter writer, TimeProvider clock, IOptions<MineOptions> options) : PageModel
{
    public MineDetail Mine { get; private set; } = null!;

    public bool CanEdit => writer.CanEditMines;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        var detail = await MineViews.DetailAsync(db, id, today, options.Value.LicenceWarnDays, ct);
        if (detail is null)
        {
            return NotFound();
        }

        Mine = detail;
        return Page();
    }

    public async Task<IActionResult> OnPostMilestoneAsync(long id, long milestoneId, MilestoneAction action, string? note, CancellationToken ct)
    {
        var result = await writer.ActOnMilestoneAsync(id, milestoneId, action, note, ct);
        if (result.TryGetError(out var error))
        {
            switch (error)
            {
                case Platform.Errors.NotFoundError:
                    return NotFound();
                case Platform.Errors.ForbiddenError:
                    return Forbid();
            }

            TempData["Error"] = error.Message;
        }
        else
        {
            TempData["Message"] = $"方案节点已{action.Label()}。";
        }

        return Redirect($"/mines/{id}#plan");
    }
}
