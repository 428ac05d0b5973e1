using MineRisk.Web.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class ConflictForm
{
    public long? MineId { get; set; }

    public ConflictCategory? Category { get; set; }

    public RiskGrade? RiskGrade { get; set; }

    public string? Description { get; set; }

    public double? Amount { get; set; }

    public int? Persons { get; set; }

    public long? LeaderUserId { get; set; }

    public DateOnly? Deadline { get; set; }

    public string? ResponsibleUnit { get; set; }

    public string? ResponsiblePerson { get; set; }

    public string? Measures { get; set; }
}

public sealed record MineOption(long Id, string Code, string Name);

public sealed class ConflictNewModel(AppDbContext db, ConflictService service, CurrentUser user, TimeProvider clock) : PageModel
{
    [BindProperty]
    public ConflictForm Form { get; set; } = new();

    public List<MineOption> Mines { get; private set; } = [];

    public IReadOnlyList<LeaderOption> Leaders { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(long? mineId, CancellationToken ct)
    {
        if (!StabilityAccess.CanKeepLedger(user))
        {
            return Forbid();
        }

        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        Form = new ConflictForm { MineId = mineId, RiskGrade = RiskGrade.Low, Deadline = today.AddDays(30) };
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!StabilityAccess.CanKeepLedger(user))
        {
            return Forbid();
        }

        ModelState.Clear();
        var result = await service.CreateAsync(new ConflictInput(Form.MineId, Form.Category, Form.Description, Form.Amount, Form.Persons, Form.RiskGrade,
            Form.LeaderUserId, Form.ResponsibleUnit, Form.ResponsiblePerson, Form.Measures, Form.Deadline), ct);
        if (result.TryGetError(out var error))
        {
            if (error is Platform.Errors.NotFoundError)
            {
                return NotFound();
            }

            error.AddTo(ModelState, nameof(Form));
            await LoadAsync(ct);
            return Page();
        }

        TempData["Message"] = $"已挂号：{result.Value.Number}。";
        return Redirect($"/stability/conflicts/{result.Value.Id}");
    }

    /// <summary>The 包案领导 choices for the mine picked in the form (htmx).</summary>
    public async Task<IActionResult> OnGetLeadersAsync([FromQuery(Name = "Form.MineId")] long? mineId, CancellationToken ct)
    {
        var region = mineId is { } id ? await db.Set<Mine>().Where(m => m.Id == id).Select(m => m.RegionCode).SingleOrDefaultAsync(ct) : null;
        var leaders = region is null ? [] : await service.LeadersForAsync(region, ct);
        return Partial("/Features/Stability/Pages/_LeaderOptions.cshtml", (IReadOnlyList<LeaderOption>)leaders);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Mines = await db.Set<Mine>().AsNoTracking().Where(m => m.Status != MineStatus.Closed || m.Disposition != Disposition.Retain)
            .OrderBy(m => m.Code).Select(m => new MineOption(m.Id, m.Code, m.Name)).ToListAsync(ct);
        if (Form.MineId is { } id && await db.Set<Mine>().Where(m => m.Id == id).Select(m => m.RegionCode).SingleOrDefaultAsync(ct) is { } region)
        {
            Leaders = await service.LeadersForAsync(region, ct);
        }
    }
}
