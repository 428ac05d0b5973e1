using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Stability;

public sealed record TaskForceInput(long? MineId, string? Name, string? LeaderName, string? LeaderTitle, string? WatchTarget, DateOnly? WatchUntil,
    string? WatchDuty, IReadOnlyList<MemberInput>? Members);

public sealed record MemberInput(string? Name, string? Organisation, string? Role);

public sealed record PatrolInput(DateOnly? Date, string? Patroller, string? Observation, bool? IllegalProductionSigns, IReadOnlyList<long>? AttachmentIds);

public sealed record TenItemInput(bool? Done, string? Note);

public sealed record TemplateInput(string? Name, double? HighThreshold, double? MediumThreshold, string? Note, IReadOnlyList<DimensionInput>? Dimensions,
    IReadOnlyList<VetoInput>? VetoRules);

public sealed record DimensionInput(string? Key, string? Name, double? Weight, string? Guidance0, string? Guidance5, string? Guidance10);

public sealed record VetoInput(string? DimensionKey, double? AtLeastScore, RiskGrade? RaisesTo);

/// <summary>The stability module's API: assessments, the conflict ledger, task forces, summaries.</summary>
public static class StabilityApi
{
    public static void MapStabilityApi(this RouteGroupBuilder api)
    {
        var assessments = api.MapGroup("/assessments").WithTags("维稳");
        assessments.MapGet("/", ListAssessmentsAsync).WithSummary("评估列表（mineId、state、grade、regionCode 筛选）");
        assessments.MapGet("/{id:long}", GetAssessmentAsync).WithSummary("一次评估：各维度评分、依据、审批过程");
        assessments.MapGet("/evidence", EvidenceAsync).WithSummary("某煤矿各维度的台账依据与建议分");
        assessments.MapPost("/", async (AssessmentInput input, AssessmentService service, AppDbContext db, CancellationToken ct) =>
            await Assessment(await service.CreateAsync(input, ct), db, created: true, ct)).WithSummary("起草评估：返回计算出的 score 与 grade");
        assessments.MapPut("/{id:long}", async (long id, AssessmentInput input, AssessmentService service, AppDbContext db, CancellationToken ct) =>
            await Assessment(await service.UpdateAsync(id, input, ct), db, created: false, ct)).WithSummary("修改草稿或被退回评估的评分");
        foreach (var (path, action) in (ReadOnlySpan<(string, AssessmentAction)>)[("submit", AssessmentAction.Submit), ("approve", AssessmentAction.Approve), ("return", AssessmentAction.Return)])
        {
            assessments.MapPost($"/{{id:long}}/{path}", async (long id, AssessmentActionInput? input, AssessmentService service, AppDbContext db, CancellationToken ct) =>
                await Assessment(await service.ActAsync(id, action, input?.Reason, ct), db, created: false, ct)).WithSummary($"{action.Label()}评估");
        }

        api.MapGet("/assessment-templates", TemplatesAsync).WithTags("维稳").WithSummary("评估模板各版本");
        api.MapPost("/assessment-templates", CreateTemplateAsync).WithTags("维稳").RequireAuthorization(PlatformSetup.AdminPolicy).WithSummary("发布新版评估模板（管理员）");

        var stability = api.MapGroup("/stability").WithTags("维稳");
        stability.MapGet("/summary", async (string? regionCode, AppDbContext db, RegionTree regions, CancellationToken ct) => Results.Ok(await StabilityViews.GradesAsync(db, regions, regionCode, ct)))
            .WithSummary("管辖范围内煤矿按当前风险等级计数：{high, medium, low, unassessed}");
        stability.MapGet("/compliance", async (AppDbContext db, TimeProvider clock, IOptions<StabilityOptions> options, CancellationToken ct) =>
            Results.Ok(await StabilityViews.ComplianceAsync(db, Today(clock), options.Value.PatrolGapDays, ct))).WithSummary("一矿一专班缺口");

        var conflicts = api.MapGroup("/conflicts").WithTags("维稳");
        conflicts.MapGet("/", ListConflictsAsync).WithSummary("不稳定因素台账（筛选、分页，pageSize ≤ 200）");
        conflicts.MapGet("/export.xlsx", ExportConflicts).WithSummary("按相同筛选条件导出台账 Excel");
        conflicts.MapPost("/import", ConflictImportApi.ImportAsync).DisableAntiforgery().WithSummary("从 Excel 导入台账（全部成功或全部不导入；dryRun=true 只校验）");
        conflicts.MapGet("/summary", SummaryAsync).WithSummary("每月一汇总：县 × 类别（month=yyyy-MM）");
        conflicts.MapGet("/summary.xlsx", SummaryExcelAsync).WithSummary("每月一汇总 Excel");
        conflicts.MapGet("/leaders", LeadersAsync).WithSummary("可担任某煤矿包案领导的人员");
        conflicts.MapGet("/{id:long}", GetConflictAsync).WithSummary("一件不稳定因素及其办理过程");
        conflicts.MapPost("/", async (ConflictInput input, ConflictService service, CancellationToken ct) =>
            (await service.CreateAsync(input, ct)).ToHttpResult(c => Results.Created($"/api/v1/conflicts/{c.Id}", new { c.Id, c.Number, c.State, stateName = c.State.Label() })))
            .WithSummary("挂号登记");
        conflicts.MapPost("/{id:long}/transitions", async (long id, ConflictTransitionInput input, ConflictService service, CancellationToken ct) =>
            (await service.TransitionAsync(id, input, ct)).ToHttpResult(c => Results.Ok(new { c.Id, c.Number, c.State, stateName = c.State.Label() })))
            .WithSummary("办理：start、claim、close、reject、rebound（note 必填的见说明）");
        conflicts.MapPost("/{id:long}/notes", async (long id, ConflictNoteInput input, ConflictService service, CancellationToken ct) =>
            (await service.AddNoteAsync(id, input, ct)).ToHttpResult(e => Results.Ok(new { e.Id, e.At }))).WithSummary("每日进展（可带附件 id）");

        var forces = api.MapGroup("/task-forces").WithTags("维稳");
        forces.MapGet("/", ListTaskForcesAsync).WithSummary("工作专班");
        forces.MapGet("/{id:long}", GetTaskForceAsync).WithSummary("一个专班及其巡查日志");
        forces.MapPost("/", CreateTaskForceEndpoint).WithSummary("成立专班");
        forces.MapPost("/{id:long}/patrols", AddPatrolEndpoint).WithSummary("记录一次巡查（可带照片附件 id）");
        api.MapGet("/mines/{mineId:long}/ten-items", TenItemsAsync).WithTags("维稳").WithSummary("十到位清单");
        api.MapPut("/mines/{mineId:long}/ten-items/{item}", SetTenItemEndpoint).WithTags("维稳").WithSummary("更新十到位的一项");
    }

