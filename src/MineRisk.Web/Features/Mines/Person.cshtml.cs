using MineRisk.Web.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Mines;

public sealed class PersonForm
{
    public KeyPosition? Position { get; set; }

    public string? Name { get; set; }

    public string? IdNumber { get; set; }

    public Education? Education { get; set; }

    public int? YearsExperience { get; set; }

    public bool MiningMajor { get; set; }

    public bool FullTime { get; set; }

    public bool RegisteredSafetyEngineer { get; set; }
}

/// <summary>A key person of a mine: <c>/mines/{id}/persons/new</c> or <c>/mines/{id}/persons/{personId}</c>.</summary>
public sealed class PersonModel(AppDbContext db, MineWriter writer) : PageModel
{
    [BindProperty]
    public PersonForm Form { get; set; } = new();

    public long MineId { get; private set; }

    public string MineName { get; private set; } = "";

    public bool IsNew { get; private set; }

    private long? PersonId { get; set; }

    public async Task<IActionResult> OnGetAsync(long id, string personId, CancellationToken ct)
    {
        if (!await LoadAsync(id, personId, ct))
        {
            return NotFound();
        }

        if (!writer.CanEditDetails)
        {
            return Forbid();
        }

        if (PersonId is { } pid)
        {
            var p = await db.Set<KeyPerson>().AsNoTracking().SingleAsync(x => x.Id == pid, ct);
            Form = new PersonForm
            {
                Position = p.Position, Name = p.Name, Education = p.Education, YearsExperience = p.YearsExperience, MiningMajor = p.MiningMajor,
                FullTime = p.FullTime, RegisteredSafetyEngineer = p.RegisteredSafetyEngineer,
            };
        }
        else
        {
            Form = new PersonForm { MiningMajor = true, FullTime = true };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, string personId, CancellationToken ct)
    {
        if (!await LoadAsync(id, personId, ct))
        {
            return NotFound();
        }

        ModelState.Clear();
        var idNumber = Form.IdNumber;
        if (string.IsNullOrWhiteSpace(idNumber) && PersonId is { } pid)
        {
            // The form never shows the stored number: an empty field keeps it.
            idNumber = await db.Set<KeyPerson>().Where(p => p.Id == pid).Select(p => p.IdNumber).SingleAsync(ct);
        }

        var result = await writer.SavePersonAsync(id, PersonId, new KeyPersonInput(Form.Position, Form.Name, idNumber, Form.Education, Form.MiningMajor,
            Form.YearsExperience, Form.FullTime, Form.RegisteredSafetyEngineer), ct);
        if (result.TryGetError(out var error))
        {
            error.AddTo(ModelState, nameof(Form));
            return Page();
        }

        TempData["Message"] = "人员信息已保存。";
        return Redirect($"/mines/{id}#persons");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, string personId, CancellationToken ct)
    {
        if (!await LoadAsync(id, personId, ct) || PersonId is null)
        {
            return NotFound();
        }

        var result = await writer.DeletePersonAsync(id, PersonId.Value, ct);
        TempData[result.IsOk ? "Message" : "Error"] = result.IsOk ? "人员已删除。" : result.Error!.Message;
        return Redirect($"/mines/{id}#persons");
    }

    private async Task<bool> LoadAsync(long id, string personId, CancellationToken ct)
    {
        var mine = await writer.FindAsync(id, ct);
        if (mine is null)
        {
            return false;
        }

        (MineId, MineName, IsNew) = (id, mine.Name, personId == "new");
        if (IsNew)
        {
            return true;
        }

        if (long.TryParse(personId, out var pid) && await db.Set<KeyPerson>().AnyAsync(p => p.Id == pid && p.MineId == id, ct))
        {
            PersonId = pid;
            return true;
        }

        return false;
    }
}
