using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Stability.Pages;

/// <summary>One assessment: <c>/stability/assessments/new?mineId=</c> to draft, <c>/stability/assessments/{id}</c> to view, edit, submit, approve.</summary>
public sealed class AssessmentModel(AppDbContext db, AssessmentService service, CurrentUser user) : PageModel
{
    public bool IsNew { get; private set; }

    public long MineId { get; private set; }

    public string MineName { get; private set; } = "";

    public AssessmentDetail? Detail { get; private set; }

    public List<ScoreView> Scores { get; private set; } = [];

    public string? Notes { get; private set; }

    public bool Editable { get; private set; }

    public bool CanApprove { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, long? mineId, CancellationToken ct) => await LoadAsync(id, mineId, null, ct) ?? Page();

    public async Task<IActionResult> OnPostSaveAsync(string id, long? mineId, Dictionary<string, double>? scores, Dictionary<string, string>? reasons, string? notes, CancellationToken ct)
    {
        ModelState.Clear();
        var input = new AssessmentInput(mineId, scores ?? [], reasons, notes);
        var result = id == "new" ? await service.CreateAsync(input, ct)
            : long.TryParse(id, out var existing) ? await service.UpdateAsync(existing, input, ct) : new NotFoundError();
        if (result.TryGetError(out var error))
        {
            if (error is NotFoundError)
            {
                return NotFound();
            }

            if (error is ForbiddenError)
            {
                return Forbid();
            }

            error.AddTo(ModelState, "");

            return await LoadAsync(id, mineId, (scores, reasons, notes), ct) ?? Page();
        }

        TempData["Message"] = $"评估已保存：{result.Value.Grade.Label()}风险，得分 {result.Value.Score:0.#}。";
        return Redirect($"/stability/assessments/{result.Value.Id}");
    }

    public async Task<IActionResult> OnPostActAsync(long id, AssessmentAction action, string? reason, CancellationToken ct)
    {
        var result = await service.ActAsync(id, action, reason, ct);
        if (result.TryGetError(out var error))
        {
            switch (error)
            {
                case NotFoundError:
                    return NotFound();
                case ForbiddenError when !StabilityAccess.CanAssess(user):
                    return Forbid();
            }

            TempData["Error"] = error.Message;
        }
        else
        {
            TempData["Message"] = $"评估已{action.Label()}。";
        }

        return Redirect($"/stability/assessments/{id}");
    }

    private async Task<IActionResult?> LoadAsync(string id, long? mineId, (Dictionary<string, double>? Scores, Dictionary<string, string>? Reasons, string? Notes)? posted, CancellationToken ct)
    {
        IsNew = id == "new";
        AssessmentTemplate template;
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
            template = await service.CurrentTemplateAsync(ct);
            Editable = true;
        }
        else
        {
            if (!long.TryParse(id, out var assessmentId) || await StabilityViews.AssessmentAsync(db, assessmentId, ct) is not { } detail)
            {
                return NotFound();
            }

            Detail = detail;
            (MineId, MineName) = (detail.Item.MineId, detail.Item.MineName);
            template = await service.TemplateAsync(await db.Set<Assessment>().Where(a => a.Id == assessmentId).Select(a => a.TemplateId).SingleAsync(ct), ct);
            var state = detail.Item.State;
            Editable = state is AssessmentState.Draft or AssessmentState.Returned && detail.AssessorId == user.Id;
            CanApprove = state == AssessmentState.Submitted && detail.AssessorId != user.Id && !user.IsReadOnly && StabilityAccess.CanAssess(user);
            Notes = detail.Notes;
        }

        var evidence = await service.EvidenceAsync(MineId, ct);
        var saved = Detail?.Scores.ToDictionary(s => s.Key);
        Scores = template.Dimensions.OrderBy(d => d.Seq).Select(d =>
        {
            evidence.TryGetValue(d.Key, out var e);
            var score = posted?.Scores?.TryGetValue(d.Key, out var p) == true ? p : saved?.GetValueOrDefault(d.Key)?.Score;
            var reason = posted?.Reasons?.GetValueOrDefault(d.Key) ?? saved?.GetValueOrDefault(d.Key)?.Reason;
            return new ScoreView(d.Key, d.Name, d.Weight, score, e?.SuggestedScore ?? saved?.GetValueOrDefault(d.Key)?.SuggestedScore,
                e?.Text ?? saved?.GetValueOrDefault(d.Key)?.Evidence, reason, d.Guidance0, d.Guidance5, d.Guidance10);
        }).ToList();
        Notes = posted?.Notes ?? Notes;
        return null;
    }
}
