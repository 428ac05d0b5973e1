using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Stability.Pages;

/// <summary>A task force: <c>/stability/task-forces/new?mineId=</c> to create one, <c>/stability/task-forces/{id}</c> with its patrol log.</summary>
public sealed class TaskForceModel(AppDbContext db, AttachmentStore store, CurrentUser user, TimeProvider clock) : PageModel
{
    public bool IsNew { get; private set; }

    public long MineId { get; private set; }

    public string MineName { get; private set; } = "";

    public TaskForce? Force { get; private set; }

    public List<PatrolLog> Patrols { get; private set; } = [];

    public DateOnly Today => DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));

    public bool CanPatrol => StabilityAccess.CanKeepLedger(user) && !user.IsReadOnly;

    public async Task<IActionResult> OnGetAsync(string id, long? mineId, CancellationToken ct) => await LoadAsync(id, mineId, ct) ?? Page();

    public async Task<IActionResult> OnPostCreateAsync(string id, long? mineId, string? name, string? leaderName, string? leaderTitle, string? watchTarget,
        DateOnly? watchUntil, string? watchDuty, string[]? memberNames, string[]? memberOrganisations, string[]? memberRoles, CancellationToken ct)
    {
        var members = (memberNames ?? []).Select((n, i) => new MemberInput(n, memberOrganisations?.ElementAtOrDefault(i), memberRoles?.ElementAtOrDefault(i))).ToList();
        var result = await StabilityApi.CreateTaskForceAsync(db, user, clock, new TaskForceInput(mineId, name, leaderName, leaderTitle, watchTarget, watchUntil, watchDuty, members), ct);
        if (result.TryGetError(out var error))
        {
            switch (error)
            {
                case NotFoundError:
                    return NotFound();
                case ForbiddenError:
                    return Forbid();
            }

            ModelState.Clear();
            error.AddTo(ModelState, "");

            return await LoadAsync("new", mineId, ct) ?? Page();
        }

        TempData["Message"] = "专班已成立。";
        return Redirect($"/stability/task-forces/{result.Value.Id}");
    }

    public async Task<IActionResult> OnPostPatrolAsync(long id, DateOnly? date, string? patroller, string? observation, bool illegalProductionSigns,
        List<IFormFile>? photos, CancellationToken ct)
    {
        if (!await db.Set<TaskForce>().AnyAsync(t => t.Id == id, ct))
        {
            return NotFound();
        }

        var ids = new List<long>();
        foreach (var photo in photos ?? [])
        {
            await using var stream = photo.OpenReadStream();
            var saved = await store.SaveAsync(stream, photo.FileName, AttachmentKind.Image, user.Id!.Value, ct);
            if (saved.TryGetError(out var uploadError))
            {
                TempData["Error"] = uploadError.Message;
                return Redirect($"/stability/task-forces/{id}");
            }

            ids.Add(saved.Value.Id);
        }

        var result = await StabilityApi.AddPatrolAsync(db, user, clock, id, new PatrolInput(date, patroller, observation, illegalProductionSigns, ids), ct);
        if (result.TryGetError(out var error))
        {
            if (error is ForbiddenError)
            {
                return Forbid();
            }

            TempData["Error"] = error.Message;
        }
        else
        {
            TempData["Message"] = "巡查已记录。";
        }

        return Redirect($"/stability/task-forces/{id}");
    }

    private async Task<IActionResult?> LoadAsync(string id, long? mineId, CancellationToken ct)
    {
        IsNew = id == "new";
        if (IsNew)
        {
            if (!StabilityAccess.CanAssess(user))
            {
                return Forbid();
            }

            var mine = mineId is { } m ? await db.Set<Mine>().AsNoTracking().SingleOrDefaultAsync(x => x.Id == m, ct) : null;
            if (mine is null)
            {
                return NotFound();
            }

            (MineId, MineName) = (mine.Id, mine.Name);
            return null;
        }

        if (!long.TryParse(id, out var forceId))
        {
            return NotFound();
        }

        Force = await db.Set<TaskForce>().AsNoTracking().Include(t => t.Members).Include(t => t.Mine).SingleOrDefaultAsync(t => t.Id == forceId, ct);
        if (Force is null)
        {
            return NotFound();
        }

        (MineId, MineName) = (Force.MineId, Force.Mine!.Name);
        Patrols = await db.Set<PatrolLog>().AsNoTracking().Where(p => p.TaskForceId == forceId).OrderByDescending(p => p.Date).ThenByDescending(p => p.Id).Take(100).ToListAsync(ct);
        return null;
    }
}
