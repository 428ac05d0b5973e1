using MineRisk.Web.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Mines;

public sealed class LicenceForm
{
    public LicenceKind? Kind { get; set; }

    public string? Number { get; set; }

    public string? IssuedBy { get; set; }

    public DateOnly? ExpiresOn { get; set; }
}

/// <summary>A licence of a mine: <c>/mines/{id}/licences/new</c> or <c>/mines/{id}/licences/{licenceId}</c>.</summary>
public sealed class LicenceModel(AppDbContext db, MineWriter writer, IOptions<MineOptions> options) : PageModel
{
    [BindProperty]
    public LicenceForm Form { get; set; } = new();

    public long MineId { get; private set; }

    public string MineName { get; private set; } = "";

    public bool IsNew { get; private set; }

    public int WarnDays => options.Value.LicenceWarnDays;

    public async Task<IActionResult> OnGetAsync(long id, string licenceId, CancellationToken ct)
    {
        if (!await LoadAsync(id, licenceId, ct))
        {
            return NotFound();
        }

        if (!writer.CanEditDetails)
        {
            return Forbid();
        }

        if (!IsNew)
        {
            var licence = await db.Set<MineLicence>().AsNoTracking().SingleAsync(l => l.Id == long.Parse(licenceId, System.Globalization.CultureInfo.InvariantCulture), ct);
            Form = new LicenceForm { Kind = licence.Kind, Number = licence.Number, IssuedBy = licence.IssuedBy, ExpiresOn = licence.ExpiresOn };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long id, string licenceId, CancellationToken ct)
    {
        if (!await LoadAsync(id, licenceId, ct))
        {
            return NotFound();
        }

        ModelState.Clear();
        var result = await writer.SaveLicenceAsync(id, IsNew ? null : long.Parse(licenceId, System.Globalization.CultureInfo.InvariantCulture),
            new LicenceInput(Form.Kind, Form.Number, Form.IssuedBy, Form.ExpiresOn), ct);
        if (result.TryGetError(out var error))
        {
            error.AddTo(ModelState, nameof(Form));
            return Page();
        }

        TempData["Message"] = "证照已保存。";
        return Redirect($"/mines/{id}#licences");
    }

    public async Task<IActionResult> OnPostDeleteAsync(long id, string licenceId, CancellationToken ct)
    {
        if (!await LoadAsync(id, licenceId, ct) || IsNew)
        {
            return NotFound();
        }

        var result = await writer.DeleteLicenceAsync(id, long.Parse(licenceId, System.Globalization.CultureInfo.InvariantCulture), ct);
        TempData[result.IsOk ? "Message" : "Error"] = result.IsOk ? "证照已删除。" : result.Error!.Message;
        return Redirect($"/mines/{id}#licences");
    }

    /// <summary>The mine (in scope) and, unless new, the licence of that mine.</summary>
    private async Task<bool> LoadAsync(long id, string licenceId, CancellationToken ct)
    {
        var mine = await writer.FindAsync(id, ct);
        if (mine is null)
        {
            return false;
        }

        (MineId, MineName, IsNew) = (id, mine.Name, licenceId == "new");
        return IsNew || (long.TryParse(licenceId, out var lid) && await db.Set<MineLicence>().AnyAsync(l => l.Id == lid && l.MineId == id, ct));
    }
}
