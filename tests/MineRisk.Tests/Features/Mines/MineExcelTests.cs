using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Tests.Features.Mines;

/// <summary>The registry's Excel round trip: export exactly what the filter shows, import all or nothing.</summary>
public abstract class MineExcelTests(AppFixture app)
{
    private static MultipartFormDataContent File(byte[] bytes, string name = "名录.xlsx") =>
        new() { { new ByteArrayContent(bytes), "file", name } };

    private static async Task<byte[]> SheetAsync(IEnumerable<object?[]> rows, IReadOnlyList<XlsxColumn>? columns = null)
    {
        using var stream = new MemoryStream();
        await XlsxWriter.WriteAsync(stream, MineSheet.SheetName, columns ?? MineSheet.Columns, rows, CancellationToken.None);
        return stream.ToArray();
    }

    /// <summary>A valid row in the export's columns for a 麒麟区 township.</summary>
    private static object?[] Row(string code, string name = "导入测试煤矿", string township = "530302101")
    {
        var values = new Dictionary<string, object?>
        {
            ["煤矿编码"] = code, ["煤矿名称"] = name, ["所属企业"] = "导入测试煤业有限公司", ["所属集团"] = "导入测试集团有限公司", ["所在乡镇代码"] = township,
            ["生产状态"] = "正常生产", ["处置类别"] = "整合重组", ["设计产能(万吨/年)"] = 45, ["核定产能(万吨/年)"] = 30, ["开采方式"] = "机械化",
            ["瓦斯等级"] = "高瓦斯", ["水文地质类型"] = "中等", ["冲击地压"] = "无", ["自然发火倾向"] = "自燃", ["标准化等级"] = "二级",
            ["单班限员"] = 90, ["开采深度(米)"] = 380, ["采矿许可证号"] = "C5300002020011120000001", ["采矿许可证有效期至"] = new DateOnly(2029, 5, 1),
        };
        return MineSheet.Columns.Select(c => values.GetValueOrDefault(c.Header)).ToArray();
    }