    private static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));

    // ---- assessments ----------------------------------------------------------------------------------------

    private static async Task<IResult> Assessment(Result<Assessment> result, AppDbContext db, bool created, CancellationToken ct)
    {
        if (result.TryGetError(out var error))
        {
            return error.ToProblem();
        }

        var detail = await StabilityViews.AssessmentAsync(db, result.Value.Id, ct);
        var body = new { result.Value.Id, result.Value.Number, score = result.Value.Score, grade = result.Value.Grade, gradeName = result.Value.Grade.Label(), result.Value.Veto, state = result.Value.State, stateName = result.Value.State.Label(), detail };
        return created ? Results.Created($"/api/v1/assessments/{result.Value.Id}", body) : Results.Ok(body);
    }

    private static async Task<IResult> ListAssessmentsAsync(AppDbContext db, long? mineId, string? state, string? grade, string? regionCode, int? page, int? pageSize, CancellationToken ct)
    {
        if (pageSize is > Paging.MaxPageSize)
        {
            return ValidationError.For("pageSize", $"每页最多 {Paging.MaxPageSize} 条。").ToProblem();
        }

        AssessmentState? s = null;
        if (!string.IsNullOrEmpty(state))
        {
            if (!EnumLabels.TryParse<AssessmentState>(state, out var parsed))
            {
                return ValidationError.For("state", "状态只能是 draft、submitted、approved 或 returned。").ToProblem();
            }

            s = parsed;
        }

        RiskGrade? g = null;
        if (!string.IsNullOrEmpty(grade))
        {
            if (!EnumLabels.TryParse<RiskGrade>(grade, out var parsed))
            {
                return ValidationError.For("grade", "等级只能是 high、medium 或 low。").ToProblem();
            }

            g = parsed;
        }

        var paging = Paging.From(page, pageSize);
        var (items, total) = await new AssessmentQuery(mineId, s, g, regionCode).PageAsync(db, paging, ct);
        return Results.Ok(new PagedResult<AssessmentListItem>(items.Select(StabilityViews.Labelled).ToList(), total, paging.Page, paging.PageSize));
    }

    private static async Task<IResult> GetAssessmentAsync(long id, AppDbContext db, CancellationToken ct) =>
        await StabilityViews.AssessmentAsync(db, id, ct) is { } detail ? Results.Ok(detail) : new NotFoundError("未找到该评估，或它不在您的管辖范围内。").ToProblem();

    private static async Task<IResult> EvidenceAsync(long mineId, AppDbContext db, AssessmentService service, CancellationToken ct)
    {
        if (!await db.Set<Mine>().AnyAsync(m => m.Id == mineId, ct))
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem();
        }

        return Results.Ok((await service.EvidenceAsync(mineId, ct)).Values);
    }

    private static async Task<IResult> TemplatesAsync(AppDbContext db, CancellationToken ct) =>
        Results.Ok(await db.Set<AssessmentTemplate>().AsNoTracking().Include(t => t.Dimensions).Include(t => t.VetoRules).OrderByDescending(t => t.Version)
            .Select(t => new
            {
                t.Id, t.Version, t.Name, t.HighThreshold, t.MediumThreshold, t.Note, t.CreatedAt, t.CreatedByName,
                dimensions = t.Dimensions.OrderBy(d => d.Seq).Select(d => new { d.Key, d.Name, d.Weight, d.Guidance0, d.Guidance5, d.Guidance10 }),
                vetoRules = t.VetoRules.Select(r => new { r.DimensionKey, r.AtLeastScore, r.RaisesTo }),
            }).ToListAsync(ct));

    /// <summary>A new version: the given dimensions, cut-offs and veto rules, checked (weights sum to 100). Past assessments keep theirs.</summary>
    public static async Task<Result<AssessmentTemplate>> NewTemplateAsync(AppDbContext db, CurrentUser user, TimeProvider clock, TemplateInput input, CancellationToken ct)
    {
        var last = await db.Set<AssessmentTemplate>().MaxAsync(t => (int?)t.Version, ct) ?? 0;
        var seq = 0;
        var template = new AssessmentTemplate
        {
            Version = last + 1,
            Name = string.IsNullOrWhiteSpace(input.Name) ? "一矿一评估社会稳定风险评估模板" : input.Name.Trim(),
            HighThreshold = input.HighThreshold ?? 60,
            MediumThreshold = input.MediumThreshold ?? 35,
            Note = input.Note?.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedByName = user.DisplayName,
            Dimensions = (input.Dimensions ?? []).Select(d => new TemplateDimension
            {
                Seq = ++seq, Key = d.Key?.Trim() ?? "", Name = d.Name?.Trim() ?? "", Weight = d.Weight ?? 0,
                Guidance0 = d.Guidance0?.Trim() ?? "", Guidance5 = d.Guidance5?.Trim() ?? "", Guidance10 = d.Guidance10?.Trim() ?? "",
            }).ToList(),
            VetoRules = (input.VetoRules ?? []).Select(r => new VetoRule { DimensionKey = r.DimensionKey?.Trim() ?? "", AtLeastScore = r.AtLeastScore ?? 10, RaisesTo = r.RaisesTo ?? RiskGrade.High }).ToList(),
        };
        var errors = template.Validate();
        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        db.Add(template);
        await db.SaveChangesAsync(ct);
        return template;
    }

    private static async Task<IResult> CreateTemplateAsync(TemplateInput input, AppDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        (await NewTemplateAsync(db, user, clock, input, ct)).ToHttpResult(t => Results.Created($"/api/v1/assessment-templates/{t.Id}", new { t.Id, t.Version }));

    // ---- conflicts ------------------------------------------------------------------------------------------

    private static async Task<IResult> ListConflictsAsync(AppDbContext db, TimeProvider clock, string? regionCode, long? mineId, string? category, string? state,
        bool? open, bool? overdue, long? leaderUserId, string? riskGrade, string? q, int? page, int? pageSize, CancellationToken ct)
    {
        if (pageSize is > Paging.MaxPageSize)
        {
            return ValidationError.For("pageSize", $"每页最多 {Paging.MaxPageSize} 条。").ToProblem();
        }

        if (!ConflictQuery.Parse(regionCode, mineId, category, state, open, overdue, leaderUserId, riskGrade, q).TryGetValue(out var query, out var error))
        {
            return error.ToProblem();
        }

        var today = Today(clock);
        var paging = Paging.From(page, pageSize);
        var (items, total) = await query.PageAsync(db, today, paging, ct);
        return Results.Ok(new PagedResult<ConflictListItem>(items.Select(StabilityViews.Labelled).ToList(), total, paging.Page, paging.PageSize));
    }

    private static IResult ExportConflicts(AppDbContext db, TimeProvider clock, string? regionCode, long? mineId, string? category, string? state,
        bool? open, bool? overdue, long? leaderUserId, string? riskGrade, string? q)
    {
        if (!ConflictQuery.Parse(regionCode, mineId, category, state, open, overdue, leaderUserId, riskGrade, q).TryGetValue(out var query, out var error))
        {
            return error.ToProblem();
        }

        var today = Today(clock);
        var rows = ConflictSheet.RowsAsync(StabilityViews.ToListItems(query.Rows(db, today)
            .OrderBy(c => c.RegionCode).ThenBy(c => c.RegisteredAt).ThenBy(c => c.Id), today));
        return XlsxWriter.File("不稳定因素台账", "不稳定因素台账", ConflictSheet.Columns, rows, clock);
    }

    private static async Task<IResult> GetConflictAsync(long id, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await StabilityViews.ConflictAsync(db, id, Today(clock), ct) is { } detail ? Results.Ok(detail) : new NotFoundError("未找到该不稳定因素，或它不在您的管辖范围内。").ToProblem();

    public static Result<DateOnly> ParseMonth(string? month, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(month))
        {
            var today = Today(clock);
            return new DateOnly(today.Year, today.Month, 1);
        }

        return DateOnly.TryParseExact(month.Trim() + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var parsed)
            ? parsed
            : ValidationError.For("month", $"月份「{month}」应写成 yyyy-MM，例如 2026-06。");
    }

    private static async Task<IResult> SummaryAsync(string? month, string? regionCode, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        ParseMonth(month, clock).TryGetValue(out var m, out var error)
            ? Results.Ok(await StabilityViews.MonthlyAsync(db, m, regionCode, clock.GetUtcNow().UtcDateTime, ct))
            : error.ToProblem();

    private static async Task<IResult> SummaryExcelAsync(string? month, string? regionCode, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!ParseMonth(month, clock).TryGetValue(out var m, out var error))
        {
            return error.ToProblem();
        }

        var summary = await StabilityViews.MonthlyAsync(db, m, regionCode, clock.GetUtcNow().UtcDateTime, ct);
        return XlsxWriter.File($"不稳定因素月汇总_{summary.Month}", $"{summary.Month}月汇总", ConflictSheet.SummaryColumns, ConflictSheet.SummaryRows(summary), clock);
    }

    private static async Task<IResult> LeadersAsync(long mineId, AppDbContext db, ConflictService service, CancellationToken ct)
    {
        var region = await db.Set<Mine>().Where(m => m.Id == mineId).Select(m => m.RegionCode).SingleOrDefaultAsync(ct);
        return region is null ? new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem() : Results.Ok(await service.LeadersForAsync(region, ct));
    }

    // ---- task forces and 十到位 --------------------------------------------------------------------------------

    private static async Task<IResult> ListTaskForcesAsync(AppDbContext db, long? mineId, CancellationToken ct)
    {
        var query = db.Set<TaskForce>().AsNoTracking();
        if (mineId is { } m)
        {
            query = query.Where(t => t.MineId == m);
        }

        return Results.Ok(await query.OrderBy(t => t.RegionCode).ThenBy(t => t.Id)
            .Select(t => new { t.Id, t.Name, t.MineId, mineName = t.Mine!.Name, t.LeaderName, t.LeaderTitle, t.WatchTarget, t.WatchUntil, t.Active }).ToListAsync(ct));
    }

    private static async Task<IResult> GetTaskForceAsync(long id, AppDbContext db, CancellationToken ct)
    {
        var force = await db.Set<TaskForce>().AsNoTracking().Include(t => t.Members).SingleOrDefaultAsync(t => t.Id == id, ct);
        if (force is null)
        {
            return new NotFoundError("未找到该专班，或它不在您的管辖范围内。").ToProblem();
        }

        var patrols = await db.Set<PatrolLog>().AsNoTracking().Where(p => p.TaskForceId == id).OrderByDescending(p => p.Date).ThenByDescending(p => p.Id)
            .Select(p => new { p.Id, p.Date, p.Patroller, p.Observation, p.IllegalProductionSigns, p.AttachmentIds }).Take(200).ToListAsync(ct);
        return Results.Ok(new
        {
            force.Id, force.Name, force.MineId, force.LeaderName, force.LeaderTitle, force.WatchTarget, force.WatchUntil, force.WatchDuty, force.Active,
            members = force.Members.Select(m => new { m.Name, m.Organisation, m.Role }),
            patrols,
        });
    }

    public static async Task<Result<TaskForce>> CreateTaskForceAsync(AppDbContext db, CurrentUser user, TimeProvider clock, TaskForceInput input, CancellationToken ct)
    {
        if (!StabilityAccess.CanAssess(user))
        {
            return new ForbiddenError("只有监管部门可以成立专班。");
        }

        var mine = input.MineId is { } id ? await db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == id, ct) : null;
        if (input.MineId is not null && mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        var errors = new Dictionary<string, string[]>();
        if (mine is null)
        {
            errors["mineId"] = ["请选择煤矿。"];
        }

        if (string.IsNullOrWhiteSpace(input.LeaderName))
        {
            errors["leaderName"] = ["请填写专班组长（县处级领导）。"];
        }

        if (string.IsNullOrWhiteSpace(input.WatchTarget))
        {
            errors["watchTarget"] = ["请填写盯守对象。"];
        }

        if (string.IsNullOrWhiteSpace(input.WatchDuty))
        {
            errors["watchDuty"] = ["请填写盯守责任。"];
        }

        var members = (input.Members ?? []).Where(m => !string.IsNullOrWhiteSpace(m.Name)).ToList();
        if (members.Count == 0)
        {
            errors["members"] = ["专班至少要有一名组员（驻矿安监员、煤炭主管部门或乡镇人员）。"];
        }
        else if (members.Any(m => string.IsNullOrWhiteSpace(m.Organisation)))
        {
            errors["members"] = ["每名组员都须写明所在单位。"];
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        var force = new TaskForce
        {
            MineId = mine!.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            Name = string.IsNullOrWhiteSpace(input.Name) ? $"{mine.Name}工作专班" : input.Name.Trim(),
            LeaderName = input.LeaderName!.Trim(),
            LeaderTitle = input.LeaderTitle?.Trim(),
            WatchTarget = input.WatchTarget!.Trim(),
            WatchUntil = input.WatchUntil,
            WatchDuty = input.WatchDuty!.Trim(),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            Members = members.Select(m => new TaskForceMember { Name = m.Name!.Trim(), Organisation = m.Organisation!.Trim(), Role = m.Role?.Trim() }).ToList(),
        };
        db.Add(force);
        await db.SaveChangesAsync(ct);
        return force;
    }

    private static async Task<IResult> CreateTaskForceEndpoint(TaskForceInput input, AppDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        (await CreateTaskForceAsync(db, user, clock, input, ct)).ToHttpResult(t => Results.Created($"/api/v1/task-forces/{t.Id}", new { t.Id, t.Name }));

    public static async Task<Result<PatrolLog>> AddPatrolAsync(AppDbContext db, CurrentUser user, TimeProvider clock, long id, PatrolInput input, CancellationToken ct)
    {
        var force = await db.Set<TaskForce>().SingleOrDefaultAsync(t => t.Id == id, ct);
        if (force is null)
        {
            return new NotFoundError("未找到该专班，或它不在您的管辖范围内。");
        }

        if (!StabilityAccess.CanKeepLedger(user))
        {
            return new ForbiddenError("您的角色不能记录巡查。");
        }

        var today = Today(clock);
        var errors = new Dictionary<string, string[]>();
        if (input.Date is not { } date || date > today)
        {
            errors["date"] = ["请填写巡查日期（不能晚于今天）。"];
        }

        if (string.IsNullOrWhiteSpace(input.Observation))
        {
            errors["observation"] = ["请填写巡查所见。"];
        }

        var ids = input.AttachmentIds ?? [];
        var attachments = await db.Attachments.Where(a => ids.Contains(a.Id) && a.UploadedById == user.Id && a.OwnerType == null).ToListAsync(ct);
        if (attachments.Count != ids.Distinct().Count())
        {
            errors["attachmentIds"] = ["附件不存在、不是您上传的，或已用于其他事项。"];
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        var patrol = new PatrolLog
        {
            TaskForceId = force.Id,
            MineId = force.MineId,
            RegionCode = force.RegionCode,
            EnterpriseId = force.EnterpriseId,
            Date = input.Date!.Value,
            Patroller = string.IsNullOrWhiteSpace(input.Patroller) ? user.DisplayName : input.Patroller.Trim(),
            Observation = input.Observation!.Trim(),
            IllegalProductionSigns = input.IllegalProductionSigns ?? false,
            AttachmentIds = attachments.Count == 0 ? null : string.Join(",", attachments.Select(a => a.Id)),
            ById = user.Id,
            At = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(patrol);
        await db.SaveChangesAsync(ct);
        foreach (var attachment in attachments)
        {
            attachment.AttachTo("patrol", patrol.Id, patrol, "巡查照片");
        }

        await db.SaveChangesAsync(ct);
        return patrol;
    }

    private static async Task<IResult> AddPatrolEndpoint(long id, PatrolInput input, AppDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        (await AddPatrolAsync(db, user, clock, id, input, ct)).ToHttpResult(p => Results.Created($"/api/v1/task-forces/{id}", new { p.Id, p.Date }));

    private static async Task<IResult> TenItemsAsync(long mineId, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Set<Mine>().AnyAsync(m => m.Id == mineId, ct))
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem();
        }

        var checks = await db.Set<TenItemCheck>().AsNoTracking().Where(t => t.MineId == mineId).ToDictionaryAsync(t => t.Item, ct);
        return Results.Ok(Enum.GetValues<TenItem>().Select(i => new
        {
            item = i, name = i.Label(), done = checks.TryGetValue(i, out var c) && c.Done, note = c?.Note, updatedBy = c?.UpdatedByName, updatedAt = c?.UpdatedAt,
        }));
    }

    public static async Task<Result> SetTenItemAsync(AppDbContext db, CurrentUser user, TimeProvider clock, long mineId, string item, TenItemInput input, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == mineId, ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        if (!StabilityAccess.CanAssess(user))
        {
            return new ForbiddenError("只有监管部门可以更新十到位清单。");
        }

        if (!EnumLabels.TryParse<TenItem>(item, out var which))
        {
            return ValidationError.For("item", $"「{item}」不是十到位中的一项。");
        }

        var check = await db.Set<TenItemCheck>().SingleOrDefaultAsync(t => t.MineId == mineId && t.Item == which, ct);
        if (check is null)
        {
            check = new TenItemCheck { MineId = mineId, RegionCode = mine.RegionCode, EnterpriseId = mine.EnterpriseId, Item = which };
            db.Add(check);
        }

        check.Done = input.Done ?? false;
        check.Note = string.IsNullOrWhiteSpace(input.Note) ? check.Note : input.Note.Trim();
        check.UpdatedByName = user.DisplayName;
        check.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Result.Ok;
    }

    private static async Task<IResult> SetTenItemEndpoint(long mineId, string item, TenItemInput input, AppDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct) =>
        (await SetTenItemAsync(db, user, clock, mineId, item, input, ct)).ToHttpResult(Results.NoContent);
}
