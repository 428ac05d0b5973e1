using System.Net.Http.Json;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Tests.Scope;

/// <summary>The registry's routes in the jurisdiction matrix.</summary>
public static partial class ScopeCatalog
{
    private static object MineBody(ScopeTarget t, string code) => new
    {
        code, name = "越权新建的煤矿", enterpriseId = 1, regionCode = t.RegionCode, status = "producing", disposition = "retain",
        miningMethod = "mechanized", gasLevel = "low", hydroType = "simple", combustion = "notProne", standardization = "level2", version = 1,
    };

    /// <summary>An export or other workbook turned into its cells' text, so a marker can be looked for in it.</summary>
    private static async Task<HttpResponseMessage> AsText(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
        {
            return response;
        }

        var sheet = XlsxReading.ReadFirstSheet(await response.Content.ReadAsByteArrayAsync());
        return new HttpResponseMessage(response.StatusCode) { Content = new StringContent(string.Join("\n", sheet.Select(r => string.Join("\t", r))), Encoding.UTF8) };
    }

    private static async Task<HttpResponseMessage> ImportInto(HttpClient client, ScopeTarget t)
    {
        var row = new object?[MineSheet.Columns.Count];
        void Set(string column, object value) => row[MineSheet.Columns.Select(c => c.Header).ToList().IndexOf(column)] = value;
        Set("煤矿编码", t.FreshCode);
        Set("煤矿名称", "越权导入的煤矿");
        Set("所属企业", "越权导入企业");
        Set("所在乡镇代码", t.RegionCode);
        Set("生产状态", "正常生产");
        Set("处置类别", "单独保留");
        Set("开采方式", "机械化");
        Set("瓦斯等级", "低瓦斯");
        Set("水文地质类型", "简单");
        Set("冲击地压", "无");
        Set("自然发火倾向", "不易自燃");
        Set("标准化等级", "二级");
        using var file = new MemoryStream();
        await XlsxWriter.WriteAsync(file, MineSheet.SheetName, MineSheet.Columns, [row], CancellationToken.None);
        var form = new MultipartFormDataContent { { new ByteArrayContent(file.ToArray()), "file", "import.xlsx" } };
        return await client.PostAsync("/api/v1/mines/import", form);
    }

    private static async Task NotCreated(AppFixture app, ScopeTarget t) =>
        Assert.False(await ScopeTarget.MineExistsAsync(app, t.FreshCode), $"范围外的乡镇 {t.RegionCode} 中被新建了煤矿");

    private static async Task MineUnchanged(AppFixture app, ScopeTarget t)
    {
        var (name, licences, persons) = await app.WithDbAsync(async db => (
            await db.Set<Mine>().Where(m => m.Id == t.MineId).Select(m => m.Name).SingleAsync(),
            await db.Set<MineLicence>().CountAsync(l => l.MineId == t.MineId),
            await db.Set<KeyPerson>().CountAsync(p => p.MineId == t.MineId)));
        Assert.Equal(t.MineName, name);
        Assert.Equal(1, licences);
        Assert.Equal(1, persons);
    }

