using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

public sealed record EnterpriseItem(long Id, string Name, EnterpriseKind Kind, string KindName, long? GroupId, string? GroupName);

public sealed record EnterpriseInput(string? Name, EnterpriseKind? Kind, long? GroupId, string? CreditCode, string? LegalRepresentative, string? Phone);

public sealed record MilestoneActionInput(string? Note);

/// <summary><c>/api/v1/mines</c>: the registry for programs.</summary>
public static class MineApi
{
    public static void MapMineApi(this RouteGroupBuilder api)
    {
        var mines = api.MapGroup("/mines").WithTags("一矿一档");
        mines.MapGet("/", ListAsync).WithSummary("煤矿名录（筛选、排序、分页，pageSize ≤ 200）");
        mines.MapGet("/export.xlsx", Export).WithSummary("按相同筛选条件导出 Excel");
        mines.MapPost("/import", MineImportApi.ImportAsync).DisableAntiforgery().WithSummary("从 Excel 导入（全部成功或全部不导入；dryRun=true 只校验）");
        mines.MapGet("/{id:long}", GetAsync).WithSummary("一矿一档：基本信息、证照、关键岗位人员、提示");
        mines.MapPost("/", CreateAsync).WithSummary("新建煤矿");
        mines.MapPut("/{id:long}", UpdateAsync).WithSummary("修改煤矿（须带 version；过期版本 409）");
        mines.MapGet("/{id:long}/history", HistoryAsync).WithSummary("状态、产能、处置类别的变更历史");
        mines.MapPost("/{id:long}/licences", (long id, LicenceInput input, MineWriter writer, CancellationToken ct) =>
            Licence(writer.SaveLicenceAsync(id, null, input, ct), created: true)).WithSummary("登记证照");
        mines.MapPut("/{id:long}/licences/{licenceId:long}", (long id, long licenceId, LicenceInput input, MineWriter writer, CancellationToken ct) =>
            Licence(writer.SaveLicenceAsync(id, licenceId, input, ct), created: false)).WithSummary("修改证照");
        mines.MapDelete("/{id:long}/licences/{licenceId:long}", async (long id, long licenceId, MineWriter writer, CancellationToken ct) =>
            (await writer.DeleteLicenceAsync(id, licenceId, ct)).ToHttpResult(Results.NoContent)).WithSummary("删除证照");
        mines.MapPost("/{id:long}/key-persons", (long id, KeyPersonInput input, MineWriter writer, CancellationToken ct) =>
            Person(writer.SavePersonAsync(id, null, input, ct), created: true)).WithSummary("登记关键岗位人员");
        mines.MapPut("/{id:long}/key-persons/{personId:long}", (long id, long personId, KeyPersonInput input, MineWriter writer, CancellationToken ct) =>
            Person(writer.SavePersonAsync(id, personId, input, ct), created: false)).WithSummary("修改关键岗位人员");
        mines.MapDelete("/{id:long}/key-persons/{personId:long}", async (long id, long personId, MineWriter writer, CancellationToken ct) =>
            (await writer.DeletePersonAsync(id, personId, ct)).ToHttpResult(Results.NoContent)).WithSummary("删除关键岗位人员");
        mines.MapGet("/{id:long}/disposition-plan", PlanAsync).WithSummary("处置方案（一矿一方案）");
        mines.MapPut("/{id:long}/disposition-plan", async (long id, PlanInput input, MineWriter writer, AppDbContext db, CancellationToken ct) =>
            (await writer.SavePlanAsync(id, input, ct)).ToHttpResult(_ => Results.Ok())).WithSummary("制定或修改处置方案");
        mines.MapPost("/{id:long}/disposition-plan/milestones/{milestoneId:long}/{action}", MilestoneAsync)
            .WithSummary("推进方案节点：start（开始）、complete（完成）、reopen（退回）");

        var enterprises = api.MapGroup("/enterprises").WithTags("一矿一档");
        enterprises.MapGet("/", EnterprisesAsync).WithSummary("管辖范围内煤矿所属的企业与集团");
        enterprises.MapPost("/", CreateEnterpriseAsync).WithSummary("登记煤矿企业或集团");
    }

