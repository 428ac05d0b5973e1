using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Stability.Pages;

/// <summary>Toggles one 十到位 item from the mine page's stability section, then goes back to the mine.</summary>
public sealed class TenItemsModel(AppDbContext db, CurrentUser user, TimeProvider clock) : PageModel
{
    public IActionResult OnGet() => NotFound();

    public async Task<IActionResult> OnPostAsync(long mineId, string toggle, CancellationToken ct)
    {
        var done = EnumLabels.TryParse<TenItem>(toggle, out var item)
                   && await db.Set<TenItemCheck>().AnyAsync(t => t.MineId == mineId && t.Item == item && t.Done, ct);
        var result = await StabilityApi.SetTenItemAsync(db, user, clock, mineId, toggle, new TenItemInput(!done, null), ct);
        switch (result.Error)
        {
            case NotFoundError:
                return NotFound();
            case ForbiddenError:
                return Forbid();
            case { } error:
                TempData["Error"] = error.Message;
                break;
        }

        return Redirect($"/mines/{mineId}#stability");
    }
}