    [Fact]
    public async Task Export_HoldsExactlyTheFilteredMines_WithChineseHeaders()
    {
        var client = await app.ApiAsAsync("city");
        var list = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/mines?disposition=closeExit&pageSize=200"), HttpStatusCode.OK);
        var response = await client.GetAsync("/api/v1/mines/export.xlsx?disposition=closeExit");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(XlsxWriter.ContentType, response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("煤矿名录", Uri.UnescapeDataString(response.Content.Headers.ContentDisposition?.FileNameStar ?? ""));
        var sheet = XlsxReading.ReadFirstSheet(await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(MineSheet.Columns.Select(c => c.Header), sheet[0].Take(MineSheet.Columns.Count));
        Assert.Equal(list.GetProperty("total").GetInt32(), sheet.Count - 1);
        Assert.Equal(list.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("code").GetString()).Order(), sheet.Skip(1).Select(r => r[0]).Order());
        Assert.All(sheet.Skip(1), r => Assert.Equal("关闭退出", r[10]));
    }

    [Fact]
    public async Task Import_ValidFile_CreatesMinesEnterprisesAndLicences_DryRunCreatesNothing()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var codes = new[] { MineBuilder.NewCode(), MineBuilder.NewCode() };
        var file = await SheetAsync([Row(codes[0], "导入甲煤矿"), Row(codes[1], "导入乙煤矿", "530302102")]);

        var dry = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/mines/import?dryRun=true", File(file)), HttpStatusCode.OK);
        Assert.True(dry.GetProperty("valid").GetBoolean());
        Assert.False(dry.GetProperty("imported").GetBoolean());
        Assert.False(await app.WithDbAsync(db => db.Set<Mine>().AnyAsync(m => codes.Contains(m.Code))));

        var done = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/mines/import", File(file)), HttpStatusCode.OK);
        Assert.Equal(2, done.GetProperty("minesCreated").GetInt32());
        var mines = await app.WithDbAsync(db => db.Set<Mine>().Include(m => m.Enterprise).ThenInclude(e => e!.Group).Include(m => m.Licences)
            .Where(m => codes.Contains(m.Code)).OrderBy(m => m.Code).ToListAsync());
        Assert.Equal(2, mines.Count);
        Assert.All(mines, m =>
        {
            Assert.Equal("导入测试煤业有限公司", m.Enterprise!.Name);
            Assert.Equal("导入测试集团有限公司", m.Enterprise.Group!.Name);
            Assert.Equal(Disposition.Merge, m.Disposition);
            Assert.Equal(30, m.ApprovedCapacity);
            var licence = Assert.Single(m.Licences);
            Assert.Equal(new DateOnly(2029, 5, 1), licence.ExpiresOn);
            Assert.NotNull(licence.DeadlineId);
        });

        // The same file again: every code now exists, so nothing is imported.
        var again = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/mines/import", File(file)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, again.GetProperty("errorCount").GetInt32());
        Assert.Contains("已存在于系统中", again.GetProperty("errors")[0].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Import_BrokenFile_ReportsEveryBadRowAndColumn_AndImportsNothing()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var existing = await app.WithDbAsync(db => db.Set<Mine>().Where(m => m.RegionCode.StartsWith("530302")).Select(m => m.Code).FirstAsync());
        var good = MineBuilder.NewCode();
        var repeated = MineBuilder.NewCode();
        var rows = new List<object?[]>
        {
            Row(good),                          // row 2: fine on its own
            Row("53030"),                       // row 3: bad code
            Row(repeated), Row(repeated),       // rows 4-5: repeated in the file
            Row(existing),                      // row 6: already in the database
            Row(MineBuilder.NewCode(), township: "530302999"), // row 7: unknown township
            Row(MineBuilder.NewCode(), township: "530381101"), // row 8: another county's township
        };
        var badNumber = Row(MineBuilder.NewCode());
        badNumber[MineSheet.Columns.ToList().FindIndex(c => c.Header == "核定产能(万吨/年)")] = "三十";
        rows.Add(badNumber);                    // row 9
        var badDate = Row(MineBuilder.NewCode());
        badDate[MineSheet.Columns.ToList().FindIndex(c => c.Header == "采矿许可证有效期至")] = "明年五月";
        rows.Add(badDate);                      // row 10
        var badChoice = Row(MineBuilder.NewCode());
        badChoice[MineSheet.Columns.ToList().FindIndex(c => c.Header == "生产状态")] = "半停半产";
        rows.Add(badChoice);                    // row 11
        var noName = Row(MineBuilder.NewCode());
        noName[1] = null;
        rows.Add(noName);                       // row 12
        var count = await app.WithDbAsync(db => db.Set<Mine>().CountAsync());

        var problem = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/mines/import", File(await SheetAsync(rows))), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("未导入任何数据", problem.GetProperty("detail").GetString());
        var errors = problem.GetProperty("errors").EnumerateArray()
            .Select(e => (Row: e.GetProperty("row").GetInt32(), Column: e.GetProperty("column").GetString()!, Reason: e.GetProperty("reason").GetString()!)).ToList();
        void Has(int row, string column, string reason) =>
            Assert.True(errors.Any(e => e.Row == row && e.Column == column && e.Reason.Contains(reason)), $"缺少第 {row} 行「{column}」的错误（{reason}）：{JsonSerializer.Serialize(errors)}");
        Has(3, "煤矿编码", "应为 12 位数字");
        Has(5, "煤矿编码", "与第 4 行重复");
        Has(6, "煤矿编码", "已存在于系统中");
        Has(7, "所在乡镇代码", "不是系统中已有的乡镇");
        Has(8, "所在乡镇代码", "不在您的管辖范围内");
        Has(9, "核定产能(万吨/年)", "不是数字");
        Has(10, "采矿许可证有效期至", "不是有效的日期");
        Has(11, "生产状态", "可选：正常生产");
        Has(12, "煤矿名称", "请填写煤矿名称");
        Assert.DoesNotContain(errors, e => e.Row == 2);
        Assert.Equal(count, await app.WithDbAsync(db => db.Set<Mine>().CountAsync()));
        Assert.False(await app.WithDbAsync(db => db.Set<Mine>().AnyAsync(m => m.Code == good)));
    }

    [Fact]
    public async Task Import_NotAnExcelFile_OrMissingColumns_IsRefusedInChinese()
    {
        var client = await app.ApiAsAsync("county.qilin");
        var garbage = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/mines/import", File("这不是表格"u8.ToArray(), "fake.xlsx")), HttpStatusCode.UnprocessableEntity);
        Assert.Contains("不是有效的 Excel", garbage.GetProperty("errors")[0].GetProperty("reason").GetString());

        var partial = await SheetAsync([["530302123456", "缺列煤矿"]], [new("煤矿编码"), new("煤矿名称")]);
        var missing = await HttpAssert.JsonAsync(await client.PostAsync("/api/v1/mines/import", File(partial)), HttpStatusCode.UnprocessableEntity);
        Assert.Contains(missing.GetProperty("errors").EnumerateArray(), e => e.GetProperty("reason").GetString() == "缺少列「所属企业」（请使用导出的模板）。");

        var leader = await app.ApiAsAsync("xinfang");
        await HttpAssert.ProblemAsync(await leader.PostAsync("/api/v1/mines/import", File(partial)), HttpStatusCode.Forbidden, "只有监管部门");
    }
}

public sealed class MineExcelTestsSqlite(SqliteApp app) : MineExcelTests(app), IClassFixture<SqliteApp>;

public sealed class MineExcelTestsPostgres(PostgresApp app) : MineExcelTests(app), IClassFixture<PostgresApp>;

/// <summary>The export of one database imported into another with an empty registry reproduces the registry.</summary>
public abstract class MineRoundTripTests(bool postgres)
{
    [Fact]
    public async Task ExportOfOneDatabase_ImportedIntoAnEmptyRegistry_ReproducesIt()
    {
        await using var source = new ExistingDatabaseApp(postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite(), "city");
        await source.StartAsync();
        await using var target = new ExistingDatabaseApp(postgres ? await TestDatabase.PostgresAsync() : TestDatabase.Sqlite(), "city");
        await target.StartAsync();
        // The target keeps its regions, organisations and accounts, but its registry is emptied.
        await target.WithDbAsync(async db =>
        {
            // The demo hazards point at the mines (revisits too): they go with the registry.
            await db.Database.ExecuteSqlRawAsync("DELETE FROM hazard_revisit_items");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM hazard_revisits");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM hazards");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM disposition_milestones");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM disposition_plans");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM mine_changes");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM mine_key_persons");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM mine_licences");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM mines");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM deadlines");

