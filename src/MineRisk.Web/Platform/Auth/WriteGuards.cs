using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// The two checks every state-changing API request passes, in one place: a read-only user (领导) is refused, and a
/// request authenticated by the browser cookie (not a bearer token) must carry the antiforgery token (CSRF).
/// </summary>
public sealed class ApiWriteGuard(CurrentUser user, IAntiforgery antiforgery) : IEndpointFilter
{
    public const string ReadOnlyMessage = "领导(只读)账号只能查看，不能修改数据。";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method) || HttpMethods.IsOptions(http.Request.Method))
        {
            return await next(context);
        }

        var endpoint = http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<AllowReadOnlyAttribute>() is null && user.IsReadOnly)
        {
            return new ForbiddenError(ReadOnlyMessage).ToProblem();
        }

        var usesCookie = user.IsAuthenticated && !http.Request.Headers.Authorization.Any(h => h?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true);
        if (usesCookie && !await antiforgery.IsRequestValidAsync(http))
        {
            return new ValidationError("请求缺少有效的防伪令牌（请刷新页面后重试）。").ToProblem();
        }

        return await next(context);
    }
}

/// <summary>The read-only rule for page handlers (forms have their antiforgery token checked by Razor Pages itself).</summary>
public sealed class PageWriteGuard(CurrentUser user) : IAsyncPageFilter
{
    /// <summary>HttpContext item the error page shows as its explanation.</summary>
    public const string ErrorDetailKey = "mr:error-detail";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        var method = context.HttpContext.Request.Method;
        var writes = !(HttpMethods.IsGet(method) || HttpMethods.IsHead(method));
        var exempt = context.ActionDescriptor.EndpointMetadata.OfType<AllowReadOnlyAttribute>().Any()
                     || context.HandlerMethod?.MethodInfo.IsDefined(typeof(AllowReadOnlyAttribute), false) == true;
        if (writes && !exempt && user.IsReadOnly)
        {
            context.HttpContext.Items[ErrorDetailKey] = ApiWriteGuard.ReadOnlyMessage;
            context.Result = new StatusCodeResult(StatusCodes.Status403Forbidden);
            return;
        }

        await next();
    }
}
