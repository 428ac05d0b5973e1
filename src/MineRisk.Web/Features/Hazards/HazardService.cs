using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Hazards;

public sealed record HazardInput(long? MineId, string? Location, string? Description, HazardSource? Source, string? ProfessionalCategory,
    DateTime? FoundAt, string? FoundBy, DateOnly? Deadline, string? Measures, double? Funds, string? ResponsibleUnit, string? ResponsiblePerson,
    long? RectifierUserId, HazardLevel? Level = null, long? CriterionId = null, string? StoppedArea = null, IReadOnlyList<long>? PhotoIds = null);

/// <summary>治理方案: the six elements of DOMAIN §3.</summary>
public sealed record PlanInput(string? Goal, string? Methods, string? Resources, string? People, DateOnly? DueOn, string? Safety);

public sealed record HazardTransitionInput(string? Action, string? Note = null, HazardLevel? Level = null, long? CriterionId = null, string? StoppedArea = null,
    PlanInput? Plan = null, bool? Passed = null, DateOnly? Deadline = null, bool? Approve = null, string? DocumentNumber = null,
    IReadOnlyList<long>? AttachmentIds = null);

/// <summary>A user who may be named to fix a hazard of a mine.</summary>
public sealed record RectifierOption(long Id, string Name, string Organisation);