            await db.Database.ExecuteSqlRawAsync("UPDATE organisations SET enterprise_id = NULL");
            await db.Database.ExecuteSqlRawAsync("UPDATE enterprises SET group_id = NULL");
            await db.Database.ExecuteSqlRawAsync("DELETE FROM enterprises");
        });

        var export = await (await source.ApiAsAsync("admin")).GetByteArrayAsync("/api/v1/mines/export.xlsx");
        var import = await (await target.ApiAsAsync("admin")).PostAsync("/api/v1/mines/import",
            new MultipartFormDataContent { { new ByteArrayContent(export), "file", "名录.xlsx" } });
        var report = await HttpAssert.JsonAsync(import, HttpStatusCode.OK);
        Assert.Equal(220, report.GetProperty("minesCreated").GetInt32());

        static Task<List<string>> Registry(AppFixture app) => app.WithDbAsync(async db =>
            (await db.Set<Mine>().Include(m => m.Enterprise).ThenInclude(e => e!.Group).Include(m => m.Licences).AsNoTracking().ToListAsync())
                .Select(m => string.Join("|", m.Code, m.Name, m.Enterprise!.Name, m.Enterprise.Group?.Name, m.RegionCode, m.Address, m.Longitude, m.Latitude,
                    m.Status, m.Disposition, m.DesignCapacity, m.ApprovedCapacity, m.MiningMethod, m.GasLevel, m.HydroType, m.RockBurst, m.Combustion,
                    m.Standardization, m.ShiftPersonnelLimit, m.MiningDepth,
                    string.Join(",", m.Licences.OrderBy(l => l.Kind).Select(l => $"{l.Kind}:{l.Number}:{l.ExpiresOn:yyyy-MM-dd}"))))
                .Order(StringComparer.Ordinal).ToList());
        Assert.Equal(await Registry(source), await Registry(target));
        Assert.True(await target.WithDbAsync(db => db.Deadlines.CountAsync(d => d.SubjectType == MineWriter.LicenceSubject)) > 400);
    }
}

public sealed class MineRoundTripTestsSqlite() : MineRoundTripTests(postgres: false);

public sealed class MineRoundTripTestsPostgres() : MineRoundTripTests(postgres: true);
