using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace MineRisk.Web.Platform.Errors;

/// <summary>The one place where expected failures become HTTP answers (ProblemDetails, zh-CN).</summary>
public static class ErrorResults
{
    public static int StatusCode(this Error error) => error switch
    {
        NotFoundError => StatusCodes.Status404NotFound,
        UnauthorizedError => StatusCodes.Status401Unauthorized,
        LockedError => StatusCodes.Status423Locked,
        ForbiddenError => StatusCodes.Status403Forbidden,
        ConflictError => StatusCodes.Status409Conflict,
        ValidationError => StatusCodes.Status400BadRequest,
        TooLargeError => StatusCodes.Status413PayloadTooLarge,
        UnsupportedTypeError => StatusCodes.Status415UnsupportedMediaType,
        UnprocessableError => StatusCodes.Status422UnprocessableEntity,
        _ => StatusCodes.Status400BadRequest,
    };

    /// <summary>Chinese titles for the status codes the API answers with.</summary>
    public static string Title(int status) => status switch
    {
        400 => "请求有误",
        401 => "未登录或登录已失效",
        403 => "无权执行此操作",
        404 => "未找到",
        405 => "不支持该请求方法",
        409 => "操作冲突",
        413 => "文件过大",
        415 => "文件类型不支持",
        422 => "内容无法处理",
        423 => "账户已锁定",
        429 => "请求过于频繁",
        500 => "服务器内部错误",
        503 => "服务暂不可用",
        _ => "请求未能完成",
    };

    /// <summary>A default zh-CN detail for a bare status code (e.g. a 401 from the authentication handler).</summary>
    public static string DefaultDetail(int status) => status switch
    {
        401 => "请先登录；如果已登录，登录凭据可能已过期或无效，请重新登录。",
        403 => "您的角色或管辖范围不允许执行此操作。",
        404 => "未找到该资源，或该资源不在您的管辖范围内。",
        405 => "该地址不支持此请求方法。",
        500 => "服务器处理请求时出错，已记录日志。请稍后重试或联系管理员。",
        503 => "数据库暂时不可用，请稍后重试。",
        _ => Title(status),
    };

    public static ProblemHttpResult ToProblem(this Error error)
    {
        var status = error.StatusCode();
        var problem = new ProblemDetails { Status = status, Title = Title(status), Detail = error.Message };
        if (error is ValidationError { Fields: { Count: > 0 } fields })
        {
            problem.Extensions["errors"] = fields;
        }

        return TypedResults.Problem(problem);
    }

    public static IResult ToHttpResult<T>(this Result<T> result, Func<T, IResult> onOk) =>
        result.TryGetError(out var error) ? error.ToProblem() : onOk(result.Value);

    public static IResult ToHttpResult(this Result result, Func<IResult> onOk) =>
        result.TryGetError(out var error) ? error.ToProblem() : onOk();
}
