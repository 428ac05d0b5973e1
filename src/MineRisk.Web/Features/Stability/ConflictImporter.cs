using System.Globalization;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// Imports a ledger kept in Excel (the export's columns, see <see cref="ConflictSheet"/>): all or nothing, every bad row
/// reported with its row number, column and a Chinese reason; imported items start as 挂号 with their deadlines.
/// </summary>
public sealed class ConflictImporter(AppDbContext db, ConflictService service, TimeProvider clock)
{
    public async Task<ImportReport> ImportAsync(Stream file, bool dryRun, CancellationToken ct)
    {
        var issues = new List<ImportIssue>();
        List<XlsxRow> rows;
        try
        {
            rows = XlsxReader.ReadFirstSheet(file).Where(r => !r.IsEmpty).ToList();
        }
        catch (InvalidDataException ex)
        {
            return new ImportReport(dryRun, false, 0, 0, 0, [new ImportIssue(0, "文件", ex.Message)], 1);
        }

        if (rows.Count == 0)
        {
            return new ImportReport(dryRun, false, 0, 0, 0, [new ImportIssue(1, "文件", "文件中没有数据（第一行应为表头）。")], 1);
        }

        var columns = new Dictionary<string, int>();
        for (var i = 0; i < rows[0].Cells.Count; i++)
        {
            columns.TryAdd(rows[0][i].Trim(), i);
        }

        foreach (var required in ConflictSheet.ImportColumns.Where(c => !columns.ContainsKey(c)))
        {
            issues.Add(new ImportIssue(rows[0].Number, required, $"缺少列「{required}」（请使用导出的台账作模板）。"));
        }

        if (issues.Count > 0)
        {
            return new ImportReport(dryRun, false, rows.Count - 1, 0, 0, issues, issues.Count);
        }

        string Cell(XlsxRow row, string column) => row[columns[column]].Trim();
        var codes = rows.Skip(1).Select(r => Cell(r, "煤矿编码")).Distinct().ToList();
        var mines = await db.Set<Mine>().Where(m => codes.Contains(m.Code)).ToDictionaryAsync(m => m.Code, ct);
        var userNames = rows.Skip(1).Select(r => Cell(r, "包案领导账号")).Distinct().ToList();
        var users = await db.Users.Where(u => userNames.Contains(u.UserName!)).ToDictionaryAsync(u => u.UserName!, u => u.Id, ct);
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(clock.GetUtcNow().UtcDateTime));
        var inputs = new List<(int Row, ConflictInput Input)>();
        var leadersByMine = new Dictionary<string, HashSet<long>>();
        foreach (var row in rows.Skip(1))
        {
            var before = issues.Count;
            void Issue(string column, string reason) => issues.Add(new ImportIssue(row.Number, column, reason));
            var code = Cell(row, "煤矿编码");
            if (!mines.TryGetValue(code, out var mine))
            {
                Issue("煤矿编码", code.Length == 0 ? "请填写煤矿编码。" : $"煤矿编码「{code}」不存在，或不在您的管辖范围内。");
            }

            ConflictCategory? category = null;
            var categoryText = Cell(row, "类别");
            if (EnumLabels.TryParse<ConflictCategory>(categoryText, out var c))
            {
                category = c;
            }
            else
            {
                Issue("类别", $"「{categoryText}」不是有效的类别。可选：{string.Join("、", EnumLabels.All<ConflictCategory>().Select(x => x.Label))}。");
            }

            var description = Cell(row, "矛盾描述");
            if (description.Length == 0)
            {
                Issue("矛盾描述", "请填写矛盾描述。");
            }

            double? amount = null;
            var amountText = Cell(row, "涉及金额(万元)");
            if (amountText.Length > 0)
            {
                if (double.TryParse(amountText, NumberStyles.Float, CultureInfo.InvariantCulture, out var a) && a >= 0 && double.IsFinite(a))
                {
                    amount = a;
                }
                else
                {
                    Issue("涉及金额(万元)", $"「{amountText}」不是不小于 0 的数。");
                }
            }

            int? persons = null;
            var personsText = Cell(row, "涉及人数");
            if (personsText.Length > 0)
            {
                if (int.TryParse(personsText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) && p >= 0)
                {
                    persons = p;
                }
                else
                {
                    Issue("涉及人数", $"「{personsText}」不是不小于 0 的整数。");
                }
            }

            RiskGrade? grade = null;
            var gradeText = Cell(row, "风险等级");
            if (gradeText.Length > 0)
            {
                if (EnumLabels.TryParse<RiskGrade>(gradeText, out var g))
                {
                    grade = g;
                }
                else
                {
                    Issue("风险等级", $"「{gradeText}」应为 高、中 或 低。");
                }
            }

            var leaderText = Cell(row, "包案领导账号");
            long? leaderId = null;
            if (!users.TryGetValue(leaderText, out var lid))
            {
                Issue("包案领导账号", leaderText.Length == 0 ? "请填写包案领导的登录账号。" : $"账号「{leaderText}」不存在。");
            }
            else if (mine is not null)
            {
                if (!leadersByMine.TryGetValue(mine.RegionCode, out var allowed))
                {
                    leadersByMine[mine.RegionCode] = allowed = (await service.LeadersForAsync(mine.RegionCode, ct)).Select(l => l.Id).ToHashSet();
                }

                if (allowed.Contains(lid))
                {
                    leaderId = lid;
                }
                else
                {
                    Issue("包案领导账号", $"「{leaderText}」不是管辖该煤矿的监管部门人员。");
                }
            }

            DateOnly? due = null;
            var dueText = Cell(row, "化解期限");
            if (!XlsxReader.TryParseDate(dueText, out var d))
            {
                Issue("化解期限", dueText.Length == 0 ? "请填写化解期限。" : $"「{dueText}」不是有效的日期。");
            }
            else if (d < today)
            {
                Issue("化解期限", $"化解期限 {d:yyyy-MM-dd} 已经过去。");
            }
            else
            {
                due = d;
            }

            if (issues.Count == before)
            {
                inputs.Add((row.Number, new ConflictInput(mine!.Id, category, description, amount, persons, grade, leaderId, Blank(Cell(row, "责任单位")),
                    Blank(Cell(row, "责任人")), Blank(Cell(row, "化解措施")), due)));
            }
        }