    private static void MinesCases(List<ScopeCase> cases)
    {
        var licence = new { kind = "safetyProduction", number = "X-1", expiresOn = "2030-01-01" };
        var person = new { position = "chiefEngineer", name = "越权", education = "college", yearsExperience = 5, miningMajor = true, fullTime = true };
        cases.AddRange(
        [
            new("GET /api/v1/mines", Expect.Hidden, Get(_ => "/api/v1/mines?pageSize=200"), t => t.MineName),
            new("GET /api/v1/mines", Expect.Hidden, Get(t => $"/api/v1/mines?q={t.MineCode}"), t => t.MineName),
            new("GET /api/v1/mines/export.xlsx", Expect.Hidden, async (c, _) => await AsText(await c.GetAsync("/api/v1/mines/export.xlsx")), t => t.MineName),
            new("POST /api/v1/mines/import", Expect.Rejected, ImportInto, After: NotCreated, OwnerControl: false),
            new("GET /api/v1/mines/{id:long}", Expect.Refused, Get(t => $"/api/v1/mines/{t.MineId}"), t => t.MineName),
            new("POST /api/v1/mines", Expect.Rejected, (c, t) => c.PostAsJsonAsync("/api/v1/mines", MineBody(t, t.FreshCode)), After: NotCreated, OwnerControl: false),
            new("PUT /api/v1/mines/{id:long}", Expect.Refused, (c, t) => c.PutAsJsonAsync($"/api/v1/mines/{t.MineId}", MineBody(t, t.MineCode)), After: MineUnchanged, OwnerControl: false),
            new("GET /api/v1/mines/{id:long}/history", Expect.Refused, Get(t => $"/api/v1/mines/{t.MineId}/history")),
            new("POST /api/v1/mines/{id:long}/licences", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/mines/{t.MineId}/licences", licence), After: MineUnchanged, OwnerControl: false),
            new("PUT /api/v1/mines/{id:long}/licences/{licenceId:long}", Expect.Refused, (c, t) => c.PutAsJsonAsync($"/api/v1/mines/{t.MineId}/licences/{t.LicenceId}", licence), After: MineUnchanged, OwnerControl: false),
            new("DELETE /api/v1/mines/{id:long}/licences/{licenceId:long}", Expect.Refused, (c, t) => c.DeleteAsync($"/api/v1/mines/{t.MineId}/licences/{t.LicenceId}"), After: MineUnchanged, OwnerControl: false),
            new("POST /api/v1/mines/{id:long}/key-persons", Expect.Refused, (c, t) => c.PostAsJsonAsync($"/api/v1/mines/{t.MineId}/key-persons", person), After: MineUnchanged, OwnerControl: false),
            new("PUT /api/v1/mines/{id:long}/key-persons/{personId:long}", Expect.Refused, (c, t) => c.PutAsJsonAsync($"/api/v1/mines/{t.MineId}/key-persons/{t.PersonId}", person), After: MineUnchanged, OwnerControl: false),
            new("DELETE /api/v1/mines/{id:long}/key-persons/{personId:long}", Expect.Refused, (c, t) => c.DeleteAsync($"/api/v1/mines/{t.MineId}/key-persons/{t.PersonId}"), After: MineUnchanged, OwnerControl: false),
            new("GET /api/v1/mines/{id:long}/disposition-plan", Expect.Refused, Get(t => $"/api/v1/mines/{t.MineId}/disposition-plan"), t => "范围测试方案"),
            new("PUT /api/v1/mines/{id:long}/disposition-plan", Expect.Refused, (c, t) => c.PutAsJsonAsync($"/api/v1/mines/{t.MineId}/disposition-plan", new { summary = "越权修改" }), OwnerControl: false),
            new("POST /api/v1/mines/{id:long}/disposition-plan/milestones/{milestoneId:long}/{action}", Expect.Refused, Post(t => $"/api/v1/mines/{t.MineId}/disposition-plan/milestones/{t.MilestoneId}/start"), OwnerControl: false),
            new("GET /api/v1/enterprises", Expect.Hidden, Get(_ => "/api/v1/enterprises"), t => t.EnterpriseName),
            new("PAGE /mines", Expect.Hidden, Get(_ => "/mines"), t => t.MineName, OwnerControl: false), // page 1 need not hold it
            new("PAGE /mines", Expect.Hidden, Get(t => $"/mines?q={t.MineCode}"), t => t.MineName),
            new("PAGE /mines", Expect.Hidden, Get(t => $"/mines?regionCode={t.CountyCode}&q={t.MineCode}"), t => t.MineName),
            new("PAGE /mines/{id:long}", Expect.Refused, Get(t => $"/mines/{t.MineId}"), t => t.MineName),
            new("PAGE /mines/{id:long}", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/mines/{t.MineId}?handler=Milestone",
                new() { ["milestoneId"] = t.MilestoneId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["action"] = "Start" }, "/mines"), OwnerControl: false),
            new("PAGE /mines/{id:long}/edit", Expect.Refused, Get(t => $"/mines/{t.MineId}/edit"), t => t.MineName),
            new("PAGE /mines/{id:long}/edit", Expect.Refused, async (c, t) => await AppFixture.PostFormAsync(c, $"/mines/{t.MineId}/edit",
                new() { ["Form.Name"] = "越权改名", ["Form.Version"] = "1" }, "/mines"), After: MineUnchanged, OwnerControl: false),
            new("PAGE /mines/new", Expect.Hidden, Get(_ => "/mines/new"), t => t.RegionMarker == "镇雄县" ? "母享镇" : "羊场镇"),
            new("PAGE /mines/{id:long}/licences/{licenceId}", Expect.Refused, Get(t => $"/mines/{t.MineId}/licences/{t.LicenceId}")),
            new("PAGE /mines/{id:long}/persons/{personId}", Expect.Refused, Get(t => $"/mines/{t.MineId}/persons/{t.PersonId}")),
            new("PAGE /mines/{id:long}/plan", Expect.Refused, Get(t => $"/mines/{t.MineId}/plan")),
        ]);
    }

    private static void MinesUnscoped(Dictionary<string, string> routes)
    {
        routes["POST /api/v1/enterprises"] = "企业名录不分辖区（企业出现在某辖区的企业列表中，是因为它在该辖区有煤矿）";
        routes["PAGE /mines/import"] = "上传表单；导入的每一行都按管辖范围校验，见 POST /api/v1/mines/import 的用例";
    }
}
