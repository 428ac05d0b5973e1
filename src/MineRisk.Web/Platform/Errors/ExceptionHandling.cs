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

    [LoggerMessage(Level = LogLevel.Warning, Message = "数据库暂不可用：{Message}")]
    private partial void LogDatabaseUnavailable(string message);
}
