using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Features.Mines;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Tests.Features.Stability;

/// <summary>不稳定因素台账: registration rules, the 挂号 → 销号 loop and who may close, progress notes, summaries, Excel.</summary>
public abstract class ConflictTests(AppFixture app)
{
    private Task<long> UserIdAsync(string userName) => app.WithDbAsync(db => db.Users.Where(u => u.UserName == userName).Select(u => u.Id).SingleAsync());

    private async Task<long> NewMineAsync(HttpClient client) =>
        (await MineBuilder.CreateAsync(app, client, MineBuilder.Valid(await MineBuilder.QilinEnterpriseAsync(app)))).Id;

    private static Dictionary<string, object?> Valid(long mineId, long leaderId) => new()
    {
        ["mineId"] = mineId, ["category"] = "wageArrears", ["description"] = "拖欠职工工资三个月", ["amount"] = 120.5, ["persons"] = 48,
        ["riskGrade"] = "medium", ["leaderUserId"] = leaderId, ["responsibleUnit"] = "麒麟区人社局", ["responsiblePerson"] = "周明",
        ["measures"] = "督促企业分期支付", ["deadline"] = "2026-08-31",
    };

    private static async Task<JsonElement> CreateAsync(HttpClient client, Dictionary<string, object?> body) =>
        await HttpAssert.JsonAsync(await client.PostAsJsonAsync("/api/v1/conflicts", body), HttpStatusCode.Created);

    private static Task<HttpResponseMessage> ActAsync(HttpClient client, long id, string action, string? note = null, string? deadline = null) =>
        client.PostAsJsonAsync($"/api/v1/conflicts/{id}/transitions", new { action, note, deadline });