/// <summary>
/// The hazard ledger's writes: registration, the closed loop (定级, 治理方案, 整改, 验收, 销号, 重新打开), extensions,
/// 挂牌督办 and 销牌, photos. Every step is one timeline entry and one audit entry; the deadline engine watches the 整改期限.
/// </summary>
public sealed class HazardService(AppDbContext db, CurrentUser user, TimeProvider clock, DeadlineService deadlines, Notifier notifier,
    AttachmentStore attachments, IOptions<HazardOptions> options)
{
    public const string Subject = "hazard";

    public const string ListingSubject = "hazard-listing";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    private DateOnly Today => ChinaTime.DateOf(Now);

    /// <summary>The mine's own enterprise users, then the regulators whose jurisdiction covers it.</summary>
    public async Task<List<RectifierOption>> RectifiersForAsync(Mine mine, CancellationToken ct)
    {
        var regulatorRoles = await db.Roles.Where(r => Roles.Regulators.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        var enterpriseRole = await db.Roles.Where(r => r.Name == Roles.Enterprise).Select(r => r.Id).SingleAsync(ct);
        // Organisations are scoped to the caller; an enterprise user may name the county's inspector and the other way round.
        var candidates = await db.Users.IgnoreQueryFilters().Where(u => u.Organisation != null)
            .Select(u => new
            {
                u.Id, u.DisplayName, Org = u.Organisation!.Name, Region = u.Organisation.RegionCode, u.Organisation.EnterpriseId,
                Regulator = db.UserRoles.Any(ur => ur.UserId == u.Id && regulatorRoles.Contains(ur.RoleId)),
                Enterprise = db.UserRoles.Any(ur => ur.UserId == u.Id && ur.RoleId == enterpriseRole),
            })
            .Where(u => u.Regulator || (u.Enterprise && u.EnterpriseId != null && u.EnterpriseId == mine.EnterpriseId))
            .ToListAsync(ct);
        return candidates.Where(c => c.Enterprise || Platform.Regions.RegionCodes.IsWithin(mine.RegionCode, c.Region))
            .OrderByDescending(c => c.Enterprise).ThenByDescending(c => c.Region.Length).ThenBy(c => c.DisplayName)
            .Select(c => new RectifierOption(c.Id, c.DisplayName, c.Org)).ToList();
    }

    public async Task<Result<Hazard>> CreateAsync(HazardInput input, CancellationToken ct)
    {
        if (!HazardAccess.CanWork(user))
        {
            return new ForbiddenError("只有监管部门和煤矿企业可以登记隐患。");
        }

        var mine = input.MineId is { } mineId ? await db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == mineId, ct) : null;
        if (input.MineId is not null && mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors[field] = [message];
        if (mine is null)
        {
            Error("mineId", "请选择煤矿。");
        }

        var location = input.Location?.Trim();
        if (string.IsNullOrEmpty(location) || location.Length > 200)
        {
            Error("location", "请填写隐患地点（不超过 200 字）。");
        }

        var description = input.Description?.Trim();
        if (string.IsNullOrEmpty(description) || description.Length > 2000)
        {
            Error("description", "请填写隐患描述（不超过 2000 字）。");
        }

        var enterprise = !HazardAccess.IsRegulator(user);
        var source = input.Source ?? (enterprise ? HazardSource.SelfCheck : HazardSource.Inspection);
        if (!Enum.IsDefined(source))
        {
            Error("source", "隐患来源无效。");
        }
        else if (enterprise && source != HazardSource.SelfCheck)
        {
            Error("source", "企业登记的隐患来源只能是「企业自查」。");
        }

        var category = input.ProfessionalCategory?.Trim();
        if (string.IsNullOrEmpty(category) || !options.Value.Categories.Contains(category))
        {
            Error("professionalCategory", $"请选择专业类别（{string.Join("、", options.Value.Categories)}）。");
        }

        var foundAt = input.FoundAt is { } at ? (at.Kind == DateTimeKind.Unspecified ? ChinaTime.ToUtc(at) : at.ToUniversalTime()) : Now;
        if (foundAt > Now.AddMinutes(5))
        {
            Error("foundAt", "发现时间不能晚于现在。");
        }

        if (input.Deadline is not { } due)
        {
            Error("deadline", "请填写整改期限。");
        }
        else if (due < Today)
        {
            Error("deadline", $"整改期限 {due:yyyy-MM-dd} 已经过去，请填写今天或以后的日期。");
        }

        if (input.Funds is < 0 || (input.Funds is { } f && !double.IsFinite(f)))
        {
            Error("funds", "整改资金不能为负数。");
        }

        RectifierOption? rectifier = null;
        if (mine is not null)
        {
            var rectifierId = input.RectifierUserId ?? user.Id!.Value;
            rectifier = (await RectifiersForAsync(mine, ct)).FirstOrDefault(r => r.Id == rectifierId);
            if (rectifier is null)
            {
                Error("rectifierUserId", input.RectifierUserId is null
                    ? "请指定整改人（该煤矿的企业人员或管辖该煤矿的监管人员）。"
                    : "整改人须是该煤矿的企业人员或管辖该煤矿的监管人员。");
            }
        }

        HazardCriterion? criterion = null;
        if (input.Level is { } level)
        {
            (criterion, var gradeErrors) = await CheckGradeAsync(level, input.CriterionId, input.StoppedArea, ct);
            foreach (var (k, v) in gradeErrors)
            {
                errors[k] = v;
            }
        }

        var photos = await OwnUnattachedAsync(input.PhotoIds, ct);
        if (photos.TryGetError(out var photoError))
        {
            errors["photoIds"] = [photoError.Message];
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var hazard = new Hazard
        {
            Number = await Numbering.NextAsync(db, "YH", mine!.RegionCode, Now, ct),
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            Location = location!,
            Description = description!,
            Source = source,
            ProfessionalCategory = category!,
            FoundAt = foundAt,
            FoundById = user.Id,
            FoundByName = Clean(input.FoundBy) ?? user.DisplayName,
            FoundWhileProducing = mine.Status == MineStatus.Producing,
            Measures = Clean(input.Measures),
            Funds = input.Funds,
            ResponsibleUnit = Clean(input.ResponsibleUnit),
            ResponsiblePerson = Clean(input.ResponsiblePerson),
            RectifierUserId = rectifier!.Id,
            RectifierName = rectifier.Name,
            DueOn = input.Deadline!.Value,
            RegisteredById = user.Id!.Value,
            RegisteredByName = user.DisplayName,
            RegisteredAt = Now,
            UpdatedAt = Now,
            Version = 1,
        };
        db.Add(hazard);
        await db.SaveChangesAsync(ct);
        foreach (var photo in photos.Value)
        {
            photo.AttachTo(Subject, hazard.Id, hazard, PhotoStage.Before.Label());
        }

        Timeline(hazard, "登记", null, $"{source.Label()}：{hazard.Description}", Ids(photos.Value));
        var deadline = OpenDeadline(hazard, mine.Name);
        await db.SaveChangesAsync(ct);
        hazard.DeadlineId = deadline.Id;
        if (input.Level is { } graded)
        {
            await ApplyGradeAsync(hazard, graded, criterion, input.StoppedArea, null, mine.Name, ct);
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return hazard;
    }

    public async Task<Result<Hazard>> ActAsync(long id, HazardTransitionInput input, CancellationToken ct)
    {
        var hazard = await db.Set<Hazard>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (hazard is null)
        {
            return new NotFoundError("未找到该隐患，或它不在您的管辖范围内。");
        }

        if (!HazardAccess.CanWork(user))
        {
            return new ForbiddenError("您的角色只能查看隐患，不能办理。");
        }

        if (!EnumLabels.TryParse<HazardAction>(input.Action, out var action))
        {
            return ValidationError.For("action", "操作只能是 grade（定级）、plan（治理方案）、start（开始整改）、submit（提交验收）、verify（验收）、"
                                                 + "reopen（重新打开）、extend（延期）、list（挂牌督办）或 delist（销牌）。");
        }

        var mineName = await db.Set<Mine>().Where(m => m.Id == hazard.MineId).Select(m => m.Name).SingleAsync(ct);
        var note = Clean(input.Note);
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var result = action switch
        {
            HazardAction.Grade => await GradeAsync(hazard, input, note, mineName, ct),
            HazardAction.Plan => await PlanAsync(hazard, input.Plan, note, mineName, ct),
            HazardAction.Start => Start(hazard, note),
            HazardAction.Submit => await SubmitAsync(hazard, input, note, mineName, ct),
            HazardAction.Verify => await VerifyAsync(hazard, input.Passed, note, mineName, ct),
            HazardAction.Reopen => await ReopenAsync(hazard, input.Deadline, note, mineName, ct),
            HazardAction.Extend => await ExtendAsync(hazard, input, note, mineName, ct),
            HazardAction.List => List(hazard, input, note, mineName),
            HazardAction.Delist => await DelistAsync(hazard, note, ct),
            _ => Result.Ok,
        };
        if (result.TryGetError(out var error))
        {
            return error;
        }

        hazard.UpdatedAt = Now;
        hazard.Version++;
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ConflictError("该隐患刚刚被他人办理，请刷新后重试。");
        }

        return hazard;
    }

    /// <summary>A photo of the hazard before or after the fix (images only, size limit of the attachment store).</summary>
    public async Task<Result<Attachment>> AddPhotoAsync(long id, Stream content, string fileName, PhotoStage stage, CancellationToken ct)
    {
        var hazard = await db.Set<Hazard>().SingleOrDefaultAsync(h => h.Id == id, ct);
        if (hazard is null)
        {
            return new NotFoundError("未找到该隐患，或它不在您的管辖范围内。");
        }

        if (!HazardAccess.CanWork(user))
        {
            return new ForbiddenError("您的角色只能查看隐患，不能上传照片。");
        }

        if (!Enum.IsDefined(stage))
        {
            return ValidationError.For("stage", "照片阶段只能是 before（整改前）或 after（整改后）。");
        }

        var saved = await attachments.SaveAsync(content, fileName, AttachmentKind.Image, user.Id!.Value, ct);
        if (saved.TryGetError(out var error))
        {
            return error;
        }

        saved.Value.AttachTo(Subject, hazard.Id, hazard, stage.Label());
        Timeline(hazard, "上传照片", null, $"{stage.Label()}：{saved.Value.FileName}", saved.Value.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        hazard.UpdatedAt = Now;
        await db.SaveChangesAsync(ct);
        return saved.Value;
    }

    // ---- the steps ------------------------------------------------------------------------------------------

    private async Task<(HazardCriterion? Criterion, Dictionary<string, string[]> Errors)> CheckGradeAsync(HazardLevel level, long? criterionId, string? stoppedArea,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!Enum.IsDefined(level))
        {
            errors["level"] = ["隐患等级只能是 general（一般隐患）或 major（重大隐患）。"];
            return (null, errors);
        }

        if (level == HazardLevel.General)
        {
            return (null, errors);
        }

        HazardCriterion? criterion = null;
        if (criterionId is null)
        {
            errors["criterionId"] = ["重大隐患须选择判定依据（《煤矿重大事故隐患判定标准》的具体条款）。"];
        }
        else
        {
            criterion = await db.Set<HazardCriterion>().Include(c => c.Category).SingleOrDefaultAsync(c => c.Id == criterionId, ct);
            var current = await db.Set<HazardStandard>().Where(s => s.Current).Select(s => (long?)s.Id).FirstOrDefaultAsync(ct);
            if (criterion is null || criterion.Category!.StandardId != current)
            {
                errors["criterionId"] = ["判定依据须是现行《煤矿重大事故隐患判定标准》中的条款。"];
                criterion = null;
            }
        }

        if (string.IsNullOrWhiteSpace(stoppedArea))
        {
            errors["stoppedArea"] = ["重大隐患须立即停止相关区域作业（条例第三十六条），请填写停产范围。"];
        }

        return (criterion, errors);
    }

    private async Task<Result> GradeAsync(Hazard hazard, HazardTransitionInput input, string? note, string mineName, CancellationToken ct)
    {
        var next = Hazard.Transitions.Next(hazard.State, HazardAction.Grade);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        if (input.Level is not { } level)
        {
            return ValidationError.For("level", "请选择隐患等级：general（一般隐患）或 major（重大隐患）。");
        }

        var (criterion, errors) = await CheckGradeAsync(level, input.CriterionId, input.StoppedArea, ct);
        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        await ApplyGradeAsync(hazard, level, criterion, input.StoppedArea, note, mineName, ct);
        return Result.Ok;
    }

    private async Task ApplyGradeAsync(Hazard hazard, HazardLevel level, HazardCriterion? criterion, string? stoppedArea, string? note, string mineName, CancellationToken ct)
    {
        var from = hazard.State;
        hazard.State = HazardState.Graded;
        hazard.Level = level;
        if (level == HazardLevel.Major)
        {
            var standard = await db.Set<HazardStandard>().Where(s => s.Id == criterion!.Category!.StandardId).Select(s => s.Code).SingleAsync(ct);
            hazard.CriterionId = criterion!.Id;
            hazard.Basis = HazardCriterion.Cite(standard, criterion.Category!.Article, criterion.No);
            hazard.StoppedArea = stoppedArea!.Trim();
            // 安全生产法 第四十一条: reported to the supervising department, which is told at once.
            var county = hazard.RegionCode[..6];
            var org = await MineWriter.RegulatorOrganisationAsync(db, hazard.RegionCode, ct);
            hazard.ReportedTo = org is { } orgId
                ? await db.Organisations.IgnoreQueryFilters().Where(o => o.Id == orgId).Select(o => o.Name).SingleAsync(ct)
                : county;
            hazard.ReportedAt = Now;
            var regulators = await notifier.RegulatorsAtAsync(county, ct);
            notifier.Notify(regulators.Where(r => r != user.Id), NotificationKind.Assigned, $"重大隐患报告：{hazard.Number} {mineName}",
                $"{hazard.Basis}；{hazard.Description}；停产范围：{hazard.StoppedArea}", Link(hazard));
        }
        else
        {
            hazard.CriterionId = null;
            hazard.Basis = null;
            hazard.StoppedArea = null;
        }

        Timeline(hazard, "定级", from, level == HazardLevel.Major ? $"重大隐患，判定依据 {hazard.Basis}；停产范围：{hazard.StoppedArea}" + (note is null ? "" : $"；{note}") : note ?? "一般隐患");
    }

    private async Task<Result> PlanAsync(Hazard hazard, PlanInput? plan, string? note, string mineName, CancellationToken ct)
    {
        if (hazard.Level != HazardLevel.Major)
        {
            return new ConflictError("只有重大隐患需要治理方案。");
        }

        if (hazard.State is not (HazardState.Graded or HazardState.Rectifying))
        {
            return new ConflictError($"当前状态为「{hazard.State.Label()}」，不能修改治理方案。");
        }

        var errors = new Dictionary<string, string[]>();
        void Need(string? text, string field, string name)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                errors[$"plan.{field}"] = [$"治理方案缺少「{name}」。"];
            }
        }

        Need(plan?.Goal, "goal", "目标任务");
        Need(plan?.Methods, "methods", "方法措施");
        Need(plan?.Resources, "resources", "经费物资");
        Need(plan?.People, "people", "机构人员");
        if (plan?.DueOn is not { } due)
        {
            errors["plan.dueOn"] = ["治理方案缺少「时限要求」（完成日期）。"];
        }
        else if (due < Today)
        {
            errors["plan.dueOn"] = [$"时限要求 {due:yyyy-MM-dd} 已经过去。"];
        }

        Need(plan?.Safety, "safety", "安全措施和应急预案");
        if (errors.Count > 0)
        {
            return new ValidationError($"重大隐患治理方案须包含全部六项要素：{string.Join("", errors.Values.SelectMany(v => v))}", errors);
        }

        hazard.PlanGoal = plan!.Goal!.Trim();
        hazard.PlanMethods = plan.Methods!.Trim();
        hazard.PlanResources = plan.Resources!.Trim();
        hazard.PlanPeople = plan.People!.Trim();
        hazard.PlanDueOn = plan.DueOn;
        hazard.PlanSafety = plan.Safety!.Trim();
        hazard.PlannedAt = Now;
        if (hazard.DueOn != plan.DueOn!.Value)
        {
            // The deadline of a major hazard comes from its plan.
            hazard.DueOn = plan.DueOn.Value;
            await ReplaceDeadlineAsync(hazard, mineName, ct);
        }

        Timeline(hazard, "治理方案", null, $"时限 {hazard.PlanDueOn:yyyy-MM-dd}；目标任务：{hazard.PlanGoal}" + (note is null ? "" : $"；{note}"));
        return Result.Ok;
    }

    private Result Start(Hazard hazard, string? note)
    {
        var next = Hazard.Transitions.Next(hazard.State, HazardAction.Start);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        if (hazard.Level == HazardLevel.Major && !hazard.PlanComplete)
        {
            return ValidationError.For("plan", "重大隐患须先制定包含六项要素的治理方案（目标任务、方法措施、经费物资、机构人员、时限要求、安全措施和应急预案），才能开始整改。");
        }

        var from = hazard.State;
        hazard.State = next.Value;
        Timeline(hazard, "开始整改", from, note);
        return Result.Ok;
    }

    private async Task<Result> SubmitAsync(Hazard hazard, HazardTransitionInput input, string? note, string mineName, CancellationToken ct)
    {
        var next = Hazard.Transitions.Next(hazard.State, HazardAction.Submit);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        if (note is null)
        {
            return ValidationError.For("note", "提交验收须说明整改情况。");
        }

        var photos = await OwnUnattachedAsync(input.AttachmentIds, ct);
        if (photos.TryGetError(out var photoError))
        {
            return photoError;
        }

        foreach (var photo in photos.Value)
        {
            photo.AttachTo(Subject, hazard.Id, hazard, PhotoStage.After.Label());
        }

        var from = hazard.State;
        hazard.State = next.Value;
        hazard.RectifiedById = user.Id;
        hazard.RectifiedByName = user.DisplayName;
        hazard.SubmittedAt = Now;
        hazard.RectificationNote = note;
        Timeline(hazard, "提交验收", from, note, Ids(photos.Value));

        // Who verifies: the county for a major hazard or one a regulator registered; the enterprise's other people otherwise.
        var county = await notifier.RegulatorsAtAsync(hazard.RegionCode[..6], ct);
        var told = hazard.Level == HazardLevel.Major || hazard.Source != HazardSource.SelfCheck ? county : [hazard.RegisteredById];
        notifier.Notify(told.Where(u => u != user.Id), NotificationKind.Assigned, $"待验收：{hazard.Number} {mineName}", note, Link(hazard));
        return Result.Ok;
    }

    private async Task<Result> VerifyAsync(Hazard hazard, bool? passed, string? note, string mineName, CancellationToken ct)
    {
        var next = Hazard.Transitions.Next(hazard.State, HazardAction.Verify);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        if (passed is null)
        {
            return ValidationError.For("passed", "请给出验收结论：passed 为 true（通过）或 false（不通过）。");
        }

        if (note is null)
        {
            return ValidationError.For("note", "请填写验收意见。");
        }

        if (user.Id == hazard.RectifiedById || user.Id == hazard.RectifierUserId)
        {
            return new ForbiddenError("验收人不能是整改人：请由未参与整改的人员验收。");
        }

        if (hazard.Level == HazardLevel.Major && !HazardAccess.IsRegulator(user))
        {
            return new ForbiddenError("重大隐患须由监管部门验收后才能销号。");
        }

        var from = hazard.State;
        hazard.VerifierId = user.Id;
        hazard.VerifierName = user.DisplayName;
        hazard.VerifiedAt = Now;
        hazard.VerificationOpinion = note;
        if (passed.Value)
        {
            hazard.State = next.Value;
            hazard.ClosedAt = Now;
            await CompleteDeadlinesAsync(hazard, ct);
            Timeline(hazard, "验收通过，销号", from, note);
        }
        else
        {
            hazard.State = HazardState.Rectifying;
            Timeline(hazard, "验收不通过", from, note);
            notifier.Notify([hazard.RectifierUserId], NotificationKind.Assigned, $"验收不通过：{hazard.Number} {mineName}", note, Link(hazard));
        }

        return Result.Ok;
    }

    private async Task<Result> ReopenAsync(Hazard hazard, DateOnly? deadline, string? note, string mineName, CancellationToken ct)
    {
        var next = Hazard.Transitions.Next(hazard.State, HazardAction.Reopen);
        if (next.TryGetError(out var error))
        {
            return error;
        }

        if (note is null)
        {
            return ValidationError.For("note", "重新打开须说明原因（如回马枪复查发现未整改到位）。");
        }

        if (deadline is not { } due || due < Today)
        {
            return ValidationError.For("deadline", "请填写新的整改期限（今天或以后）。");
        }

        var from = hazard.State;
        hazard.State = next.Value;
        hazard.Reopens++;
        hazard.ClosedAt = null;
        hazard.VerifiedAt = null;
        hazard.DueOn = due;
        var reopened = OpenDeadline(hazard, mineName);
        await db.SaveChangesAsync(ct);
        hazard.DeadlineId = reopened.Id;
        Timeline(hazard, "重新打开", from, $"{note}；新的整改期限 {due:yyyy-MM-dd}");
        return Result.Ok;
    }

    private async Task<Result> ExtendAsync(Hazard hazard, HazardTransitionInput input, string? note, string mineName, CancellationToken ct)
    {
        if (hazard.State is not (HazardState.Registered or HazardState.Graded or HazardState.Rectifying))
        {
            return new ConflictError($"当前状态为「{hazard.State.Label()}」，不能延期。");
        }

        if (input.Approve is null)
        {
            // A request: the new date and the reason; a regulator other than the requester decides.
            if (hazard.ExtensionDueOn is not null)
            {
                return new ConflictError($"已有一项延期申请（至 {hazard.ExtensionDueOn:yyyy-MM-dd}）等待审批。");
            }

            if (input.Deadline is not { } wanted || wanted <= hazard.DueOn)
            {
                return ValidationError.For("deadline", $"延期后的期限须晚于现在的整改期限 {hazard.DueOn:yyyy-MM-dd}。");
            }

            if (note is null)
            {
                return ValidationError.For("note", "申请延期须说明理由。");
            }

            hazard.ExtensionDueOn = wanted;
            hazard.ExtensionReason = note;
            hazard.ExtensionRequestedById = user.Id;
            hazard.ExtensionRequestedByName = user.DisplayName;
            Timeline(hazard, "申请延期", null, $"申请延期至 {wanted:yyyy-MM-dd}：{note}");
            var county = await notifier.RegulatorsAtAsync(hazard.RegionCode[..6], ct);
            notifier.Notify(county.Where(u => u != user.Id), NotificationKind.Assigned, $"延期申请：{hazard.Number} {mineName}",
                $"{user.DisplayName}申请延期至 {wanted:yyyy-MM-dd}：{note}", Link(hazard));
            return Result.Ok;
        }

        if (hazard.ExtensionDueOn is not { } requested)
        {
            return new ConflictError("没有待审批的延期申请。");
        }

        if (!HazardAccess.IsRegulator(user))
        {
            return new ForbiddenError("延期申请须由监管部门审批。");
        }

        if (user.Id == hazard.ExtensionRequestedById)
        {
            return new ForbiddenError("延期须由申请人以外的人批准。");
        }

        if (input.Approve.Value)
        {
            if (hazard.DeadlineId is { } deadlineId && await db.Deadlines.SingleOrDefaultAsync(d => d.Id == deadlineId, ct) is { CompletedAt: null } open)
            {
                var extended = open.Extend(DeadlineService.EndOf(requested), hazard.ExtensionReason!, hazard.ExtensionRequestedById!.Value, user.Id!.Value, Now,
                    deadlines.Policy);
                if (extended.TryGetError(out var error))
                {
                    return error;
                }
            }

            hazard.DueOn = requested;
            hazard.Extensions++;
            Timeline(hazard, "批准延期", null, $"整改期限延至 {requested:yyyy-MM-dd}" + (note is null ? "" : $"；{note}"));
        }
        else
        {
            if (note is null)
            {
                return ValidationError.For("note", "驳回延期申请须说明理由。");
            }

            Timeline(hazard, "驳回延期", null, note);
        }

        notifier.Notify([hazard.ExtensionRequestedById!.Value], NotificationKind.Assigned,
            $"延期申请{(input.Approve.Value ? "已批准" : "被驳回")}：{hazard.Number} {mineName}", note, Link(hazard));
        hazard.ExtensionDueOn = null;
        hazard.ExtensionReason = null;
        hazard.ExtensionRequestedById = null;
        hazard.ExtensionRequestedByName = null;
        return Result.Ok;
    }

    private Result List(Hazard hazard, HazardTransitionInput input, string? note, string mineName)
    {
        if (hazard.Level != HazardLevel.Major)
        {
            return new ConflictError("只有重大隐患可以挂牌督办。");
        }

        if (!hazard.IsOpen)
        {
            return new ConflictError("该隐患已销号，不能再挂牌督办。");
        }

        if (hazard.ListedAt is not null)
        {
            return new ConflictError($"该隐患已由{hazard.ListIssuer}挂牌督办（{hazard.ListDocumentNumber}）。");
        }

        if (!HazardAccess.IsRegulator(user) || user.RegionCode is null)
        {
            return new ForbiddenError("挂牌督办由监管部门进行。");
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(input.DocumentNumber))
        {
            errors["documentNumber"] = ["请填写督办文号。"];
        }

        if (input.Deadline is not { } due || due < Today)
        {
            errors["deadline"] = ["请填写督办期限（今天或以后）。"];
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        hazard.ListedAt = Now;
        hazard.ListRegionCode = user.RegionCode;
        hazard.ListIssuer = user.OrganisationName;
        hazard.ListDocumentNumber = input.DocumentNumber!.Trim();
        hazard.ListDueOn = input.Deadline;
        deadlines.Open(ListingSubject, hazard.Id, $"{hazard.Number} {mineName}重大隐患挂牌督办（{hazard.ListDocumentNumber}）", hazard,
            DeadlineService.EndOf(input.Deadline!.Value), assigneeUserId: hazard.RectifierUserId, mineId: hazard.MineId, link: Link(hazard));
        Timeline(hazard, "挂牌督办", null, $"{hazard.ListIssuer}挂牌督办，文号 {hazard.ListDocumentNumber}，督办期限 {hazard.ListDueOn:yyyy-MM-dd}" + (note is null ? "" : $"；{note}"));
        return Result.Ok;
    }

    private async Task<Result> DelistAsync(Hazard hazard, string? note, CancellationToken ct)
    {
        if (!hazard.IsListed)
        {
            return new ConflictError("该隐患没有处于挂牌督办中。");
        }

        if (hazard.State != HazardState.Closed)
        {
            return new ConflictError($"当前状态为「{hazard.State.Label()}」：须验收通过、销号后才能销牌。");
        }

        if (!user.IsInRole(Roles.Admin) && !(HazardAccess.IsRegulator(user) && user.RegionCode == hazard.ListRegionCode))
        {
            return new ForbiddenError($"只有挂牌单位（{hazard.ListIssuer}）可以销牌。");
        }

        if (note is null)
        {
            return ValidationError.For("note", "销牌须填写意见。");
        }

        hazard.DelistedAt = Now;
        hazard.DelistedByName = user.DisplayName;
        await CompleteDeadlinesAsync(hazard, ct);
        Timeline(hazard, "销牌", null, note);
        return Result.Ok;
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private Deadline OpenDeadline(Hazard hazard, string mineName) =>
        deadlines.Open(Subject, hazard.Id, $"{hazard.Number} {mineName}隐患整改", hazard, DeadlineService.EndOf(hazard.DueOn),
            assigneeUserId: hazard.RectifierUserId, mineId: hazard.MineId, link: Link(hazard));

    /// <summary>A new due date from the plan: the old deadline is done, a new one starts.</summary>
    private async Task ReplaceDeadlineAsync(Hazard hazard, string mineName, CancellationToken ct)
    {
        if (hazard.DeadlineId is { } id && await db.Deadlines.SingleOrDefaultAsync(d => d.Id == id, ct) is { CompletedAt: null } old)
        {
            old.Complete(Now);
        }

        var deadline = OpenDeadline(hazard, mineName);
        await db.SaveChangesAsync(ct);
        hazard.DeadlineId = deadline.Id;
    }

    private async Task CompleteDeadlinesAsync(Hazard hazard, CancellationToken ct)
    {
        var open = await db.Deadlines.Where(d => (d.SubjectType == Subject || d.SubjectType == ListingSubject) && d.SubjectId == hazard.Id && d.CompletedAt == null)
            .ToListAsync(ct);
        foreach (var deadline in open)
        {
            deadline.Complete(Now);
        }
    }

    private async Task<Result<List<Attachment>>> OwnUnattachedAsync(IReadOnlyList<long>? ids, CancellationToken ct)
    {
        var wanted = ids ?? [];
        var found = await db.Attachments.Where(a => wanted.Contains(a.Id) && a.UploadedById == user.Id && a.OwnerType == null).ToListAsync(ct);
        return found.Count == wanted.Distinct().Count() ? found : ValidationError.For("attachmentIds", "附件不存在、不是您上传的，或已用于其他事项。");
    }

    private static string? Ids(List<Attachment> list) => list.Count == 0 ? null : string.Join(",", list.Select(a => a.Id));

    public static string Link(Hazard hazard) => $"/hazards/{hazard.Id}";

    private void Timeline(Hazard h, string action, HazardState? from, string? note, string? attachmentIds = null) => db.Timeline.Add(new TimelineEntry
    {
        SubjectType = Subject,
        SubjectId = h.Id,
        RegionCode = h.RegionCode,
        EnterpriseId = h.EnterpriseId,
        Action = action,
        FromState = from?.Label(),
        ToState = h.State.Label(),
        ActorId = user.Id,
        ActorName = user.DisplayName,
        At = Now,
        Note = note,
        AttachmentIds = attachmentIds,
    });

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();
}