        if (issues.Count > 0)
        {
            return new ImportReport(dryRun, false, rows.Count - 1, 0, 0, issues.Take(MineImporter.MaxReportedErrors).ToList(), issues.Count);
        }

        if (dryRun)
        {
            return new ImportReport(true, false, inputs.Count, 0, 0, [], 0);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var (row, input) in inputs)
        {
            var created = await service.CreateAsync(input, ct);
            if (created.TryGetError(out var error))
            {
                // Checked above; a failure here (e.g. a rule added to the service) still imports nothing.
                await transaction.RollbackAsync(ct);
                return new ImportReport(false, false, inputs.Count, 0, 0, [new ImportIssue(row, "", error.Message)], 1);
            }
        }

        await transaction.CommitAsync(ct);
        return new ImportReport(false, true, inputs.Count, inputs.Count, 0, [], 0);
    }

    private static string? Blank(string text) => text.Length == 0 ? null : text;
}

/// <summary><c>POST /api/v1/conflicts/import</c>: multipart field <c>file</c>, <c>?dryRun=true</c> to check only.</summary>
public static class ConflictImportApi
{
    public static async Task<IResult> ImportAsync(HttpRequest request, bool? dryRun, ConflictImporter importer, Platform.Auth.CurrentUser user, CancellationToken ct)
    {
        if (!StabilityAccess.CanKeepLedger(user))
        {
            return new ForbiddenError("只有监管部门和信访部门可以导入台账。").ToProblem();
        }

        if (!request.HasFormContentType || (await request.ReadFormAsync(ct)).Files.GetFile("file") is not { } file)
        {
            return ValidationError.For("file", "请以 multipart/form-data 上传 Excel 文件（字段名 file）。").ToProblem();
        }

        if (file.Length > MineImportApi.MaxFileBytes)
        {
            return new TooLargeError($"导入文件不能超过 {MineImportApi.MaxFileBytes / 1024 / 1024} MB。").ToProblem();
        }

        await using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var report = await importer.ImportAsync(buffer, dryRun == true, ct);
        if (!report.Valid)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = ErrorResults.Title(422),
                Detail = $"导入失败：文件中有 {report.ErrorCount} 处错误，未导入任何数据。请改正后重新导入。",
                Extensions = { ["errors"] = report.Errors, ["errorCount"] = report.ErrorCount, ["rows"] = report.Rows },
            });
        }

        return Results.Ok(report);
    }
}
