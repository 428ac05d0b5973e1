using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Hazards;

/// <summary>The hazard module's API: the ledger and its workflow, photos, statistics, 回马枪, the taxonomy, the quarterly report.</summary>
public static class HazardApi
{
    public static void MapHazardApi(this RouteGroupBuilder api)
    {
        var hazards = api.MapGroup("/hazards").WithTags("隐患");
        hazards.MapGet("/taxonomy", TaxonomyAsync).WithSummary("重大隐患判定标准：各类别及其条款（默认现行版本；standard=2020 指定版本）");
        hazards.MapGet("/", ListAsync).WithSummary("隐患台账（筛选、分页，pageSize ≤ 200）");
        hazards.MapGet("/export.xlsx", ExportAsync).WithSummary("按相同筛选条件导出隐患台账 Excel");
        hazards.MapGet("/stats", StatsAsync).WithSummary("按县、月统计：发现、销号、超期、重大隐患、整改率（from/to 默认近 12 个月）");
        hazards.MapGet("/closure-candidates", ClosureAsync).WithSummary("条例第七十条：3 个月内 2 次以上在生产中发现重大隐患、应提请关闭的煤矿");
        hazards.MapGet("/rectifiers", RectifiersAsync).WithSummary("可担任某煤矿隐患整改人的人员");
        hazards.MapGet("/{id:long}", GetAsync).WithSummary("一项隐患及其全过程记录");
        hazards.MapPost("/", async (HazardInput input, HazardService service, CancellationToken ct) =>
                (await service.CreateAsync(input, ct)).ToHttpResult(h => Results.Created($"/api/v1/hazards/{h.Id}", Summary(h))))
            .WithSummary("登记隐患（可同时定级：level、criterionId、stoppedArea）");
        hazards.MapPost("/{id:long}/transitions", async (long id, HazardTransitionInput input, HazardService service, CancellationToken ct) =>
                (await service.ActAsync(id, input, ct)).ToHttpResult(h => Results.Ok(Summary(h))))
            .WithSummary("办理：grade、plan、start、submit、verify、reopen、extend、list、delist");
        hazards.MapPost("/{id:long}/attachments", UploadAsync).DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(64L * 1024 * 1024))
            .WithSummary("上传整改前后照片（multipart：file，stage=before|after；图片 ≤ 10 MB）");

        var revisits = hazards.MapGroup("/revisits");
        revisits.MapGet("/", ListRevisitsAsync).WithSummary("回马枪复查（mineId 筛选）");
        revisits.MapGet("/{id:long}", GetRevisitAsync).WithSummary("一次回马枪复查及其清单");
        revisits.MapPost("/", async (RevisitInput input, RevisitService service, CancellationToken ct) =>
                (await service.ScheduleAsync(input, ct)).ToHttpResult(r => Results.Created($"/api/v1/hazards/revisits/{r.Id}", new { r.Id, r.Number, items = r.Items.Count })))
            .WithSummary("安排回马枪复查：hazardIds 指定已销号隐患，或 sample 抽查数量");
        revisits.MapPost("/{id:long}/items/{hazardId:long}", async (long id, long hazardId, RevisitCheckInput input, RevisitService service, CancellationToken ct) =>
                (await service.CheckAsync(id, hazardId, input, ct)).ToHttpResult(i => Results.Ok(new { i.HazardId, i.Outcome, outcomeName = i.Outcome.Label() })))
            .WithSummary("填写复查结论：outcome=confirmed（整改到位）或 reopened（重新打开，需 deadline）");

