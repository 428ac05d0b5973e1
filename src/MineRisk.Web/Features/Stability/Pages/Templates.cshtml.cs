using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability.Pages;

[Authorize(Policy = PlatformSetup.AdminPolicy)]
public sealed class TemplatesModel(AppDbContext db, AssessmentService service, CurrentUser user, TimeProvider clock) : PageModel
{
    public AssessmentTemplate Current { get; private set; } = null!;

    public List<AssessmentTemplate> Versions { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(string? name, double? highThreshold, double? mediumThreshold, string? note,
        List<DimensionInput>? dimensions, List<VetoInput>? vetoRules, CancellationToken ct)
    {
        ModelState.Clear();
        var input = new TemplateInput(name, highThreshold, mediumThreshold, note, dimensions ?? [],
            (vetoRules ?? []).Where(r => !string.IsNullOrWhiteSpace(r.DimensionKey)).ToList());
        var result = await StabilityApi.NewTemplateAsync(db, user, clock, input, ct);
        if (result.TryGetError(out var error))
        {
            foreach (var message in error is Platform.Errors.ValidationError { Fields: { } f } ? f.Values.SelectMany(v => v) : [error.Message])
            {
                ModelState.AddModelError("", message);
            }

            await LoadAsync(ct);
            return Page();
        }

        TempData["Message"] = $"评估模板第 {result.Value.Version} 版已发布。";
        return RedirectToPage();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Current = await service.CurrentTemplateAsync(ct);
        Versions = await db.Set<AssessmentTemplate>().AsNoTracking().OrderByDescending(t => t.Version).ToListAsync(ct);
    }
}
