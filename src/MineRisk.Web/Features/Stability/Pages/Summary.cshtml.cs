using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class SummaryModel(AppDbContext db, TimeProvider clock) : PageModel
{
    public MonthlySummary Summary { get; private set; } = null!;

    public async Task OnGetAsync(string? month, CancellationToken ct)
    {
        if (!StabilityApi.ParseMonth(month, clock).TryGetValue(out var m, out var error))
        {
            TempData["Error"] = error.Message;
            m = StabilityApi.ParseMonth(null, clock).Value;
        }

        Summary = await StabilityViews.MonthlyAsync(db, m, null, clock.GetUtcNow().UtcDateTime, ct);
    }
}
