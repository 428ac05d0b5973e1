using System.Diagnostics;
using System.Globalization;

namespace MineRisk.Web.Platform;

/// <summary>
/// Tells every response how long the server took with it: <c>Server-Timing: app;dur=1.234</c> (W3C Server Timing, shown by
/// a browser's developer tools beside the network time), in milliseconds from the moment this middleware — the first of
/// the pipeline — saw the request to the moment the response's headers are sent (for a streamed file such as an export,
/// its first bytes). What it leaves out is the client's and the network's share: reading the request off the socket,
/// the loopback or the network, the client itself. DESIGN §4 states the ledgers' targets "on the server"; the benchmarks
/// read this header beside their own clock.
/// </summary>
public static class ServerTiming
{
    public const string Header = "Server-Timing";

    public static IApplicationBuilder UseServerTiming(this IApplicationBuilder app) => app.Use(static (http, next) =>
    {
        var started = Stopwatch.GetTimestamp();
        http.Response.OnStarting(static state =>
        {
            var (response, started) = ((HttpResponse, long))state;
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            response.Headers[Header] = string.Create(CultureInfo.InvariantCulture, $"app;dur={ms:0.###}");
            return Task.CompletedTask;
        }, (http.Response, started));
        return next(http);
    });
}
