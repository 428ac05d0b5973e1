using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;

namespace MineRisk.Tests.Features.Mines;

/// <summary>Builds valid mine requests with good defaults; tests change only what they are about.</summary>
public static class MineBuilder
{
    private static int _serial;

    /// <summary>A fresh 12-digit code in a county's range (unique per test run).</summary>
    public static string NewCode(string county = "530302") =>
        county + (900000 + (Interlocked.Increment(ref _serial) * 7 % 99999) + Random.Shared.Next(0, 1)).ToString("000000", System.Globalization.CultureInfo.InvariantCulture)[^6..];

    public static Dictionary<string, object?> Valid(long enterpriseId, string township = "530302101", string? code = null) => new()
    {
        ["code"] = code ?? NewCode(township[..6]),
        ["name"] = $"测试煤矿{Guid.NewGuid():N}"[..12],
        ["enterpriseId"] = enterpriseId,
        ["regionCode"] = township,
        ["address"] = "越州镇测试村",
        ["longitude"] = 103.8,
        ["latitude"] = 25.4,
        ["status"] = "producing",
        ["disposition"] = "retain",
        ["designCapacity"] = 60,
        ["approvedCapacity"] = 45,
        ["miningMethod"] = "mechanized",
        ["gasLevel"] = "high",
        ["hydroType"] = "medium",
        ["rockBurst"] = false,
        ["combustion"] = "prone",
        ["standardization"] = "level2",
        ["shiftPersonnelLimit"] = 100,
        ["miningDepth"] = 400,
    };

    public static Dictionary<string, object?> With(this Dictionary<string, object?> body, string key, object? value)
    {
        var copy = new Dictionary<string, object?>(body) { [key] = value };
        return copy;
    }

    /// <summary>An enterprise that owns a mine in 麒麟区 (so 麒麟区 users may pick it).</summary>
    public static Task<long> QilinEnterpriseAsync(AppFixture app) =>
        app.WithDbAsync(db => db.Set<Mine>().Where(m => m.RegionCode.StartsWith("530302")).Select(m => m.EnterpriseId!.Value).FirstAsync());

    public static async Task<(long Id, int Version)> CreateAsync(AppFixture app, HttpClient client, Dictionary<string, object?> body)
    {
        var created = await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/mines", body), HttpStatusCode.Created);
        return (created.GetProperty("id").GetInt64(), created.GetProperty("version").GetInt32());
    }

    public static string Field(this JsonElement problem, string field) =>
        string.Join("", problem.GetProperty("errors").GetProperty(field).EnumerateArray().Select(e => e.GetString()));
}
