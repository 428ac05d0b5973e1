using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>The query string of the alarm list and its export. Times without an offset are China time.</summary>
public sealed record AlarmListRequest(bool? Active, long? MineId, string? Type, string? State, string? Source, string? RegionCode, bool? Major, string? Q,
    DateTime? From, DateTime? To, int? Page, int? PageSize)
{
    public AlarmFilter ToFilter() => new(Active, MineId, Type, State, Source, RegionCode, Major, Q, Utc(From), Utc(To));

    private static DateTime? Utc(DateTime? t) => t is not { } v ? null : v.Kind switch
    {
        DateTimeKind.Utc => v,
        DateTimeKind.Local => v.ToUniversalTime(),
        _ => ChinaTime.ToUtc(v),
    };
}

public sealed record UploadKeyInput(string? Note);

/// <summary><c>/api/v1</c> of monitoring: the upload door, live data, alarms and their stream, upload keys.</summary>
public static class MonitoringApi
{
    public static void MapMonitoringApi(this RouteGroupBuilder api)
    {
        api.MapPut("/feeds/{fileName}", PutFeedAsync).AllowAnonymous().WithTags("监测预警")
            .WithSummary("上传监测数据文件：请求体为原始文件（CDDY、CDSS、YCBJ、TJSJ、RYQY、RYXX、RYSS、JZSS），请求头 X-Upload-Key 为本矿上传密钥")
            .WithDescription("202 已接收（持久化后才应答）；200 重复文件；401 密钥无效；409 同名不同内容；413 过大；422 内容有误（原因见 detail）；503 繁忙请稍后重传。");

        var monitoring = api.MapGroup("/monitoring").WithTags("监测预警");
        monitoring.MapGet("/overview", OverviewAsync).WithSummary("辖区监测概况：联网、断线煤矿，按类型和区县统计的未解除报警");
        monitoring.MapGet("/mines/{mineId:long}/points", PointsAsync).WithSummary("一座煤矿的全部测点：最新值、单位、状态、近一小时曲线");
        monitoring.MapGet("/mines/{mineId:long}/files", FilesAsync).WithSummary("一座煤矿的上传文件：按类型的接收/拒收数与最后到达时间，文件列表");
        monitoring.MapGet("/intake", (IntakeStats stats, FeedPayloads payloads) => Results.Ok(new
        {
            stats.Active, stats.AppliedFiles, stats.AppliedReadings, stats.Batches, stats.FailedFiles, stats.LastBatchMs, stats.LastLagMs, payloads.PendingReadings,
            stats.Groups, stats.GroupFiles, stats.ArchiveMs, stats.CommitMs, stats.ApplyMs, stats.WriteMs, stats.BatchCommitMs,
        })).RequireAuthorization(PlatformSetup.AdminPolicy).WithSummary("本实例数据接入运行计数（仅系统管理员）");

        var alarms = api.MapGroup("/alarms").WithTags("监测预警");
        alarms.MapGet("/", ListAsync).WithSummary("报警列表（active=true 未解除；mineId、type、state、source、regionCode、major、q、from、to；分页）");
        alarms.MapGet("/export.xlsx", Export).WithSummary("按相同筛选条件导出报警台账 Excel");
        alarms.MapGet("/stream", (AlarmHub hub, CurrentUser user, CancellationToken ct) => TypedResults.ServerSentEvents(hub.SubscribeAsync(user.Scope, ct)))
            .WithSummary("报警实时推送（Server-Sent Events，事件 alarm；只含本辖区）");
        alarms.MapGet("/{id:long}", GetAsync).WithSummary("一条报警");
        alarms.MapPost("/{id:long}/acknowledge", async (long id, AlarmActions actions, AppDbContext db, CancellationToken ct) =>
            (await actions.AcknowledgeAsync(id, ct)).ToHttpResult(a => Results.Ok(new { a.Id, a.State, stateName = a.State.Label() }))).WithSummary("确认报警");
        alarms.MapPost("/{id:long}/dispose", async (long id, DisposeInput input, AlarmActions actions, CancellationToken ct) =>
            (await actions.DisposeAsync(id, input, ct)).ToHttpResult(a => Results.Ok(new { a.Id, a.State, stateName = a.State.Label() }))).WithSummary("处置报警（须已解除；填写原因和措施）");
        alarms.MapPost("/{id:long}/hazard", async (long id, AlarmHazardInput input, AlarmActions actions, CancellationToken ct) =>
            (await actions.RegisterHazardAsync(id, input, ct)).ToHttpResult(h => Results.Created($"/api/v1/hazards/{h.HazardId}", h)))
            .WithSummary("报警转隐患：登记一项来源为「监测预警」的隐患（监管部门；每条报警只登记一次；须填专业类别、整改期限）");

        var keys = api.MapGroup("/mines/{id:long}/upload-keys").WithTags("监测预警");
        keys.MapGet("/", KeysAsync).WithSummary("煤矿的上传密钥（不含密钥本身）");
        keys.MapPost("/", async (long id, UploadKeyInput? input, UploadKeys service, AppDbContext db, CurrentUser user, CancellationToken ct) =>
            (await service.CreateAsync(db, user, id, input?.Note, ct)).ToHttpResult(k => Results.Created($"/api/v1/mines/{id}/upload-keys/{k.Id}", k)))
            .WithSummary("为煤矿生成上传密钥（系统管理员或监管部门；密钥只返回这一次）");
        keys.MapDelete("/{keyId:long}", async (long id, long keyId, UploadKeys service, AppDbContext db, CurrentUser user, CancellationToken ct) =>
            (await service.RevokeAsync(db, user, id, keyId, ct)).ToHttpResult(Results.NoContent)).WithSummary("吊销上传密钥");
    }

