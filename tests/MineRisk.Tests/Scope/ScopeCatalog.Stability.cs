using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Tests.Scope;

/// <summary>The stability module's routes in the jurisdiction matrix.</summary>
public static partial class ScopeCatalog
{
    /// <summary>The region summary as text: "LEAK" when it counts anything of the target's county.</summary>
    private static async Task<HttpResponseMessage> SummaryOf(HttpClient client, ScopeTarget t)
    {
        var response = await client.GetAsync($"/api/v1/stability/summary?regionCode={t.CountyCode}");
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        var total = json.EnumerateObject().Sum(p => p.Value.GetInt32());
        return new HttpResponseMessage(response.StatusCode) { Content = new StringContent(total > 0 ? $"LEAK {total}" : "none", Encoding.UTF8) };
    }

    private static async Task<HttpResponseMessage> ImportConflictInto(HttpClient client, ScopeTarget t)
    {
        var columns = ConflictSheet.Columns;
        var row = new object?[columns.Count];
        void Set(string column, object value) => row[columns.Select(c => c.Header).ToList().IndexOf(column)] = value;
        Set("煤矿编码", t.MineCode);
        Set("类别", "欠薪");
        Set("矛盾描述", "越权导入的不稳定因素");
        Set("包案领导账号", "city");
        Set("化解期限", new DateOnly(2027, 6, 1));
        using var file = new MemoryStream();
        await XlsxWriter.WriteAsync(file, "台账", columns, [row], CancellationToken.None);
        return await client.PostAsync("/api/v1/conflicts/import", new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "台账.xlsx" } });
    }

    private static async Task StabilityUnchanged(AppFixture app, ScopeTarget t)
    {
        var (conflicts, state, assessments, forces, patrols) = await app.WithDbAsync(async db => (
            await db.Set<Conflict>().CountAsync(c => c.MineId == t.MineId),
            await db.Set<Conflict>().Where(c => c.Id == t.ConflictId).Select(c => c.State).SingleAsync(),
            await db.Set<Assessment>().CountAsync(a => a.MineId == t.MineId),
            await db.Set<TaskForce>().CountAsync(f => f.MineId == t.MineId),
            await db.Set<PatrolLog>().CountAsync(p => p.MineId == t.MineId)));
        Assert.Equal(1, conflicts);
        Assert.Equal(ConflictState.Registered, state);
        Assert.Equal(1, assessments);
        Assert.Equal(1, forces);
        Assert.Equal(0, patrols);
    }

    private static void StabilityCases(List<ScopeCase> cases)
    {
        var scores = new { mineId = 0L, scores = new Dictionary<string, double> { ["wage_arrears"] = 5 } };
        cases.AddRange(
        [
            new("GET /api/v1/assessments", Expect.Hidden, Get(_ => "/api/v1/assessments?pageSize=200"), t => t.AssessmentNumber, OwnerControl: false),
            new("GET /api/v1/assessments", Expect.Hidden, Get(t => $"/api/v1/assessments?mineId={t.MineId}"), t => t.AssessmentNumber),
            new("GET /api/v1/assessments/{id:long}", Expect.Refused, Get(t => $"/api/v1/assessments/{t.AssessmentId}"), t => t.AssessmentNumber),
            new("GET /api/v1/assessments/evidence", Expect.Refused, Get(t => $"/api/v1/assessments/evidence?mineId={t.MineId}")),
            new("POST /api/v1/assessments", Expect.Rejected, (c, t) => c.PostAsJsonAsync("/api/v1/assessments", scores with { mineId = t.MineId }), After: StabilityUnchanged, OwnerControl: false),
            new("PUT /api/v1/assessments/{id:long}", Expect.Refused, (c, t) => c.PutAsJsonAsync($"/api/v1/assessments/{t.AssessmentId}", scores), After: StabilityUnchanged, OwnerControl: false),
            new("POST /api/v1/assessments/{id:long}/submit", Expect.Refused, Post(t => $"/api/v1/assessments/{t.AssessmentId}/submit"), OwnerControl: false),
            new("POST /api/v1/assessments/{id:long}/approve", Expect.Refused, Post(t => $"/api/v1/assessments/{t.AssessmentId}/approve"), OwnerControl: false),
            new("POST /api/v1/assessments/{id:long}/return", Expect.Refused, Post(t => $"/api/v1/assessments/{t.AssessmentId}/return"), OwnerControl: false),
            new("GET /api/v1/stability/summary", Expect.Hidden, SummaryOf, _ => "LEAK"),
            new("GET /api/v1/stability/compliance", Expect.Hidden, Get(_ => "/api/v1/stability/compliance"), t => t.MineName),
            new("GET /api/v1/conflicts", Expect.Hidden, Get(_ => "/api/v1/conflicts?pageSize=200"), t => t.ConflictNumber, OwnerControl: false),
            new("GET /api/v1/conflicts", Expect.Hidden, Get(t => $"/api/v1/conflicts?q={t.ConflictNumber}"), t => t.ConflictDescription),
            new("GET /api/v1/conflicts/export.xlsx", Expect.Hidden, async (c, t) => await AsText(await c.GetAsync($"/api/v1/conflicts/export.xlsx?mineId={t.MineId}")), t => t.ConflictNumber),
            new("POST /api/v1/conflicts/import", Expect.Rejected, ImportConflictInto, After: StabilityUnchanged, OwnerControl: false),
            new("GET /api/v1/conflicts/summary", Expect.Hidden, Get(_ => "/api/v1/conflicts/summary?month=2026-06"), t => t.RegionMarker),
            new("GET /api/v1/conflicts/summary.xlsx", Expect.Hidden, async (c, _) => await AsText(await c.GetAsync("/api/v1/conflicts/summary.xlsx?month=2026-06")), t => t.RegionMarker),
            new("GET /api/v1/conflicts/leaders", Expect.Refused, Get(t => $"/api/v1/conflicts/leaders?mineId={t.MineId}")),
            new("GET /api/v1/conflicts/{id:long}", Expect.Refused, Get(t => $"/api/v1/conflicts/{t.ConflictId}"), t => t.ConflictNumber),
            new("POST /api/v1/conflicts", Expect.Rejected, (c, t) => c.PostAsJsonAsync("/api/v1/conflicts", new { mineId = t.MineId, category = "wageArrears", description = "越权", leaderUserId = 1, deadline = "2027-01-01" }), After: StabilityUnchanged, OwnerControl: false),
            new("POST /api/v1/conflicts/{id:long}/transitions", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/conflicts/{t.ConflictId}/transitions", new { action = "start" }), After: StabilityUnchanged, OwnerControl: false),
            new("POST /api/v1/conflicts/{id:long}/notes", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/conflicts/{t.ConflictId}/notes", new { text = "越权进展" }), OwnerControl: false),
            new("GET /api/v1/task-forces", Expect.Hidden, Get(_ => "/api/v1/task-forces"), t => t.TaskForceName),
            new("GET /api/v1/task-forces/{id:long}", Expect.Refused, Get(t => $"/api/v1/task-forces/{t.TaskForceId}"), t => t.TaskForceName),
            new("POST /api/v1/task-forces", Expect.Rejected, (c, t) => c.PostAsJsonAsync("/api/v1/task-forces", new { mineId = t.MineId, leaderName = "越权", watchTarget = "x", watchDuty = "x", members = new[] { new { name = "a", organisation = "b" } } }), After: StabilityUnchanged, OwnerControl: false),
            new("POST /api/v1/task-forces/{id:long}/patrols", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/task-forces/{t.TaskForceId}/patrols", new { date = "2026-06-10", observation = "越权巡查" }), After: StabilityUnchanged, OwnerControl: false),
            new("GET /api/v1/mines/{mineId:long}/ten-items", Expect.Refused, Get(t => $"/api/v1/mines/{t.MineId}/ten-items")),
            new("PUT /api/v1/mines/{mineId:long}/ten-items/{item}", Expect.Refused, (c, t) => c.PutAsJsonAsync($"/api/v1/mines/{t.MineId}/ten-items/visits", new { done = true }), OwnerControl: false),
            new("PAGE /stability", Expect.Hidden, Get(_ => "/stability"), t => t.MineName),
            new("PAGE /stability/conflicts", Expect.Hidden, Get(t => $"/stability/conflicts?q={t.ConflictNumber}"), t => t.ConflictDescription[..8]),
            new("PAGE /stability/conflicts/new", Expect.Hidden, Get(_ => "/stability/conflicts/new"), t => t.MineName),
            new("PAGE /stability/conflicts/new", Expect.Hidden, Get(t => $"/stability/conflicts/new?handler=Leaders&Form.MineId={t.MineId}"), t => t.Owner, OwnerControl: false),
            new("PAGE /stability/conflicts/{id:long}", Expect.Refused, Get(t => $"/stability/conflicts/{t.ConflictId}"), t => t.ConflictNumber),
            new("PAGE /stability/conflicts/{id:long}", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/stability/conflicts/{t.ConflictId}?handler=Transition",
                new() { ["action"] = "Start" }, "/stability"), After: StabilityUnchanged, OwnerControl: false),
            new("PAGE /stability/conflicts/summary", Expect.Hidden, Get(_ => "/stability/conflicts/summary?month=2026-06"), t => t.RegionMarker),
            new("PAGE /stability/assessments", Expect.Hidden, Get(_ => "/stability/assessments"), t => t.AssessmentNumber, OwnerControl: false),
            new("PAGE /stability/assessments/{id}", Expect.Refused, Get(t => $"/stability/assessments/{t.AssessmentId}"), t => t.AssessmentNumber),
            new("PAGE /stability/assessments/{id}", Expect.Refused, Get(t => $"/stability/assessments/new?mineId={t.MineId}"), t => t.MineName),
            new("PAGE /stability/task-forces", Expect.Hidden, Get(_ => "/stability/task-forces"), t => t.TaskForceName),
            new("PAGE /stability/task-forces/{id}", Expect.Refused, Get(t => $"/stability/task-forces/{t.TaskForceId}"), t => t.TaskForceName),
            new("PAGE /stability/task-forces/{id}", Expect.Refused, Get(t => $"/stability/task-forces/new?mineId={t.MineId}"), t => t.MineName),
            new("PAGE /stability/ten-items", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, "/stability/ten-items",
                new() { ["mineId"] = t.MineId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["toggle"] = "Visits" }, "/stability"), OwnerControl: false),
        ]);
    }

    private static void StabilityUnscoped(Dictionary<string, string> routes)
    {
        routes["GET /api/v1/assessment-templates"] = "评估模板是全国通用的参考数据，不属于任何辖区";
        routes["POST /api/v1/assessment-templates"] = "发布评估模板新版本（管理员），参考数据不属于任何辖区";
        routes["PAGE /stability/templates"] = "评估模板管理页（管理员），参考数据";
        routes["PAGE /stability/conflicts/import"] = "上传表单；每一行都按管辖范围校验，见 POST /api/v1/conflicts/import 的用例";
    }
}
