using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MineRisk.Bench;

/// <summary>One client of the running app, signed in as one user: bearer token for the API, cookie for pages.</summary>
public sealed partial class AppClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly CookieContainer _cookies = new();

    public AppClient(string baseUrl)
    {
        // One keep-alive connection, no decompression: a sequential client that adds as little as possible.
        var handler = new SocketsHttpHandler
        {
            CookieContainer = _cookies,
            UseCookies = true,
            AllowAutoRedirect = false,
            MaxConnectionsPerServer = 1,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri(baseUrl.TrimEnd('/') + "/"), Timeout = TimeSpan.FromMinutes(2) };
    }

    public string? Token { get; private set; }

    /// <summary>
    /// The server's own time of every response so far, in request order: its <c>Server-Timing: app;dur=</c> header (the app
    /// from the request's arrival in its pipeline to its response's headers), NaN where a response has none.
    /// </summary>
    public List<double> ServerMs { get; } = [];

    /// <summary>The server's times of the last <paramref name="count"/> responses after <paramref name="mark"/> (a count of <see cref="ServerMs"/> taken before them).</summary>
    public List<double> LastServerMs(int mark, int count) => ServerMs.Skip(Math.Max(mark, ServerMs.Count - count)).ToList();

    public async Task LoginAsync(string user, string password)
    {
        var response = await _http.PostAsJsonAsync("api/v1/auth/login", new { userName = user, password });
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"API sign-in as {user} failed: {(int)response.StatusCode} {body}");
        }

        Token = JsonDocument.Parse(body).RootElement.GetProperty("accessToken").GetString();
    }

    /// <summary>Signs in through the login form; returns the <c>Cookie</c> header value of the sign-in cookie.</summary>
    public async Task<string> CookieLoginAsync(string user, string password)
    {
        var form = await _http.GetStringAsync("account/login");
        var token = AntiforgeryField().Match(form);
        if (!token.Success)
        {
            throw new InvalidOperationException("the login page has no __RequestVerificationToken field");
        }

        var response = await _http.PostAsync("account/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user,
            ["Password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        }));
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"form sign-in as {user} failed: {(int)response.StatusCode}");
        }

        // The authentication cookie (possibly chunked: minerisk.auth, minerisk.authC1, ...) and the antiforgery cookie, as a
        // browser sends them with every page: without the latter every page would mint and set a new one.
        var sent = _cookies.GetCookies(_http.BaseAddress!)
            .Where(c => c.Name.StartsWith("minerisk.auth", StringComparison.Ordinal) || c.Name == "minerisk.af").ToList();
        if (!sent.Any(c => c.Name.StartsWith("minerisk.auth", StringComparison.Ordinal)))
        {
            throw new InvalidOperationException("no minerisk.auth cookie after sign-in");
        }

        return string.Join("; ", sent.Select(c => $"{c.Name}={c.Value}"));
    }

    /// <summary>A GET timed from sending the request to the last byte of the body.</summary>
    public async Task<(double Ms, HttpStatusCode Status, byte[] Body)> GetAsync(string path, bool bearer = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        if (bearer && Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        var watch = Stopwatch.StartNew();
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        var body = await response.Content.ReadAsByteArrayAsync();
        var ms = watch.Elapsed.TotalMilliseconds;
        ServerMs.Add(ServerTime(response));
        return (ms, response.StatusCode, body);
    }

    /// <summary>The time of a GET (<see cref="GetAsync"/>); an answer other than 200 calls <paramref name="failed"/>.</summary>
    public async Task<double> TimeOkAsync(string path, Action failed)
    {
        var (ms, status, _) = await GetAsync(path);
        if (status != HttpStatusCode.OK)
        {
            failed();
        }

        return ms;
    }

    public void Dispose() => _http.Dispose();

    private static double ServerTime(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("Server-Timing", out var values)
            && ServerTimingApp().Match(string.Join(",", values)) is { Success: true } match)
        {
            return double.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        return double.NaN;
    }

    [GeneratedRegex(@"(?:^|,)\s*app;dur=([0-9.]+)")]
    private static partial Regex ServerTimingApp();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