        api.MapGet("/mines/{mineId:long}/hazards/quarterly.xlsx", QuarterlyAsync).WithTags("隐患")
            .WithSummary("煤矿重大事故隐患季度报告（条例第三十五条）：year、quarter，默认上一季度");
    }

    private static DateOnly Today(TimeProvider clock) => ChinaTime.DateOf(clock.GetUtcNow().UtcDateTime);

    private static object Summary(Hazard h) => new
    {
        h.Id, h.Number, h.State, stateName = h.State.Label(), h.Level, levelName = h.Level?.Label(), h.DueOn, h.Basis, h.Version,
    };

    private static async Task<IResult> TaxonomyAsync(string? standard, AppDbContext db, CancellationToken ct)
    {
        var query = db.Set<HazardStandard>().AsNoTracking().Include(s => s.Categories).ThenInclude(c => c.Items);
        var found = string.IsNullOrWhiteSpace(standard)
            ? await query.FirstOrDefaultAsync(s => s.Current, ct)
            : await query.FirstOrDefaultAsync(s => s.Code == standard.Trim(), ct);
        if (found is null)
        {
            return new NotFoundError($"没有「{standard}」版判定标准。").ToProblem();
        }

        var editions = await db.Set<HazardStandard>().AsNoTracking().OrderBy(s => s.EffectiveFrom).Select(s => new { s.Code, s.Name, s.Current }).ToListAsync(ct);
        return Results.Ok(new
        {
            found.Code, found.Name, found.Issuer, found.EffectiveFrom, found.Current, editions,
            categories = found.Categories.OrderBy(c => c.No).Select(c => new
            {
                c.No, c.Article, c.ShortName,
                items = c.Items.OrderBy(i => i.No).Select(i => new { i.Id, i.No, i.Text, citation = HazardCriterion.Cite(found.Code, c.Article, i.No) }),
            }),
        });
    }

    private static Result<HazardQuery> Parse(IOptions<HazardOptions> options, string? regionCode, long? mineId, string? level, string? category, string? state,
        bool? open, bool? overdue, string? source, DateOnly? from, DateOnly? to, bool? listed, string? q) =>
        HazardQuery.Parse(regionCode, mineId, level, category, state, open, overdue, source, from, to, listed, q, options.Value.Categories);

    private static async Task<IResult> ListAsync(AppDbContext db, TimeProvider clock, IOptions<HazardOptions> options, string? regionCode, long? mineId,
        string? level, string? category, string? state, bool? open, bool? overdue, string? source, DateOnly? from, DateOnly? to, bool? listed, string? q,
        int? page, int? pageSize, CancellationToken ct)
    {
        if (pageSize is > Paging.MaxPageSize)
        {
            return ValidationError.For("pageSize", $"每页最多 {Paging.MaxPageSize} 条。").ToProblem();
        }

        if (!Parse(options, regionCode, mineId, level, category, state, open, overdue, source, from, to, listed, q).TryGetValue(out var query, out var error))
        {
            return error.ToProblem();
        }

        return Results.Ok(await HazardViews.ListAsync(db, query, Paging.From(page, pageSize), Today(clock), ct));
    }

    private static async Task<IResult> ExportAsync(AppDbContext db, TimeProvider clock, IOptions<HazardOptions> options, string? regionCode, long? mineId, string? level,
        string? category, string? state, bool? open, bool? overdue, string? source, DateOnly? from, DateOnly? to, bool? listed, string? q, CancellationToken ct)
    {
        if (!Parse(options, regionCode, mineId, level, category, state, open, overdue, source, from, to, listed, q).TryGetValue(out var query, out var error))
        {
            return error.ToProblem();
        }

        var rows = HazardSheet.RowsAsync((await query.SelectAsync(db, Today(clock), ct)).Rows);
        return XlsxWriter.File("隐患排查治理台账", "隐患台账", HazardSheet.Columns, rows, clock);
    }

    private static async Task<IResult> StatsAsync(string? regionCode, DateOnly? from, DateOnly? to, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var today = Today(clock);
        var end = to ?? today;
        var start = from ?? new DateOnly(end.Year, end.Month, 1).AddMonths(-11);
        if (end < start)
        {
            return ValidationError.For("to", "结束日期不能早于开始日期。").ToProblem();
        }

        if (end.DayNumber - start.DayNumber > 3 * 366)
        {
            return ValidationError.For("from", "统计区间最长三年。").ToProblem();
        }

        return Results.Ok(await HazardViews.StatsAsync(db, regionCode, start, end, today, ct));
    }

    private static async Task<IResult> ClosureAsync(AppDbContext db, TimeProvider clock, IOptions<HazardOptions> options, long? mineId, CancellationToken ct) =>
        Results.Ok(await HazardViews.ClosureCandidatesAsync(db, clock.GetUtcNow().UtcDateTime, options.Value.ClosureMajorCount, options.Value.ClosureWindowMonths, mineId, ct));

    private static async Task<IResult> RectifiersAsync(long mineId, AppDbContext db, HazardService service, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().AsNoTracking().SingleOrDefaultAsync(m => m.Id == mineId, ct);
        return mine is null ? new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem() : Results.Ok(await service.RectifiersForAsync(mine, ct));
    }

    private static async Task<IResult> GetAsync(long id, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await HazardViews.DetailAsync(db, id, Today(clock), ct) is not { } d)
        {
            return new NotFoundError("未找到该隐患，或它不在您的管辖范围内。").ToProblem();
        }

        var h = d.Record;
        return Results.Ok(new
        {
            d.Item.Id, d.Item.Number, d.Item.MineId, d.Item.MineName, d.Item.RegionCode, d.Item.CountyName, d.Item.TownshipName, h.Location, h.Description,
            h.Source, sourceName = h.Source.Label(), h.ProfessionalCategory, h.FoundAt, h.FoundByName, h.FoundWhileProducing, h.Level, levelName = d.Item.LevelName,
            h.CriterionId, h.Basis, criterionText = d.CriterionText, h.StoppedArea, h.ReportedAt, h.ReportedTo, h.Measures, h.Funds, h.ResponsibleUnit,
            h.ResponsiblePerson, h.RectifierUserId, h.RectifierName, h.DueOn, d.Item.Overdue, h.State, stateName = d.Item.StateName,
            plan = h.PlannedAt is null ? null : new { goal = h.PlanGoal, methods = h.PlanMethods, resources = h.PlanResources, people = h.PlanPeople, dueOn = h.PlanDueOn, safety = h.PlanSafety, h.PlannedAt },
            extensionRequest = h.ExtensionDueOn is null ? null : new { dueOn = h.ExtensionDueOn, reason = h.ExtensionReason, requestedBy = h.ExtensionRequestedByName },
            h.Extensions, h.RegisteredByName, h.RegisteredAt, h.RectifiedByName, h.SubmittedAt, h.RectificationNote, h.VerifierName, h.VerifiedAt,
            h.VerificationOpinion, h.ClosedAt, h.Reopens,
            listing = h.ListedAt is null ? null : new { issuer = h.ListIssuer, documentNumber = h.ListDocumentNumber, dueOn = h.ListDueOn, h.ListedAt, h.DelistedAt, h.DelistedByName },
            h.Version, photosBefore = d.Before, photosAfter = d.After, timeline = d.Timeline,
        });
    }

    private static async Task<IResult> UploadAsync(long id, HttpRequest request, HazardService service, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return new ValidationError("请以 multipart/form-data 方式上传，文件字段名为 file。").ToProblem();
        }

        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file)
        {
            return ValidationError.For("file", "请选择要上传的照片（字段名 file）。").ToProblem();
        }

        var stageText = form.TryGetValue("stage", out var s) ? s.ToString() : "before";
        if (!EnumLabels.TryParse<PhotoStage>(stageText, out var stage))
        {
            return ValidationError.For("stage", "stage 只能是 before（整改前）或 after（整改后）。").ToProblem();
        }

        await using var stream = file.OpenReadStream();
        return (await service.AddPhotoAsync(id, stream, file.FileName, stage, ct)).ToHttpResult(a => Results.Created($"/api/v1/attachments/{a.Id}", AttachmentApi.Info(a)));
    }

    private static async Task<IResult> ListRevisitsAsync(long? mineId, AppDbContext db, CancellationToken ct)
    {
        var query = db.Set<Revisit>().AsNoTracking();
        if (mineId is { } m)
        {
            query = query.Where(r => r.MineId == m);
        }

        return Results.Ok(await query.OrderByDescending(r => r.ScheduledOn).ThenByDescending(r => r.Id).Take(200)
            .Select(r => new
            {
                r.Id, r.Number, r.MineId, mineName = r.Mine!.Name, r.ScheduledOn, r.ScheduledByName, r.CompletedAt, items = r.Items.Count,
                reopened = r.Items.Count(i => i.Outcome == RevisitOutcome.Reopened), pending = r.Items.Count(i => i.Outcome == RevisitOutcome.Pending),
            }).ToListAsync(ct));
    }

    private static async Task<IResult> GetRevisitAsync(long id, AppDbContext db, CancellationToken ct)
    {
        var revisit = await db.Set<Revisit>().AsNoTracking().Where(r => r.Id == id)
            .Select(r => new { r.Id, r.Number, r.MineId, mineName = r.Mine!.Name, r.ScheduledOn, r.ScheduledByName, r.Note, r.CreatedAt, r.CompletedAt })
            .SingleOrDefaultAsync(ct);
        if (revisit is null)
        {
            return new NotFoundError("未找到该复查，或它不在您的管辖范围内。").ToProblem();
        }

        var items = await db.Set<RevisitItem>().AsNoTracking().Where(i => i.RevisitId == id).OrderBy(i => i.Id)
            .Select(i => new
            {
                i.HazardId, number = i.Hazard!.Number, location = i.Hazard.Location, description = i.Hazard.Description, level = i.Hazard.Level,
                closedAt = i.Hazard.ClosedAt, hazardState = i.Hazard.State, i.Outcome, i.Note, i.CheckedAt, i.CheckedByName,
            }).ToListAsync(ct);
        return Results.Ok(new { revisit, items = items.Select(i => new { i.HazardId, i.number, i.location, i.description, i.level, i.closedAt, i.hazardState,
            hazardStateName = i.hazardState.Label(), i.Outcome, outcomeName = i.Outcome.Label(), i.Note, i.CheckedAt, i.CheckedByName }) });
    }

    private static async Task<IResult> QuarterlyAsync(long mineId, int? year, int? quarter, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().AsNoTracking().Where(m => m.Id == mineId).Select(m => new { m.Name }).SingleOrDefaultAsync(ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem();
        }

        var today = Today(clock);
        var previous = new DateOnly(today.Year, ((today.Month - 1) / 3 * 3) + 1, 1).AddMonths(-3);
        var y = year ?? previous.Year;
        var q = quarter ?? ((previous.Month - 1) / 3) + 1;
        if (q is < 1 or > 4 || y is < 2000 or > 2100)
        {
            return ValidationError.For("quarter", "季度应为 1～4，年份应为四位数。").ToProblem();
        }

        var rows = await HazardSheet.QuarterlyRowsAsync(db.Set<Hazard>().AsNoTracking(), mineId, y, q, ct);
        if (rows.Count == 0)
        {
            rows.Add([null, "本季度无重大事故隐患"]);
        }

        return XlsxWriter.File($"{mine.Name}_{y}年第{q}季度重大事故隐患报告", $"{y}年第{q}季度", HazardSheet.QuarterlyColumns, rows, clock);
    }
}
