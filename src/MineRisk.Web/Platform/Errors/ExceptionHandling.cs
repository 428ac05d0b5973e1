using System.Data.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace MineRisk.Web.Platform.Errors;

/// <summary>
/// Unexpected failures: logged with their stack, answered without it. An unreachable database is a 503 (retry
/// later), anything else a 500; API callers get ProblemDetails, people the friendly error page.
/// </summary>
public sealed partial class ExceptionHandling(ILogger<ExceptionHandling> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        // The middleware has already switched the path to /error/500; the feature keeps the original one.
        var path = http.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? http.Request.Path.Value ?? "";
        if (exception is BadHttpRequestException bad)
        {
            return await BadRequestAsync(http, bad, path);
        }

        var unavailable = IsDatabaseUnavailable(exception);
        var status = unavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status500InternalServerError;
        if (unavailable)
        {
            LogDatabaseUnavailable(exception.Message);
            http.Response.Headers.RetryAfter = "5";
        }
        else
        {
            LogUnhandled(exception, http.Request.Method, path);
        }

        http.Response.StatusCode = status;
        if (!new PathString(path).StartsWithSegments("/api"))
        {
            return false; // the page pipeline re-executes /error/{status}
        }

        var problem = new ProblemDetails { Status = status, Title = ErrorResults.Title(status), Detail = ErrorResults.DefaultDetail(status) };
        problem.Extensions["traceId"] = http.TraceIdentifier;
        await TypedResults.Problem(problem).ExecuteAsync(http);
        return true;
    }

    /// <summary>
    /// A request the server could not read (malformed JSON, a value of the wrong type, a body over its limit): the
    /// caller's mistake, answered with its status and, for JSON, the field at fault — not logged as an error.
    /// </summary>
    private async Task<bool> BadRequestAsync(HttpContext http, BadHttpRequestException bad, string path)
    {
        LogBadRequest(http.Request.Method, path, bad.InnerException?.Message ?? bad.Message);
        http.Response.StatusCode = bad.StatusCode;
        if (!new PathString(path).StartsWithSegments("/api"))
        {
            return false;
        }

        var detail = bad.StatusCode == StatusCodes.Status413PayloadTooLarge ? "请求内容超过大小限制。" : "请求内容无法读取，请检查格式。";
        var problem = new ProblemDetails { Status = bad.StatusCode, Title = ErrorResults.Title(bad.StatusCode), Detail = detail };
        if (bad.InnerException is System.Text.Json.JsonException json)
        {
            var field = json.Path is { Length: > 2 } jsonPath && jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : null;
            problem.Detail = field is null ? "请求内容不是有效的 JSON。" : $"字段 {field} 的值无效（类型或取值不对）。";
            if (field is not null)
            {
                problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [problem.Detail] };
            }
        }
        else if (ParameterPattern().Match(bad.Message) is { Success: true } parameter)
        {
            var name = parameter.Groups["name"].Value;
            problem.Detail = parameter.Groups["value"].Success
                ? $"参数 {name} 的值「{parameter.Groups["value"].Value}」格式不对。"
                : $"缺少必填参数 {name}。";
            problem.Extensions["errors"] = new Dictionary<string, string[]> { [name] = [problem.Detail] };
        }

        problem.Extensions["traceId"] = http.TraceIdentifier;
        await TypedResults.Problem(problem).ExecuteAsync(http);
        return true;
    }

    // The framework's wording: Required parameter "long mineId" was not provided…; Failed to bind parameter "int page" from "x".
    [System.Text.RegularExpressions.GeneratedRegex("parameter \"\\S+ (?<name>\\w+)\"(?: from \"(?<value>[^\"]*)\")?")]
    private static partial System.Text.RegularExpressions.Regex ParameterPattern();

    public static bool IsDatabaseUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Npgsql.NpgsqlException { IsTransient: true }:
                case Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "55000" } or Npgsql.PostgresException { SqlState: ['0', '8', ..] }:
                case TimeoutException:
                case System.Net.Sockets.SocketException:
                    return true;
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 }: // SQLITE_BUSY, SQLITE_LOCKED
                    return true;
                case DbException when e.Message.Contains("connection", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("refused", StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "未处理的异常：{Method} {Path}")]
    private partial void LogUnhandled(Exception ex, string method, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "无法读取的请求：{Method} {Path}：{Reason}")]
    private partial void LogBadRequest(string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "数据库暂不可用：{Message}")]
    private partial void LogDatabaseUnavailable(string message);
}
