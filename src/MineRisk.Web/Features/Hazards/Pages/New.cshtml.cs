using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Hazards.Pages;

public sealed class HazardForm
{
    public long? MineId { get; set; }

    public string? Location { get; set; }

    public string? Description { get; set; }

    public HazardSource? Source { get; set; }

    public string? ProfessionalCategory { get; set; }

    public DateTime? FoundAt { get; set; }

    public string? FoundBy { get; set; }

    public DateOnly? Deadline { get; set; }

    public string? Measures { get; set; }

    public double? Funds { get; set; }

    public string? ResponsibleUnit { get; set; }

    public string? ResponsiblePerson { get; set; }

    public long? RectifierUserId { get; set; }

    public HazardLevel? Level { get; set; }

    public long? CriterionId { get; set; }

    public string? StoppedArea { get; set; }
}

public sealed record HazardMineOption(long Id, string Code, string Name);

/// <summary>登记隐患: a regulator's finding or an enterprise's 自查自报, with 整改前 photos and, if known at once, its level.</summary>
public sealed class NewModel(AppDbContext db, HazardService service, AttachmentStore store, CurrentUser user, TimeProvider clock, IOptions<HazardOptions> options)
    : PageModel
{
    [BindProperty]
    public HazardForm Form { get; set; } = new();

    public List<HazardMineOption> Mines { get; private set; } = [];

    public IReadOnlyList<RectifierOption> Rectifiers { get; private set; } = [];

    public List<CriterionGroup> Criteria { get; private set; } = [];

    public IReadOnlyList<string> Categories => options.Value.Categories;

    public bool IsEnterprise => !HazardAccess.IsRegulator(user);

    public async Task<IActionResult> OnGetAsync(long? mineId, CancellationToken ct)
    {
        if (!HazardAccess.CanWork(user))
        {
            return Forbid();
        }

        var now = ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime);
        Form = new HazardForm
        {
            MineId = mineId, FoundAt = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0), FoundBy = user.DisplayName,
            Deadline = DateOnly.FromDateTime(now).AddDays(7), Source = IsEnterprise ? HazardSource.SelfCheck : HazardSource.Inspection,
        };
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(List<IFormFile>? photos, CancellationToken ct)
    {
        if (!HazardAccess.CanWork(user))
        {
            return Forbid();
        }

        ModelState.Clear();
        var ids = new List<long>();
        foreach (var file in photos ?? [])
        {
            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, file.FileName, AttachmentKind.Image, user.Id!.Value, ct);
            if (saved.TryGetError(out var uploadError))
            {
                ModelState.AddModelError("photos", $"{file.FileName}：{uploadError.Message}");
                await LoadAsync(ct);
                return Page();
            }

            ids.Add(saved.Value.Id);
        }

        var result = await service.CreateAsync(new HazardInput(Form.MineId, Form.Location, Form.Description, Form.Source, Form.ProfessionalCategory, Form.FoundAt,
            Form.FoundBy, Form.Deadline, Form.Measures, Form.Funds, Form.ResponsibleUnit, Form.ResponsiblePerson, Form.RectifierUserId, Form.Level,
            Form.Level == HazardLevel.Major ? Form.CriterionId : null, Form.Level == HazardLevel.Major ? Form.StoppedArea : null, ids), ct);
        if (result.TryGetError(out var error))
        {
            if (error is NotFoundError)
            {
                return NotFound();
            }

            error.AddTo(ModelState, nameof(Form));
            await LoadAsync(ct);
            return Page();
        }

        TempData["Message"] = $"已登记隐患：{result.Value.Number}。";
        return Redirect($"/hazards/{result.Value.Id}");
    }

    /// <summary>Who may fix hazards of the mine picked in the form (htmx).</summary>
    public async Task<IActionResult> OnGetRectifiersAsync([FromQuery(Name = "Form.MineId")] long? mineId, CancellationToken ct)
    {
        var mine = mineId is { } id ? await db.Set<Mine>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) : null;
        IReadOnlyList<RectifierOption> options = mine is null ? [] : await service.RectifiersForAsync(mine, ct);
        return Partial("/Features/Hazards/Pages/_RectifierOptions.cshtml", options);
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Mines = await db.Set<Mine>().AsNoTracking().Where(m => m.Status != MineStatus.Closed)
            .OrderBy(m => m.Code).Select(m => new HazardMineOption(m.Id, m.Code, m.Name)).ToListAsync(ct);
        if (Form.MineId is { } id && await db.Set<Mine>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == id, ct) is { } mine)
        {
            Rectifiers = await service.RectifiersForAsync(mine, ct);
        }

        Criteria = await HazardViews.CriteriaAsync(db, ct);
    }
}
