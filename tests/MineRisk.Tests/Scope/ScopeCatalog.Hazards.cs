using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Platform.Attachments;

namespace MineRisk.Tests.Scope;

/// <summary>The hazard module's routes in the jurisdiction matrix.</summary>
public static partial class ScopeCatalog
{
    /// <summary>The county's statistics as text: "LEAK" when they count any hazard of the target's county.</summary>
    private static async Task<HttpResponseMessage> HazardStatsOf(HttpClient client, ScopeTarget t)
    {
        var response = await client.GetAsync($"/api/v1/hazards/stats?regionCode={t.CountyCode}&from=2026-01-01&to=2026-06-30");
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var counted = json.GetProperty("found").GetInt32() + json.GetProperty("openMajor").GetInt32() + json.GetProperty("listed").GetInt32();
        return new HttpResponseMessage(response.StatusCode) { Content = new StringContent(counted > 0 ? $"LEAK {counted}" : "none", Encoding.UTF8) };
    }

    private static Task<HttpResponseMessage> UploadPhotoTo(HttpClient client, ScopeTarget t)
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };
        var content = new MultipartFormDataContent { { new ByteArrayContent(png), "file", "越权照片.png" }, { new StringContent("before"), "stage" } };
        return client.PostAsync($"/api/v1/hazards/{t.HazardId}/attachments", content);
    }

    private static async Task HazardsUnchanged(AppFixture app, ScopeTarget t)
    {
        var (hazards, open, closed, revisits, pending, photos) = await app.WithDbAsync(async db => (
            await db.Set<Hazard>().IgnoreQueryFilters().CountAsync(h => h.MineId == t.MineId),
            await db.Set<Hazard>().IgnoreQueryFilters().Where(h => h.Id == t.HazardId).Select(h => new { h.State, h.ListedAt, h.DelistedAt, h.Version }).SingleAsync(),
            await db.Set<Hazard>().IgnoreQueryFilters().Where(h => h.Id == t.ClosedHazardId).Select(h => h.State).SingleAsync(),
            await db.Set<Revisit>().IgnoreQueryFilters().CountAsync(r => r.MineId == t.MineId),
            await db.Set<RevisitItem>().CountAsync(i => i.RevisitId == t.RevisitId && i.Outcome == RevisitOutcome.Pending),
            await db.Set<Attachment>().IgnoreQueryFilters().CountAsync(a => a.FileName == "越权照片.png")));
        Assert.Equal(3, hazards);
        Assert.Equal(HazardState.Graded, open.State);
        Assert.NotNull(open.ListedAt);
        Assert.Null(open.DelistedAt);
        Assert.Equal(1, open.Version);
        Assert.Equal(HazardState.Closed, closed);
        Assert.Equal(1, revisits);
        Assert.Equal(1, pending);
        Assert.Equal(0, photos);
    }

    private static void HazardsCases(List<ScopeCase> cases)
    {
        cases.AddRange(
        [
            new("GET /api/v1/hazards", Expect.Hidden, Get(_ => "/api/v1/hazards?pageSize=200&listed=true"), t => t.HazardNumber, OwnerControl: false),
            new("GET /api/v1/hazards", Expect.Hidden, Get(t => $"/api/v1/hazards?q={t.HazardNumber}"), t => t.HazardDescription),
            new("GET /api/v1/hazards", Expect.Hidden, Get(t => $"/api/v1/hazards?mineId={t.MineId}"), t => t.HazardDescription),
            new("GET /api/v1/hazards/{id:long}", Expect.Refused, Get(t => $"/api/v1/hazards/{t.HazardId}"), t => t.HazardNumber),
            new("GET /api/v1/hazards/export.xlsx", Expect.Hidden, async (c, t) => await AsText(await c.GetAsync($"/api/v1/hazards/export.xlsx?mineId={t.MineId}")), t => t.HazardNumber),
            new("GET /api/v1/hazards/stats", Expect.Hidden, HazardStatsOf, _ => "LEAK"),
            new("GET /api/v1/hazards/closure-candidates", Expect.Hidden, Get(_ => "/api/v1/hazards/closure-candidates"), t => t.MineName),
            new("GET /api/v1/hazards/rectifiers", Expect.Refused, Get(t => $"/api/v1/hazards/rectifiers?mineId={t.MineId}")),
            new("POST /api/v1/hazards", Expect.Rejected, (c, t) => c.PostAsJsonAsync("/api/v1/hazards", new
            {
                mineId = t.MineId, location = "越权地点", description = "越权登记的隐患", source = "inspection", professionalCategory = "通风", deadline = "2027-01-01",
            }), After: HazardsUnchanged, OwnerControl: false),
            new("POST /api/v1/hazards/{id:long}/transitions", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/hazards/{t.HazardId}/transitions",
                new { action = "delist", note = "越权销牌" }), After: HazardsUnchanged, OwnerControl: false),
            new("POST /api/v1/hazards/{id:long}/transitions", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/hazards/{t.ClosedHazardId}/transitions",
                new { action = "reopen", note = "越权重新打开", deadline = "2027-01-01" }), After: HazardsUnchanged, OwnerControl: false),
            new("POST /api/v1/hazards/{id:long}/attachments", Expect.Refused, UploadPhotoTo, After: HazardsUnchanged, OwnerControl: false),
            new("GET /api/v1/hazards/revisits", Expect.Hidden, Get(_ => "/api/v1/hazards/revisits"), t => t.RevisitNumber),
            new("GET /api/v1/hazards/revisits", Expect.Hidden, Get(t => $"/api/v1/hazards/revisits?mineId={t.MineId}"), t => t.RevisitNumber),
            new("GET /api/v1/hazards/revisits/{id:long}", Expect.Refused, Get(t => $"/api/v1/hazards/revisits/{t.RevisitId}"), t => t.RevisitNumber),
            new("POST /api/v1/hazards/revisits", Expect.Rejected, (c, t) => c.PostAsJsonAsync("/api/v1/hazards/revisits",
                new { mineId = t.MineId, scheduledOn = "2026-07-01", hazardIds = new[] { t.ClosedHazardId } }), After: HazardsUnchanged, OwnerControl: false),
            new("POST /api/v1/hazards/revisits/{id:long}/items/{hazardId:long}", Expect.Refused, (c, t) => c.PostAsJsonAsync(
                $"/api/v1/hazards/revisits/{t.RevisitId}/items/{t.ClosedHazardId}", new { outcome = "reopened", note = "越权", deadline = "2027-01-01" }),
                After: HazardsUnchanged, OwnerControl: false),
            new("GET /api/v1/mines/{mineId:long}/hazards/quarterly.xlsx", Expect.Refused, Get(t => $"/api/v1/mines/{t.MineId}/hazards/quarterly.xlsx?year=2026&quarter=2")),
            new("PAGE /hazards/list", Expect.Hidden, Get(t => $"/hazards/list?q={t.HazardNumber}"), t => t.HazardDescription),
            new("PAGE /hazards/list", Expect.Hidden, Get(_ => "/hazards/list?listed=true"), t => t.HazardDescription, OwnerControl: false),
            new("PAGE /hazards", Expect.Hidden, Get(_ => "/hazards"), t => t.MineName),
            new("PAGE /hazards/new", Expect.Hidden, Get(_ => "/hazards/new"), t => t.MineName),
            new("PAGE /hazards/new", Expect.Hidden, Get(t => $"/hazards/new?handler=Rectifiers&Form.MineId={t.MineId}"), t => t.OrganisationName, OwnerControl: false),
            new("PAGE /hazards/new", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, "/hazards/new", new()
            {
                ["Form.MineId"] = Id(t.MineId), ["Form.Location"] = "越权地点", ["Form.Description"] = "越权登记的隐患", ["Form.ProfessionalCategory"] = "通风",
                ["Form.Deadline"] = "2027-01-01",
            }, "/hazards"), After: HazardsUnchanged, OwnerControl: false),
            new("PAGE /hazards/{id:long}", Expect.Refused, Get(t => $"/hazards/{t.HazardId}"), t => t.HazardNumber),
            new("PAGE /hazards/{id:long}", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/hazards/{t.ClosedHazardId}?handler=Act",
                new() { ["action"] = "reopen", ["note"] = "越权重新打开", ["deadline"] = "2027-01-01" }, "/hazards"), After: HazardsUnchanged, OwnerControl: false),
            new("PAGE /hazards/revisits", Expect.Hidden, Get(_ => "/hazards/revisits"), t => t.RevisitNumber),
            new("PAGE /hazards/revisits", Expect.Refused, Get(t => $"/hazards/revisits?mineId={t.MineId}"), t => t.RevisitNumber),
            new("PAGE /hazards/revisits", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/hazards/revisits?mineId={t.MineId}",
                new() { ["mineId"] = Id(t.MineId), ["scheduledOn"] = "2026-07-01", ["sample"] = "3" }, "/hazards"), After: HazardsUnchanged, OwnerControl: false),
            new("PAGE /hazards/revisits/{id:long}", Expect.Refused, Get(t => $"/hazards/revisits/{t.RevisitId}"), t => t.RevisitNumber),
            new("PAGE /hazards/revisits/{id:long}", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/hazards/revisits/{t.RevisitId}",
                new() { ["hazardId"] = Id(t.ClosedHazardId), ["outcome"] = "reopened", ["note"] = "越权", ["deadline"] = "2027-01-01" }, "/hazards"),
                After: HazardsUnchanged, OwnerControl: false),
        ]);
    }

    private static string Id(long id) => id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static void HazardsUnscoped(Dictionary<string, string> routes)
    {
        routes["PAGE /hazards/taxonomy"] = "重大事故隐患判定标准（参考数据）";
        routes["GET /api/v1/hazards/taxonomy"] = "重大事故隐患判定标准是全国通用的参考数据，不属于任何辖区";
    }
}