    private static async Task<IResult> ListAsync(AppDbContext db, RegionTree regions, [AsParameters] MineListRequest request, CancellationToken ct)
    {
        if (request.PageSize is > Paging.MaxPageSize)
        {
            return ValidationError.For("pageSize", $"每页最多 {Paging.MaxPageSize} 条。").ToProblem();
        }

        var paging = Paging.From(request.Page, request.PageSize);
        if (!request.ToQuery().TryGetValue(out var query, out var error))
        {
            return error.ToProblem();
        }

        var (items, total) = await query.PageAsync(db, paging, ct);
        var names = await regions.NamesAsync(ct);
        return Results.Ok(new PagedResult<MineListItem>(items.Select(i => MineViews.Labelled(i, names)).ToList(), total, paging.Page, paging.PageSize));
    }

    private static IResult Export(AppDbContext db, [AsParameters] MineListRequest request, TimeProvider clock)
    {
        if (!request.ToQuery().TryGetValue(out var query, out var error))
        {
            return error.ToProblem();
        }

        var mines = query.Order(query.Rows(db));
        return XlsxWriter.File("煤矿名录", MineSheet.SheetName, MineSheet.Columns, MineSheet.RowsAsync(mines), clock);
    }

    private static async Task<IResult> GetAsync(long id, AppDbContext db, TimeProvider clock, IOptions<MineOptions> options, CancellationToken ct)
    {
        var detail = await MineViews.DetailAsync(db, id, DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime)), options.Value.LicenceWarnDays, ct);
        return detail is null ? new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem() : Results.Ok(detail);
    }

    private static async Task<IResult> CreateAsync(MineInput input, MineWriter writer, CancellationToken ct)
    {
        var result = await writer.CreateAsync(input, ct);
        return result.ToHttpResult(m => Results.Created($"/api/v1/mines/{m.Id}", new { id = m.Id, m.Code, m.Name, m.Version }));
    }

    private static async Task<IResult> UpdateAsync(long id, MineInput input, MineWriter writer, CancellationToken ct)
    {
        var result = await writer.UpdateAsync(id, input, ct);
        return result.ToHttpResult(m => Results.Ok(new { id = m.Id, m.Code, m.Name, m.Version }));
    }

    private static async Task<IResult> HistoryAsync(long id, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Set<Mine>().AnyAsync(m => m.Id == id, ct))
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem();
        }

        return Results.Ok(await MineViews.HistoryAsync(db, id, ct));
    }

    private static async Task<IResult> Licence(Task<Result<MineLicence>> save, bool created)
    {
        var result = await save;
        return result.ToHttpResult(l =>
        {
            var view = new LicenceView(l.Id, l.Kind, l.Kind.Label(), l.Number, l.IssuedBy, l.ExpiresOn);
            return created ? Results.Created($"/api/v1/mines/{l.MineId}/licences/{l.Id}", view) : Results.Ok(view);
        });
    }

    private static async Task<IResult> Person(Task<Result<KeyPerson>> save, bool created)
    {
        var result = await save;
        return result.ToHttpResult(p =>
        {
            var view = new KeyPersonView(p.Id, p.Position, p.Position.Label(), p.Name, KeyPerson.Mask(p.IdNumber), p.Education, p.Education.Label(),
                p.MiningMajor, p.YearsExperience, p.FullTime, p.RegisteredSafetyEngineer);
            return created ? Results.Created($"/api/v1/mines/{p.MineId}/key-persons/{p.Id}", view) : Results.Ok(view);
        });
    }

    private static async Task<IResult> PlanAsync(long id, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Set<Mine>().AnyAsync(m => m.Id == id, ct))
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem();
        }

        var plan = await PlanView.LoadAsync(db, id, clock.GetUtcNow().UtcDateTime, ct);
        return plan is null ? new NotFoundError("该煤矿尚未制定处置方案。").ToProblem() : Results.Ok(plan);
    }

    private static async Task<IResult> MilestoneAsync(long id, long milestoneId, string action, MilestoneActionInput? input, MineWriter writer, CancellationToken ct)
    {
        if (!Enum.TryParse<MilestoneAction>(action, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
        {
            return ValidationError.For("action", "操作只能是 start（开始）、complete（完成）或 reopen（退回）。").ToProblem();
        }

        var result = await writer.ActOnMilestoneAsync(id, milestoneId, parsed, input?.Note, ct);
        return result.ToHttpResult(m => Results.Ok(new { m.Id, m.State, stateName = m.State.Label() }));
    }

    private static Task<List<EnterpriseItem>> EnterprisesAsync(AppDbContext db, CancellationToken ct) => MineViews.EnterprisesInScopeAsync(db, ct);

    private static async Task<IResult> CreateEnterpriseAsync(EnterpriseInput input, AppDbContext db, MineWriter writer, CancellationToken ct)
    {
        if (!writer.CanEditMines)
        {
            return new ForbiddenError("只有监管部门可以登记煤矿企业。").ToProblem();
        }

        var name = input.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            return ValidationError.For("name", "请填写企业名称（不超过 100 个字）。").ToProblem();
        }

        if (await db.Set<Enterprise>().AnyAsync(e => e.Name == name, ct))
        {
            return new ConflictError($"企业「{name}」已登记。").ToProblem();
        }

        if (input.GroupId is { } groupId && !await db.Set<Enterprise>().AnyAsync(e => e.Id == groupId && e.Kind == EnterpriseKind.Group, ct))
        {
            return ValidationError.For("groupId", "所属集团不存在。").ToProblem();
        }

        var enterprise = new Enterprise
        {
            Name = name,
            Kind = input.Kind ?? EnterpriseKind.Company,
            GroupId = input.GroupId,
            CreditCode = input.CreditCode?.Trim(),
            LegalRepresentative = input.LegalRepresentative?.Trim(),
            Phone = input.Phone?.Trim(),
        };
        db.Add(enterprise);
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/v1/enterprises/{enterprise.Id}", new EnterpriseItem(enterprise.Id, enterprise.Name, enterprise.Kind, enterprise.Kind.Label(), enterprise.GroupId, null));
    }
}

