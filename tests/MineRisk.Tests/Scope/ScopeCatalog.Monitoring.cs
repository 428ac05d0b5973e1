using System.Net;
using System.Net.Http.Json;
using System.Text;
using MineRisk.Tests.Infrastructure;

namespace MineRisk.Tests.Scope;

/// <summary>Monitoring's routes in the jurisdiction matrix.</summary>
public static partial class ScopeCatalog
{
    /// <summary>
    /// The alarm stream as a request the matrix can judge: reads it for a moment, sends the target's alarm meanwhile, and answers
    /// what arrived as the body (the owner must get the alarm, nobody else).
    /// </summary>
    private static async Task<HttpResponseMessage> StreamAsync(HttpClient client, ScopeTarget t)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var response = await client.GetAsync("/api/v1/alarms/stream", HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        var text = new StringBuilder();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(timeout.Token));
        var published = false;
        using var window = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        try
        {
            while (await reader.ReadLineAsync(window.Token) is { } line)
            {
                text.AppendLine(line);
                if (!published && line == "event: hello")
                {
                    published = true;
                    window.CancelAfter(TimeSpan.FromSeconds(1.5));
                    t.PublishAlarm();
                }

                if (line.StartsWith("data:", StringComparison.Ordinal) && line.Contains(t.AlarmMarker, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The window closed: whatever arrived is the answer.
        }

        response.Dispose();
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(text.ToString(), Encoding.UTF8) };
    }

    private static Func<HttpClient, ScopeTarget, Task<HttpResponseMessage>> PostPage(Func<ScopeTarget, string> url, Dictionary<string, string>? fields = null) =>
        async (client, t) => await AppFixture.PostFormAsync(client, url(t), fields ?? [], "/monitoring/alarms");

    private static void MonitoringCases(List<ScopeCase> cases) => cases.AddRange(
    [
        new("GET /api/v1/monitoring/overview", Expect.Hidden, Get(_ => "/api/v1/monitoring/overview"), t => t.AlarmMarker),
        new("GET /api/v1/monitoring/mines/{mineId:long}/points", Expect.Refused, Get(t => $"/api/v1/monitoring/mines/{t.MineId}/points"), t => t.PointMarker),
        new("GET /api/v1/monitoring/mines/{mineId:long}/files", Expect.Refused, Get(t => $"/api/v1/monitoring/mines/{t.MineId}/files"), t => t.FileMarker),
        new("GET /api/v1/alarms", Expect.Hidden, Get(_ => "/api/v1/alarms?pageSize=200"), t => t.AlarmMarker),
        new("GET /api/v1/alarms", Expect.Hidden, Get(t => $"/api/v1/alarms?mineId={t.MineId}"), t => t.AlarmMarker),
        new("GET /api/v1/alarms/export.xlsx", Expect.Hidden, async (c, t) => await AsText(await c.GetAsync($"/api/v1/alarms/export.xlsx?mineId={t.MineId}")), t => t.AlarmMarker),
        new("GET /api/v1/alarms/stream", Expect.Hidden, StreamAsync, t => t.AlarmMarker),
        new("GET /api/v1/alarms/{id:long}", Expect.Refused, Get(t => $"/api/v1/alarms/{t.AlarmId}"), t => t.AlarmMarker),
        new("POST /api/v1/alarms/{id:long}/acknowledge", Expect.Refused, Post(t => $"/api/v1/alarms/{t.AlarmId}/acknowledge"), After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
        new("POST /api/v1/alarms/{id:long}/dispose", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/alarms/{t.AlarmId}/dispose", new { cause = "越权", measures = "越权" }),
            After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
        new("POST /api/v1/alarms/{id:long}/hazard", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/alarms/{t.AlarmId}/hazard", new { professionalCategory = "瓦斯", deadline = "2026-07-01" }),
            After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
        new("GET /api/v1/mines/{id:long}/upload-keys", Expect.Refused, Get(t => $"/api/v1/mines/{t.MineId}/upload-keys")),
        new("POST /api/v1/mines/{id:long}/upload-keys", Expect.Refused, Post(t => $"/api/v1/mines/{t.MineId}/upload-keys"), After: ScopeTarget.KeysUntouchedAsync, OwnerControl: false),
        new("DELETE /api/v1/mines/{id:long}/upload-keys/{keyId:long}", Expect.Refused, (c, t) => c.DeleteAsync($"/api/v1/mines/{t.MineId}/upload-keys/{t.UploadKeyId}"),
            After: ScopeTarget.KeysUntouchedAsync, OwnerControl: false),
        new("PAGE /monitoring", Expect.Hidden, Get(_ => "/monitoring"), t => t.AlarmMarker),
        new("PAGE /monitoring/mines/{id:long}", Expect.Refused, Get(t => $"/monitoring/mines/{t.MineId}"), t => t.PointMarker),
        new("PAGE /monitoring/mines/{id:long}", Expect.Refused, Get(t => $"/monitoring/mines/{t.MineId}?handler=Points"), t => t.PointMarker),
        new("PAGE /monitoring/mines/{id:long}/files", Expect.Refused, Get(t => $"/monitoring/mines/{t.MineId}/files"), t => t.FileMarker),
        new("PAGE /monitoring/mines/{id:long}/files", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/monitoring/mines/{t.MineId}/files?handler=CreateKey", [], "/monitoring/alarms"),
            After: ScopeTarget.KeysUntouchedAsync, OwnerControl: false),
        new("PAGE /monitoring/mines/{id:long}/files", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/monitoring/mines/{t.MineId}/files?handler=RevokeKey",
            new() { ["keyId"] = t.UploadKeyId.ToString(System.Globalization.CultureInfo.InvariantCulture) }, "/monitoring/alarms"), After: ScopeTarget.KeysUntouchedAsync, OwnerControl: false),
        new("PAGE /monitoring/alarms", Expect.Hidden, Get(_ => "/monitoring/alarms?active=true"), t => t.AlarmMarker),
        new("PAGE /monitoring/alarms", Expect.Refused, PostPage(t => $"/monitoring/alarms?handler=Acknowledge&id={t.AlarmId}"), After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
        new("PAGE /monitoring/alarms/{id:long}", Expect.Refused, Get(t => $"/monitoring/alarms/{t.AlarmId}"), t => t.AlarmMarker),
        new("PAGE /monitoring/alarms/{id:long}", Expect.Refused, PostPage(t => $"/monitoring/alarms/{t.AlarmId}?handler=Acknowledge"), After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
        new("PAGE /monitoring/alarms/{id:long}", Expect.Refused, PostPage(t => $"/monitoring/alarms/{t.AlarmId}?handler=Dispose", new() { ["Form.Cause"] = "越权", ["Form.Measures"] = "越权" }),
            After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
        new("PAGE /monitoring/alarms/{id:long}", Expect.Refused, PostPage(t => $"/monitoring/alarms/{t.AlarmId}?handler=RegisterHazard",
            new() { ["Hazard.ProfessionalCategory"] = "瓦斯", ["Hazard.Deadline"] = "2026-07-01" }), After: ScopeTarget.AlarmUntouchedAsync, OwnerControl: false),
    ]);

    private static void MonitoringUnscoped(Dictionary<string, string> routes)
    {
        routes["PUT /api/v1/feeds/{fileName}"] = "煤矿以本矿上传密钥上传，不使用用户身份；密钥只对其煤矿有效（见 FeedIntakeTests 的 key-of-another-mine 等用例）";
        routes["GET /api/v1/monitoring/intake"] = "仅系统管理员可见的本实例接入计数，不含任何煤矿的数据";
    }
}
