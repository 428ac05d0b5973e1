using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Hazards.Pages;

/// <summary>What a hazard's action form posts; one handler builds the transition from it.</summary>
public sealed class HazardActForm
{
    public string? Action { get; set; }

    public string? Note { get; set; }

    public HazardLevel? Level { get; set; }

    public long? CriterionId { get; set; }

    public string? StoppedArea { get; set; }

    public bool? Passed { get; set; }

    public bool? Approve { get; set; }

    public DateOnly? Deadline { get; set; }

    public string? DocumentNumber { get; set; }

    public string? PlanGoal { get; set; }

    public string? PlanMethods { get; set; }

    public string? PlanResources { get; set; }

    public string? PlanPeople { get; set; }

    public DateOnly? PlanDueOn { get; set; }

    public string? PlanSafety { get; set; }
}

/// <summary>
/// A hazard's page: its facts, the major hazard's 判定依据, plan and 督办, photos before and after, the timeline, and a form
/// for each step this user may take now (the service decides; the page only offers what would be accepted).
/// </summary>
public sealed class DetailModel(AppDbContext db, HazardService service, AttachmentStore store, CurrentUser user, TimeProvider clock) : PageModel
{
    public HazardDetail Detail { get; private set; } = null!;

    public Hazard H => Detail.Record;

    public List<CriterionGroup> Criteria { get; private set; } = [];

    public DateOnly Today { get; private set; }

    public bool CanWork { get; private set; }

    public bool IsRegulator => HazardAccess.IsRegulator(user);

    public bool CanGrade => CanWork && H.State == HazardState.Registered;

    public bool NeedsPlan => H.Level == HazardLevel.Major && H.PlannedAt is null;

    public bool CanPlan => CanWork && H.Level == HazardLevel.Major && H.State is HazardState.Graded or HazardState.Rectifying;

    public bool CanStart => CanWork && H.State == HazardState.Graded && !NeedsPlan;

    public bool CanSubmit => CanWork && H.State == HazardState.Rectifying;

    /// <summary>验收: not by whoever fixed it; a major hazard only by a regulator.</summary>
    public bool CanVerify => CanWork && H.State == HazardState.AwaitingVerification && user.Id != H.RectifiedById && user.Id != H.RectifierUserId
                             && (H.Level != HazardLevel.Major || IsRegulator);

    public bool CanReopen => CanWork && H.State == HazardState.Closed;

    public bool CanRequestExtension => CanWork && H.IsOpen && H.State != HazardState.AwaitingVerification && H.ExtensionDueOn is null;

    public bool CanDecideExtension => CanWork && IsRegulator && H.ExtensionDueOn is not null && user.Id != H.ExtensionRequestedById;

    public bool CanList => CanWork && IsRegulator && H.Level == HazardLevel.Major && H.IsOpen && H.ListedAt is null;

    public bool CanDelist => CanWork && H.IsListed && H.State == HazardState.Closed
                             && (user.IsInRole(Roles.Admin) || (IsRegulator && user.RegionCode == H.ListRegionCode));

    public bool CanAddPhotos => CanWork && H.IsOpen;

    /// <summary>What the user typed into a form that was refused, shown again so nothing typed is lost.</summary>
    public HazardActForm? Posted { get; private set; }

    public string? Kept(string action, Func<HazardActForm, string?> pick) => Posted?.Action == action ? pick(Posted) : null;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostActAsync(long id, HazardActForm form, List<IFormFile>? files, CancellationToken ct)
    {
        var ids = new List<long>();
        foreach (var file in files ?? [])
        {
            if (!HazardAccess.CanWork(user))
            {
                break;
            }

            await using var stream = file.OpenReadStream();
            var saved = await store.SaveAsync(stream, file.FileName, AttachmentKind.Image, user.Id!.Value, ct);
            if (saved.TryGetError(out var uploadError))
            {
                return Outcome(id, new ValidationError($"{file.FileName}：{uploadError.Message}"), "");
            }

            ids.Add(saved.Value.Id);
        }

        var plan = form.Action == "plan"
            ? new PlanInput(form.PlanGoal, form.PlanMethods, form.PlanResources, form.PlanPeople, form.PlanDueOn, form.PlanSafety)
            : null;
        var input = new HazardTransitionInput(form.Action, form.Note, form.Level, form.CriterionId, form.StoppedArea, plan, form.Passed, form.Deadline,
            form.Approve, form.DocumentNumber, ids);
        var result = await service.ActAsync(id, input, ct);
        if (result.TryGetError(out var refused) && refused is ValidationError or ConflictError && await LoadAsync(id, ct))
        {
            // Refused input: the page again with the message and what was typed, not a redirect that would drop it.
            TempData["Error"] = refused.Message;
            Posted = form;
            return Page();
        }

        var done = EnumLabels.TryParse<HazardAction>(form.Action, out var action) ? action switch
        {
            HazardAction.Verify => form.Passed == true ? "验收通过，已销号。" : "已记录验收不通过，退回整改。",
            HazardAction.Extend => form.Approve is null ? "已提交延期申请。" : form.Approve.Value ? "已批准延期。" : "已驳回延期申请。",
            _ => $"已{action.Label()}。",
        } : "";
        return Outcome(id, result.TryGetError(out var error) ? error : null, done);
    }

    public async Task<IActionResult> OnPostPhotosAsync(long id, string? stage, List<IFormFile>? files, CancellationToken ct)
    {
        if (files is null || files.Count == 0)
        {
            return Outcome(id, new ValidationError("请选择要上传的照片。"), "");
        }

        var photoStage = EnumLabels.TryParse<PhotoStage>(stage, out var s) ? s : PhotoStage.Before;
        foreach (var file in files)
        {
            await using var stream = file.OpenReadStream();
            var saved = await service.AddPhotoAsync(id, stream, file.FileName, photoStage, ct);
            if (saved.TryGetError(out var error))
            {
                return Outcome(id, error is NotFoundError or ForbiddenError ? error : new ValidationError($"{file.FileName}：{error.Message}"), "");
            }
        }

        return Outcome(id, null, $"已上传 {files.Count} 张{photoStage.Label()}照片。");
    }

    private IActionResult Outcome(long id, Error? error, string message) => this.Outcome(error, message, $"/hazards/{id}", HazardAccess.CanWork(user));

    private async Task<bool> LoadAsync(long id, CancellationToken ct)
    {
        Today = ChinaTime.DateOf(clock.GetUtcNow().UtcDateTime);
        if (await HazardViews.DetailAsync(db, id, Today, ct) is not { } detail)
        {
            return false;
        }

        Detail = detail;
        CanWork = HazardAccess.CanWork(user);
        if (CanGrade)
        {
            Criteria = await HazardViews.CriteriaAsync(db, ct);
        }

        return true;
    }
}
