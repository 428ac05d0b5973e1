using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace MineRisk.Tests.Infrastructure;

public static class HttpAssert
{
    /// <summary>Asserts the status and returns the body as JSON.</summary>
    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"期望 {(int)expected}，实际 {(int)response.StatusCode}：{body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts a ProblemDetails answer with that status whose Chinese detail contains <paramref name="detailPart"/>.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected, string? detailPart = null)
    {
        var json = await JsonAsync(response, expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var detail = json.GetProperty("detail").GetString() ?? "";
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", detail);
        if (detailPart is not null)
        {
            Assert.Contains(detailPart, detail);
        }

        return detail;
    }

    public static Task<T?> ReadAsync<T>(this HttpResponseMessage response) => response.Content.ReadFromJsonAsync<T>(AppFixture.Json);
}
