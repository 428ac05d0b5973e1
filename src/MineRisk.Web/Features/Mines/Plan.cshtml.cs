using MineRisk.Web.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Mines;

public sealed class PlanForm
{
    public string? Summary { get; set; }

    public string? SurvivingEntity { get; set; }

    public string? PartnerMineCodes { get; set; }

    public List<MilestoneForm> Milestones { get; set; } = [];
}

public sealed class MilestoneForm
{
    public string? Name { get; set; }

    public DateOnly? DueOn { get; set; }
}

/// <summary>一矿一方案 of a mine to close or merge.</summary>
public sealed class PlanModel(AppDbContext db, MineWriter writer, TimeProvider clock) : PageModel
{
    [BindProperty]
    public PlanForm Form { get; set; } = new();

    public long MineId { get; private set; }

    public string MineName { get; private set; } = "";

    public Disposition Category { get; private set; }

    public bool IsNew { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }

        var plan = await db.Set<DispositionPlan>().AsNoTracking().SingleOrDefaultAsync(p => p.MineId == id, ct);
        if (plan is not null)
        {
            Form = new PlanForm { Summary = plan.Summary, SurvivingEntity = plan.SurvivingEntity, PartnerMineCodes = plan.PartnerMineCodes };
        }
        else
        {
            var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
            Form.Milestones = DispositionPlan.TemplateFor(Category).Select((name, i) => new MilestoneForm { Name = name, DueOn = today.AddMonths(2 * (i + 1)) }).ToList();
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, CancellationToken ct)
    {
        if (await LoadAsync(id, ct) is { } refused)
        {
            return refused;
        }

        ModelState.Clear();
        var input = new PlanInput(Form.Summary, Form.SurvivingEntity, Form.PartnerMineCodes, IsNew ? Form.Milestones.Select(m => new MilestoneInput(m.Name, m.DueOn)).ToList() : null);
        var result = await writer.SavePlanAsync(id, input, ct);
        if (result.TryGetError(out var error))
        {
            error.AddTo(ModelState, nameof(Form));
            return Page();
        }

        TempData["Message"] = "处置方案已保存。";
        return Redirect($"/mines/{id}#plan");
    }

    private async Task<IActionResult?> LoadAsync(long id, CancellationToken ct)
    {
        var mine = await writer.FindAsync(id, ct);
        if (mine is null)
        {
            return NotFound();
        }

        if (!writer.CanEditMines)
        {
            return Forbid();
        }

        (MineId, MineName, Category) = (id, mine.Name, mine.Disposition);
        IsNew = !await db.Set<DispositionPlan>().AnyAsync(p => p.MineId == id, ct);
        return null;
    }
}