/// <summary>
/// The query string of the list and the export. Choices are accepted by name in any case (<c>producing</c>, as the
/// API writes them) or by their Chinese label (<c>正常生产</c>).
/// </summary>
public sealed record MineListRequest(string? RegionCode, string? Status, string? Disposition, string? GasLevel,
    double? MinCapacity, double? MaxCapacity, string? Q, string? Sort, int? Page, int? PageSize, string? Grade)
{
    public Result<MineQuery> ToQuery()
    {
        var errors = new Dictionary<string, string[]>();
        T? Parse<T>(string? text, string field, string label) where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (EnumLabels.TryParse<T>(text, out var value))
            {
                return value;
            }

            errors[field] = [$"{label}「{text}」无效。可选：{string.Join("、", Enum.GetValues<T>().Select(v => $"{JsonName(v)}（{v.Label()}）"))}。"];
            return null;
        }

        var query = new MineQuery(RegionCode, Parse<MineStatus>(Status, "status", "生产状态"), Parse<Disposition>(Disposition, "disposition", "处置类别"),
            Parse<GasLevel>(GasLevel, "gasLevel", "瓦斯等级"), MinCapacity, MaxCapacity, Q, Sort,
            Grade is "none" or "未评估" ? null : Parse<RiskGrade>(Grade, "grade", "风险等级"), Grade is "none" or "未评估");
        if (Sort is { Length: > 0 } sort && !MineQuery.Sorts.ContainsKey(sort))
        {
            errors["sort"] = [$"排序「{sort}」无效。可选：{string.Join("、", MineQuery.Sorts.Keys)}。"];
        }

        return errors.Count == 0 ? query : new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
    }

    private static string JsonName(Enum value) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(value.ToString());
}