    private static async Task<IResult> PutFeedAsync(string fileName, HttpRequest request, FeedIntake intake, UploadKeys keys, CancellationToken ct)
    {
        var key = await keys.CheckAsync(request.Headers[UploadKeys.Header], ct);
        var result = await intake.SubmitAsync(fileName, request.Body, request.ContentLength, new FeedSender(FeedDoor.Http, Key: key), ct);
        return result.Outcome switch
        {
            IntakeOutcome.Accepted => Results.Json(new { fileId = result.FileId, status = "accepted" }, statusCode: StatusCodes.Status202Accepted),
            IntakeOutcome.Duplicate => Results.Ok(new { fileId = result.FileId, status = "duplicate" }),
            _ => Problem(result, request.HttpContext),
        };
    }

    /// <summary>A refused file: ProblemDetails with the recorded file's id and the kind of error, so the sender can tell them apart.</summary>
    private static IResult Problem(IntakeResult result, HttpContext http)
    {
        var error = result.Error!;
        var status = error is UnavailableError ? StatusCodes.Status503ServiceUnavailable : error.StatusCode();
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            http.Response.Headers.RetryAfter = "5";
        }

        var problem = new ProblemDetails { Status = status, Title = ErrorResults.Title(status), Detail = error.Message };
        if (result.FileId is { } id)
        {
            problem.Extensions["fileId"] = id;
        }

        if (result.ErrorKind is { } kind)
        {
            problem.Extensions["errorKind"] = kind;
        }

        return TypedResults.Problem(problem);
    }

    private static async Task<IResult> OverviewAsync(AppDbContext db, TimeProvider clock, IOptions<MonitoringOptions> options, CancellationToken ct) =>
        Results.Ok(await MonitoringViews.OverviewAsync(db, clock.GetUtcNow().UtcDateTime, options.Value.SilentAfter, ct));

    private static async Task<IResult> PointsAsync(long mineId, AppDbContext db, TimeProvider clock, IOptions<MonitoringOptions> options, CancellationToken ct)
    {
        var live = await MonitoringViews.LiveAsync(db, mineId, clock.GetUtcNow().UtcDateTime, options.Value.SilentAfter, ct);
        return live is null ? new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem() : Results.Ok(live);
    }

    private static async Task<IResult> FilesAsync(long mineId, string? status, int? page, int? pageSize, AppDbContext db, CancellationToken ct)
    {
        FeedStatus? parsed = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!EnumLabels.TryParse<FeedStatus>(status, out var s))
            {
                return ValidationError.For("status", "状态只能是 accepted（已接收）、applied（已入库）、rejected（已拒收）或 failed（处理失败）。").ToProblem();
            }

            parsed = s;
        }

        var data = await MonitoringViews.FilesAsync(db, mineId, parsed, Paging.From(page, pageSize, 50), ct);
        return data is null ? new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem() : Results.Ok(data);
    }

    private static async Task<IResult> ListAsync(AppDbContext db, [AsParameters] AlarmListRequest request, CancellationToken ct)
    {
        if (request.PageSize is > Paging.MaxPageSize)
        {
            return ValidationError.For("pageSize", $"每页最多 {Paging.MaxPageSize} 条。").ToProblem();
        }

        var result = await MonitoringViews.ListAsync(db, request.ToFilter(), Paging.From(request.Page, request.PageSize), ct);
        return result.ToHttpResult(page => Results.Ok(page));
    }

    private static IResult Export(AppDbContext db, [AsParameters] AlarmListRequest request, TimeProvider clock)
    {
        if (!request.ToFilter().TryApply(db.Set<Alarm>().AsNoTracking(), db.Set<Mine>(), out var alarms, out var error))
        {
            return error.ToProblem();
        }

        return XlsxWriter.File("监测报警台账", "报警台账", MonitoringViews.SheetColumns, MonitoringViews.SheetRowsAsync(db, alarms), clock);
    }

    private static async Task<IResult> GetAsync(long id, AppDbContext db, CancellationToken ct) =>
        await MonitoringViews.AlarmAsync(db, id, ct) is { } alarm ? Results.Ok(alarm) : new NotFoundError("未找到该报警，或它不在您的管辖范围内。").ToProblem();

    private static async Task<IResult> KeysAsync(long id, AppDbContext db, CurrentUser user, CancellationToken ct)
    {
        if (!await db.Set<Mine>().AnyAsync(m => m.Id == id, ct))
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。").ToProblem();
        }

        return UploadKeys.MayManage(user)
            ? Results.Ok(await UploadKeys.ListAsync(db, id, ct))
            : new ForbiddenError("只有系统管理员和监管部门可以查看上传密钥。").ToProblem();
    }
}
