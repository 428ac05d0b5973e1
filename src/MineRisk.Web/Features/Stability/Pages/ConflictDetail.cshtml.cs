using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class ConflictDetailModel(AppDbContext db, ConflictService service, AttachmentStore store, CurrentUser user, TimeProvider clock) : PageModel
{
    public ConflictDetail Detail { get; private set; } = null!;

    /// <summary>The actions this user may take now (what the workflow allows and the rules let them do).</summary>
    public List<ConflictAction> Actions { get; private set; } = [];

    public bool CanNote { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostTransitionAsync(long id, string? action, string? note, DateOnly? deadline, CancellationToken ct)
    {
        var result = await service.TransitionAsync(id, new ConflictTransitionInput(action, note, deadline), ct);
        return Outcome(id, result.TryGetError(out var error) ? error : null, EnumLabels.TryParse<ConflictAction>(action, out var a) ? $"已{a.Label()}。" : "");
    }

    public async Task<IActionResult> OnPostNoteAsync(long id, string? text, List<IFormFile>? files, CancellationToken ct)
    {
        if (!await db.Set<Conflict>().AnyAsync(c => c.Id == id, ct))
        {
            return NotFound();
        }

        var ids = new List<long>();
        foreach (var file in files ?? [])
        {
            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, file.FileName, null, user.Id!.Value, ct);
            if (saved.TryGetError(out var uploadError))
            {
                return Outcome(id, uploadError, "");
            }

            ids.Add(saved.Value.Id);
        }

        var result = await service.AddNoteAsync(id, new ConflictNoteInput(text, ids), ct);
        return Outcome(id, result.TryGetError(out var error) ? error : null, "进展已记录。");
    }

    private IActionResult Outcome(long id, Error? error, string message) => this.Outcome(error, message, $"/stability/conflicts/{id}", StabilityAccess.CanKeepLedger(user));

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        var detail = await StabilityViews.ConflictAsync(db, id, today, ct);
        if (detail is null)
        {
            return false;
        }

        Detail = detail;
        var conflict = await db.Set<Conflict>().AsNoTracking().SingleAsync(c => c.Id == id, ct);
        var keeps = StabilityAccess.CanKeepLedger(user) || user.Id == conflict.LeaderUserId;
        CanNote = keeps && conflict.IsOpen && !user.IsReadOnly;
        if (keeps && !user.IsReadOnly)
        {
            foreach (var action in Conflict.Transitions.ActionsFrom(conflict.State))
            {
                var allowed = action switch
                {
                    ConflictAction.Close => conflict.CanDecide(user) && user.Id != conflict.ClaimedById,
                    ConflictAction.Reject => conflict.CanDecide(user),
                    _ => true,
                };
                if (allowed)
                {
                    Actions.Add(action);
                }
            }
        }

        return true;
    }
}