    private Task<Conflict> LoadAsync(long id) => app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().SingleAsync(c => c.Id == id));

    [Fact]
    public async Task Register_Valid_NumbersItAndOpensADeadlineForTheLeader()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var city = await UserIdAsync("city");
        var created = await CreateAsync(county, Valid(mine, city));
        Assert.Matches(@"^WW-530302-\d{4}-\d{6}$", created.GetProperty("number").GetString());
        Assert.Equal("挂号", created.GetProperty("stateName").GetString());

        var id = created.GetProperty("id").GetInt64();
        var detail = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts/{id}"), HttpStatusCode.OK);
        var item = detail.GetProperty("item");
        Assert.Equal("欠薪", item.GetProperty("categoryName").GetString());
        Assert.Equal(120.5, item.GetProperty("amount").GetDouble());
        Assert.Equal(48, item.GetProperty("persons").GetInt32());
        Assert.Equal("李明华", item.GetProperty("leaderName").GetString());
        Assert.Equal("2026-08-31", item.GetProperty("dueOn").GetString());
        Assert.Equal("挂号", detail.GetProperty("timeline")[0].GetProperty("action").GetString());

        var conflict = await LoadAsync(id);
        var deadline = await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().SingleAsync(d => d.Id == conflict.DeadlineId));
        Assert.Equal(city, deadline.AssigneeUserId);
        Assert.Null(deadline.CompletedAt);
        Assert.Equal(mine, deadline.MineId);
    }

    [Fact]
    public async Task Register_BadInput_IsRefusedFieldByFieldAndChangesNothing()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var count = await app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().CountAsync());

        var empty = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/conflicts", new { mineId = mine }), HttpStatusCode.BadRequest);
        Assert.Contains("请选择矛盾类别", empty.Field("category"));
        Assert.Contains("请填写", empty.Field("description"));
        Assert.Contains("请指定包案领导", empty.Field("leaderUserId"));
        Assert.Contains("请填写化解期限", empty.Field("deadline"));

        var past = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/conflicts", Valid(mine, await UserIdAsync("city")).With("deadline", "2026-01-01")),
            HttpStatusCode.BadRequest);
        Assert.Contains("已经过去", past.Field("deadline"));

        // A 包案领导 must be a regulator over the mine: not a petition officer, not 宣威's regulator for a 麒麟区 mine.
        foreach (var wrong in new[] { "xinfang", "county.xuanwei", "leader" })
        {
            var refused = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/conflicts", Valid(mine, await UserIdAsync(wrong))), HttpStatusCode.BadRequest);
            Assert.Contains("包案领导须是管辖该煤矿的监管部门人员", refused.Field("leaderUserId"));
        }

        var leaders = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts/leaders?mineId={mine}"), HttpStatusCode.OK);
        var names = leaders.EnumerateArray().Select(l => l.GetProperty("name").GetString()).ToList();
        Assert.Equal("张卫东", names[0]); // the county's own people first, then the city's
        Assert.Contains("李明华", names);
        Assert.DoesNotContain("赵志刚", names);

        var badCategory = await HttpAssert.JsonAsync(await county.PostAsJsonAsync("/api/v1/conflicts", Valid(mine, await UserIdAsync("city")).With("category", "风水")),
            HttpStatusCode.BadRequest);
        Assert.Contains("值无效", badCategory.Field("category"));

        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("leader")).PostAsJsonAsync("/api/v1/conflicts", Valid(mine, await UserIdAsync("city"))),
            HttpStatusCode.Forbidden);
        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().CountAsync()));
    }

    [Fact]
    public async Task ClosedLoop_OnlyTheLeaderOrHigherCloses_NeverTheClaimant_AndEveryStepIsRecorded()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine, await UserIdAsync("city")))).GetProperty("id").GetInt64();

        // Wrong state: nothing can be closed or claimed before the work starts.
        await HttpAssert.ProblemAsync(await ActAsync(county, id, "close", "已解决"), HttpStatusCode.Conflict, "当前状态为「挂号」，不能执行「销号」");
        await HttpAssert.ProblemAsync(await ActAsync(county, id, "claim", "已解决"), HttpStatusCode.Conflict, "当前状态为「挂号」");
        var unknown = await HttpAssert.JsonAsync(await ActAsync(county, id, "finish"), HttpStatusCode.BadRequest);
        Assert.Contains("操作只能是", unknown.Field("action"));

        await HttpAssert.JsonAsync(await ActAsync(county, id, "start"), HttpStatusCode.OK);
        var noNote = await HttpAssert.JsonAsync(await ActAsync(county, id, "claim"), HttpStatusCode.BadRequest);
        Assert.Contains("申请销号须说明化解情况", noNote.Field("note"));
        await HttpAssert.JsonAsync(await ActAsync(county, id, "claim", "工资已全部兑付，职工签字确认"), HttpStatusCode.OK);

        // The claimant is not the leader; the petition office keeps the ledger but does not decide; the read-only leader cannot act.
        await HttpAssert.ProblemAsync(await ActAsync(county, id, "close", "同意销号"), HttpStatusCode.Forbidden, "申请销号的人不能自己销号");
        await HttpAssert.ProblemAsync(await ActAsync(await app.ApiAsAsync("xinfang"), id, "close", "同意销号"), HttpStatusCode.Forbidden, "只有包案领导（李明华）或其上级可以销号");
        await HttpAssert.ProblemAsync(await ActAsync(await app.ApiAsAsync("leader"), id, "close", "同意销号"), HttpStatusCode.Forbidden);

        var city = await app.ApiAsAsync("city");
        var bare = await HttpAssert.JsonAsync(await ActAsync(city, id, "close", "  "), HttpStatusCode.BadRequest);
        Assert.Contains("销号须填写化解结果说明", bare.Field("note"));
        Assert.Equal(ConflictState.Claimed, (await LoadAsync(id)).State);

        var closed = await HttpAssert.JsonAsync(await ActAsync(city, id, "close", "经核实工资已兑付，同意销号"), HttpStatusCode.OK);
        Assert.Equal("已销号", closed.GetProperty("stateName").GetString());
        var conflict = await LoadAsync(id);
        Assert.Equal("经核实工资已兑付，同意销号", conflict.ResolutionNote);
        Assert.NotNull(conflict.ClosedAt);
        Assert.NotNull(await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().Where(d => d.Id == conflict.DeadlineId).Select(d => d.CompletedAt).SingleAsync()));
        await HttpAssert.ProblemAsync(await ActAsync(city, id, "close", "再次销号"), HttpStatusCode.Conflict, "当前状态为「已销号」");

        // 反弹: back to 化解中 with a fresh deadline for the leader.
        await HttpAssert.JsonAsync(await ActAsync(county, id, "rebound"), HttpStatusCode.BadRequest);
        await HttpAssert.JsonAsync(await ActAsync(county, id, "rebound", "职工再次聚集讨薪", "2026-09-30"), HttpStatusCode.OK);
        var rebound = await LoadAsync(id);
        Assert.Equal(ConflictState.Resolving, rebound.State);
        Assert.Equal(1, rebound.Rebounds);
        Assert.Null(rebound.ClosedAt);
        Assert.Equal(new DateOnly(2026, 9, 30), rebound.DueOn);
        Assert.NotEqual(conflict.DeadlineId, rebound.DeadlineId);
        Assert.Null(await app.WithDbAsync(db => db.Deadlines.IgnoreQueryFilters().Where(d => d.Id == rebound.DeadlineId).Select(d => d.CompletedAt).SingleAsync()));

        var timeline = (await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts/{id}"), HttpStatusCode.OK)).GetProperty("timeline")
            .EnumerateArray().Select(t => t.GetProperty("action").GetString()).ToList();
        Assert.Equal(["挂号", "开始化解", "申请销号", "销号", "反弹"], timeline);
        Assert.True(await app.WithDbAsync(db => db.AuditEntries.IgnoreQueryFilters().AnyAsync(a => a.EntityType == "conflicts" && a.EntityId == id.ToString())));
    }

    [Fact]
    public async Task TheLeaderClosesWhatAColleagueClaimed_AndMayRejectAClaim()
    {
        var colleague = $"qilin.{Guid.NewGuid():N}"[..16];
        await app.CreateUserAsync(colleague, MineRisk.Web.Platform.Auth.Roles.CountyRegulator, "麒麟区应急管理局");
        var leader = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(leader);
        var id = (await CreateAsync(leader, Valid(mine, await UserIdAsync("county.qilin")))).GetProperty("id").GetInt64();
        var other = await app.ApiAsAsync(colleague);
        await HttpAssert.JsonAsync(await ActAsync(other, id, "start"), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await ActAsync(other, id, "claim", "已兑付一半"), HttpStatusCode.OK);

        // The leader was told a claim waits for him.
        var leaderId = await UserIdAsync("county.qilin");
        Assert.True(await app.WithDbAsync(db => db.Notifications.IgnoreQueryFilters().AnyAsync(n => n.UserId == leaderId && n.Link == $"/stability/conflicts/{id}")));

        // A colleague at the same level is not above the leader.
        await HttpAssert.ProblemAsync(await ActAsync(await app.ApiAsAsync("county.xuanwei"), id, "reject", "不同意"), HttpStatusCode.NotFound);
        await HttpAssert.ProblemAsync(await ActAsync(other, id, "reject", "不同意"), HttpStatusCode.Forbidden, "只有包案领导");
        var noReason = await HttpAssert.JsonAsync(await ActAsync(leader, id, "reject"), HttpStatusCode.BadRequest);
        Assert.Contains("驳回销号申请须说明理由", noReason.Field("note"));
        await HttpAssert.JsonAsync(await ActAsync(leader, id, "reject", "只兑付了一半，继续化解"), HttpStatusCode.OK);
        Assert.Equal(ConflictState.Resolving, (await LoadAsync(id)).State);

        await HttpAssert.JsonAsync(await ActAsync(other, id, "claim", "已全部兑付"), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await ActAsync(leader, id, "close", "核实无误"), HttpStatusCode.OK);
        Assert.Equal(ConflictState.Closed, (await LoadAsync(id)).State);
    }

    [Fact]
    public async Task ProgressNotes_CarryTheirPhotos_AndAreTheLatestProgress()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        var id = (await CreateAsync(county, Valid(mine, await UserIdAsync("city")))).GetProperty("id").GetInt64();

        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(TestImages.Png.Concat(Guid.NewGuid().ToByteArray()).ToArray());
        file.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(file, "file", "座谈会.png");
        form.Add(new StringContent("image"), "kind");
        var photo = (await HttpAssert.JsonAsync(await county.PostAsync("/api/v1/attachments", form), HttpStatusCode.Created)).GetProperty("id").GetInt64();

        var empty = await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/conflicts/{id}/notes", new { text = " " }), HttpStatusCode.BadRequest);
        Assert.Contains("请填写进展情况", empty.Field("text"));
        var foreign = await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/conflicts/{id}/notes", new { text = "见附件", attachmentIds = new[] { photo + 100000 } }),
            HttpStatusCode.BadRequest);
        Assert.Contains("附件不存在", foreign.Field("attachmentIds"));

        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/conflicts/{id}/notes", new { text = "召开职工座谈会，企业承诺月底前支付", attachmentIds = new[] { photo } }),
            HttpStatusCode.OK);
        var detail = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts/{id}"), HttpStatusCode.OK);
        Assert.Equal("召开职工座谈会，企业承诺月底前支付", detail.GetProperty("item").GetProperty("latestProgress").GetString());
        var note = detail.GetProperty("timeline").EnumerateArray().Single(t => t.GetProperty("action").GetString() == "进展更新");
        Assert.Equal("座谈会.png", note.GetProperty("attachments")[0].GetProperty("fileName").GetString());

        // The photo now belongs to the conflict: it cannot be attached a second time.
        await HttpAssert.JsonAsync(await county.PostAsJsonAsync($"/api/v1/conflicts/{id}/notes", new { text = "再用一次", attachmentIds = new[] { photo } }), HttpStatusCode.BadRequest);
        // The city sees the photo of a conflict in its scope; 宣威 does not.
        Assert.Equal(HttpStatusCode.OK, (await (await app.ApiAsAsync("city")).GetAsync($"/api/v1/attachments/{photo}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await (await app.ApiAsAsync("county.xuanwei")).GetAsync($"/api/v1/attachments/{photo}")).StatusCode);
    }

    [Fact]
    public async Task List_FiltersAndRefusesBadFilters()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var mine = await NewMineAsync(county);
        await CreateAsync(county, Valid(mine, await UserIdAsync("city")).With("category", "mineVillage").With("description", "矿村道路损坏纠纷"));

        var byMine = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts?mineId={mine}"), HttpStatusCode.OK);
        Assert.Equal(1, byMine.GetProperty("total").GetInt32());
        Assert.Equal("矿村矛盾", byMine.GetProperty("items")[0].GetProperty("categoryName").GetString());

        var search = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts?q={Uri.EscapeDataString("道路损坏")}"), HttpStatusCode.OK);
        Assert.Contains(search.GetProperty("items").EnumerateArray(), i => i.GetProperty("mineId").GetInt64() == mine);

        var all = await HttpAssert.JsonAsync(await county.GetAsync("/api/v1/conflicts?pageSize=200"), HttpStatusCode.OK);
        Assert.All(all.GetProperty("items").EnumerateArray(), i => Assert.StartsWith("530302", i.GetProperty("regionCode").GetString()));
        var overdue = await HttpAssert.JsonAsync(await county.GetAsync("/api/v1/conflicts?overdue=true&pageSize=200"), HttpStatusCode.OK);
        Assert.All(overdue.GetProperty("items").EnumerateArray(), i => Assert.True(i.GetProperty("overdue").GetBoolean()));
        var byLabel = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/conflicts?category={Uri.EscapeDataString("欠薪")}&state={Uri.EscapeDataString("挂号")}"), HttpStatusCode.OK);
        Assert.All(byLabel.GetProperty("items").EnumerateArray(), i => Assert.Equal("欠薪", i.GetProperty("categoryName").GetString()));

        await HttpAssert.ProblemAsync(await county.GetAsync("/api/v1/conflicts?pageSize=500"), HttpStatusCode.BadRequest);
        await HttpAssert.ProblemAsync(await county.GetAsync("/api/v1/conflicts?state=done"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task MonthlySummary_CountsNewOpenClosedAndTheMoney_InSeedWords()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var city = await app.ApiAsAsync("city");
        async Task<JsonElement> SummaryAsync() => await HttpAssert.JsonAsync(await city.GetAsync("/api/v1/conflicts/summary?month=2026-06&regionCode=530302"), HttpStatusCode.OK);
        static JsonElement Row(JsonElement summary, string category) =>
            summary.GetProperty("rows").EnumerateArray().SingleOrDefault(r => r.GetProperty("categoryName").GetString() == category);
        static int Int(JsonElement row, string name) => row.ValueKind == JsonValueKind.Undefined ? 0 : row.GetProperty(name).GetInt32();
        static double Money(JsonElement row) => row.ValueKind == JsonValueKind.Undefined ? 0 : row.GetProperty("amount").GetDouble();

        var before = await SummaryAsync();
        var mine = await NewMineAsync(county);
        var cityId = await UserIdAsync("city");
        var kept = (await CreateAsync(county, Valid(mine, cityId).With("category", "loans").With("amount", 800).With("persons", 30))).GetProperty("id").GetInt64();
        var closed = (await CreateAsync(county, Valid(mine, cityId).With("category", "loans").With("amount", 50).With("persons", 5))).GetProperty("id").GetInt64();
        await HttpAssert.JsonAsync(await ActAsync(county, closed, "start"), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await ActAsync(county, closed, "claim", "借款已还清"), HttpStatusCode.OK);
        await HttpAssert.JsonAsync(await ActAsync(city, closed, "close", "核实无误"), HttpStatusCode.OK);
        var after = await SummaryAsync();

        var b = Row(before, "借贷");
        var a = Row(after, "借贷");
        Assert.Equal(Int(b, "new") + 2, Int(a, "new"));
        Assert.Equal(Int(b, "closed") + 1, Int(a, "closed"));
        Assert.Equal(Int(b, "open") + 1, Int(a, "open"));
        Assert.Equal(Money(b) + 800, Money(a), 2);
        Assert.Equal(Int(b, "persons") + 30, Int(a, "persons"));
        Assert.Equal(before.GetProperty("open").GetInt32() + 1, after.GetProperty("open").GetInt32());
        Assert.Contains(after.GetProperty("sentences").EnumerateArray(),
            s => s.GetString() == $"借贷 {Int(a, "open")} 件，涉及 {Int(a, "persons")} 人 {StabilityViews.Wan(Money(a))} 万元");
        Assert.Equal(kept, (await LoadAsync(kept)).Id);

        await HttpAssert.ProblemAsync(await city.GetAsync("/api/v1/conflicts/summary?month=六月"), HttpStatusCode.BadRequest, "yyyy-MM");

        var excel = await city.GetAsync("/api/v1/conflicts/summary.xlsx?month=2026-06&regionCode=530302");
        Assert.Equal(HttpStatusCode.OK, excel.StatusCode);
        var sheet = XlsxReading.ReadFirstSheet(await excel.Content.ReadAsByteArrayAsync());
        Assert.Equal(ConflictSheet.SummaryColumns.Select(c => c.Header), sheet[0].Take(ConflictSheet.SummaryColumns.Count));
        var total = sheet.Single(r => r[0] == "合计");
        Assert.Equal(after.GetProperty("open").GetInt32().ToString(), total[2]);
        Assert.Contains(sheet, r => r[0].StartsWith("借贷", StringComparison.Ordinal) && r[0].Contains("万元"));
    }

    [Fact]
    public async Task Export_HoldsTheFilteredLedger_AndImportIsAllOrNothing()
    {
        var county = await app.ApiAsAsync("county.qilin");
        var list = await HttpAssert.JsonAsync(await county.GetAsync("/api/v1/conflicts?category=wageArrears&pageSize=1"), HttpStatusCode.OK);
        var export = await county.GetAsync("/api/v1/conflicts/export.xlsx?category=wageArrears");
        Assert.Equal(HttpStatusCode.OK, export.StatusCode);
        var sheet = XlsxReading.ReadFirstSheet(await export.Content.ReadAsByteArrayAsync());
        Assert.Equal(ConflictSheet.Columns.Select(c => c.Header), sheet[0].Take(ConflictSheet.Columns.Count));
        Assert.Equal(list.GetProperty("total").GetInt32(), sheet.Count - 1);
        Assert.All(sheet.Skip(1), r => Assert.Equal("欠薪", r[6]));

        var mine = await NewMineAsync(county);
        var mineCode = await app.WithDbAsync(db => db.Set<Mine>().IgnoreQueryFilters().Where(m => m.Id == mine).Select(m => m.Code).SingleAsync());
        object?[] Row(string code, string category = "欠薪", object? amount = null, string leader = "county.qilin", object? due = null)
        {
            var values = new Dictionary<string, object?>
            {
                ["煤矿编码"] = code, ["类别"] = category, ["矛盾描述"] = "导入的欠薪矛盾", ["涉及金额(万元)"] = amount ?? 66, ["涉及人数"] = 12, ["风险等级"] = "中",
                ["包案领导账号"] = leader, ["责任单位"] = "麒麟区人社局", ["责任人"] = "周明", ["化解措施"] = "分期支付", ["化解期限"] = due ?? new DateOnly(2026, 10, 1),
            };
            return ConflictSheet.Columns.Select(c => values.GetValueOrDefault(c.Header)).ToArray();
        }

        async Task<byte[]> FileAsync(IEnumerable<object?[]> rows)
        {
            using var stream = new MemoryStream();
            await XlsxWriter.WriteAsync(stream, "台账", ConflictSheet.Columns, rows, CancellationToken.None);
            return stream.ToArray();
        }

        MultipartFormDataContent Upload(byte[] bytes) => new() { { new ByteArrayContent(bytes), "file", "台账.xlsx" } };
        var count = await app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().CountAsync());

        var broken = await FileAsync(
        [
            Row(mineCode),                                       // row 2: fine
            Row("530302999999"),                                 // row 3: unknown mine
            Row(mineCode, category: "风水"),                     // row 4
            Row(mineCode, amount: "很多"),                       // row 5
            Row(mineCode, leader: "xinfang"),                    // row 6: not a regulator
            Row(mineCode, due: "下个月"),                        // row 7
        ]);
        var problem = await HttpAssert.JsonAsync(await county.PostAsync("/api/v1/conflicts/import", Upload(broken)), HttpStatusCode.UnprocessableEntity);
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString()!)).ToList();
        Assert.DoesNotContain(errors, e => e.Row == 2);
        Assert.Contains((3, "煤矿编码"), errors);
        Assert.Contains((4, "类别"), errors);
        Assert.Contains((5, "涉及金额(万元)"), errors);
        Assert.Contains((6, "包案领导账号"), errors);
        Assert.Contains((7, "化解期限"), errors);
        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().CountAsync()));

        var good = await FileAsync([Row(mineCode), Row(mineCode, "矿村矛盾", leader: "city")]);
        var dry = await HttpAssert.JsonAsync(await county.PostAsync("/api/v1/conflicts/import?dryRun=true", Upload(good)), HttpStatusCode.OK);
        Assert.True(dry.GetProperty("valid").GetBoolean());
        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().CountAsync()));
        await HttpAssert.JsonAsync(await county.PostAsync("/api/v1/conflicts/import", Upload(good)), HttpStatusCode.OK);
        var imported = await app.WithDbAsync(db => db.Set<Conflict>().IgnoreQueryFilters().Where(c => c.MineId == mine).OrderBy(c => c.Id).ToListAsync());
        Assert.Equal(2, imported.Count);
        Assert.All(imported, c => Assert.Equal(ConflictState.Registered, c.State));
        Assert.All(imported, c => Assert.NotNull(c.DeadlineId));
        Assert.Equal(ConflictCategory.MineVillage, imported[1].Category);
        Assert.Equal(await UserIdAsync("city"), imported[1].LeaderUserId);

        // 宣威 cannot import into a 麒麟区 mine.
        var outside = await HttpAssert.JsonAsync(await (await app.ApiAsAsync("county.xuanwei")).PostAsync("/api/v1/conflicts/import", Upload(good)), HttpStatusCode.UnprocessableEntity);
        Assert.All(outside.GetProperty("errors").EnumerateArray(), e => Assert.Equal("煤矿编码", e.GetProperty("column").GetString()));
    }
}

public sealed class ConflictTestsSqlite(SqliteApp app) : ConflictTests(app), IClassFixture<SqliteApp>;

public sealed class ConflictTestsPostgres(PostgresApp app) : ConflictTests(app), IClassFixture<PostgresApp>;
