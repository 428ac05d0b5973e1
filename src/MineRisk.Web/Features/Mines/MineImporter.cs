using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Excel;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

/// <summary>One thing wrong in an imported file: the Excel row number, the column, and why (in Chinese).</summary>
public sealed record ImportIssue(int Row, string Column, string Reason);

/// <summary>The outcome of an import: either everything was imported, or nothing was and <see cref="Errors"/> says why.</summary>
public sealed record ImportReport(bool DryRun, bool Imported, int Rows, int MinesCreated, int EnterprisesCreated, IReadOnlyList<ImportIssue> Errors, int ErrorCount)
{
    public bool Valid => ErrorCount == 0;
}

/// <summary>How far an import has got (for the progress bar of large files).</summary>
public sealed record ImportProgress(string Stage, int Done, int Total);

/// <summary>
/// Imports a registry from .xlsx with the columns of the export (<see cref="MineSheet"/>): all or nothing. Every row is
/// checked first (missing fields, bad 煤矿编码, codes repeated in the file or already in the database, unknown or
/// out-of-jurisdiction townships, bad numbers and dates, unknown choices); only a file without a single error is
/// written, in one transaction, with missing enterprises and groups created by name and licence deadlines opened.
/// </summary>
public sealed class MineImporter(AppDbContext db, DeadlineService deadlines, TimeProvider clock, IOptions<MineOptions> options)
{
    public const int MaxReportedErrors = 500;
    private const int Batch = 500;

    private sealed record Parsed(int Row, MineInput Input, string EnterpriseName, string? GroupName, List<(LicenceKind Kind, string Number, DateOnly Expires)> Licences);

    public async Task<ImportReport> ImportAsync(Stream file, bool dryRun, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var issues = new List<ImportIssue>();
        List<XlsxRow> rows;
        try
        {
            rows = XlsxReader.ReadFirstSheet(file).Where(r => !r.IsEmpty).ToList();
        }
        catch (InvalidDataException ex)
        {
            return Failed(dryRun, 0, [new ImportIssue(0, "文件", ex.Message)]);
        }

        if (rows.Count == 0)
        {
            return Failed(dryRun, 0, [new ImportIssue(1, "文件", "文件中没有数据（第一行应为表头）。")]);
        }

        var header = rows[0];
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Cells.Count; i++)
        {
            columns.TryAdd(header[i].Trim(), i);
        }

        foreach (var required in MineSheet.Columns.Select(c => c.Header).Where(h => h != "所在地区"))
        {
            if (!columns.ContainsKey(required))
            {
                issues.Add(new ImportIssue(header.Number, required, $"缺少列「{required}」（请使用导出的模板）。"));
            }
        }

        if (issues.Count > 0)
        {
            return Failed(dryRun, rows.Count - 1, issues);
        }

        var data = rows.Skip(1).ToList();
        progress?.Report(new ImportProgress("校验", 0, data.Count));
        var townships = await db.Regions.Where(r => r.Level == RegionLevel.Township).Select(r => r.Code).ToListAsync(ct);
        var visibleTownships = townships.ToHashSet();
        var allTownships = (await db.Regions.IgnoreQueryFilters().Where(r => r.Level == RegionLevel.Township).Select(r => r.Code).ToListAsync(ct)).ToHashSet();
        var codesInFile = data.Select(r => Cell(r, columns, "煤矿编码")).Where(MineInput.IsValidCode).Distinct().ToList();
        var existing = new Dictionary<string, string>();
        foreach (var chunk in codesInFile.Chunk(500))
        {
            foreach (var m in await db.Set<Mine>().IgnoreQueryFilters().Where(m => chunk.Contains(m.Code)).Select(m => new { m.Code, m.Name }).ToListAsync(ct))
            {
                existing[m.Code] = m.Name;
            }
        }

        var seen = new Dictionary<string, int>();
        var parsed = new List<Parsed>();
        foreach (var row in data)
        {
            var p = ParseRow(row, columns, issues, visibleTownships, allTownships, existing, seen);
            if (p is not null)
            {
                parsed.Add(p);
            }

            if (parsed.Count % 1000 == 0)
            {
                progress?.Report(new ImportProgress("校验", row.Number - 1, data.Count));
            }
        }

        if (issues.Count > 0 || dryRun)
        {
            return issues.Count > 0 ? Failed(dryRun, data.Count, issues) : new ImportReport(true, false, data.Count, 0, 0, [], 0);
        }

        return await WriteAsync(parsed, progress, ct);
    }

    private Parsed? ParseRow(XlsxRow row, Dictionary<string, int> columns, List<ImportIssue> issues, HashSet<string> visibleTownships,
        HashSet<string> allTownships, Dictionary<string, string> existing, Dictionary<string, int> seen)
    {
        var before = issues.Count;
        void Issue(string column, string reason) => issues.Add(new ImportIssue(row.Number, column, reason));
        string Text(string column) => Cell(row, columns, column);

        var code = Text("煤矿编码");
        if (MineInput.IsValidCode(code))
        {
            if (seen.TryGetValue(code, out var firstRow))
            {
                Issue("煤矿编码", $"煤矿编码「{code}」与第 {firstRow} 行重复。");
            }
            else
            {
                seen[code] = row.Number;
            }

            if (existing.TryGetValue(code, out var name))
            {
                Issue("煤矿编码", $"煤矿编码「{code}」已存在于系统中（「{name}」）。");
            }
        }

        var township = Text("所在乡镇代码");
        if (township.Length > 0)
        {
            if (!allTownships.Contains(township))
            {
                Issue("所在乡镇代码", $"乡镇代码「{township}」不是系统中已有的乡镇（街道）。");
            }
            else if (!visibleTownships.Contains(township))
            {
                Issue("所在乡镇代码", $"乡镇代码「{township}」不在您的管辖范围内。");
            }
        }

        var enterprise = Text("所属企业");
        if (enterprise.Length == 0)
        {
            Issue("所属企业", "请填写所属企业。");
        }
        else if (enterprise.Length > 100)
        {
            Issue("所属企业", "企业名称不能超过 100 个字。");
        }

        var group = Text("所属集团");
        var input = new MineInput
        {
            Code = code,
            Name = Text("煤矿名称"),
            EnterpriseId = 0,
            RegionCode = township,
            Address = Text("详细地址"),
            Longitude = Number(row, columns, "经度", Issue),
            Latitude = Number(row, columns, "纬度", Issue),
            Status = Choice<MineStatus>(row, columns, "生产状态", Issue),
            Disposition = Choice<Disposition>(row, columns, "处置类别", Issue),
            DesignCapacity = Number(row, columns, "设计产能(万吨/年)", Issue),
            ApprovedCapacity = Number(row, columns, "核定产能(万吨/年)", Issue),
            MiningMethod = Choice<MiningMethod>(row, columns, "开采方式", Issue),
            GasLevel = Choice<GasLevel>(row, columns, "瓦斯等级", Issue),
            HydroType = Choice<HydroType>(row, columns, "水文地质类型", Issue),
            RockBurst = YesNo(row, columns, "冲击地压", Issue),
            Combustion = Choice<CombustionTendency>(row, columns, "自然发火倾向", Issue),
            Standardization = Choice<StandardizationLevel>(row, columns, "标准化等级", Issue),
            ShiftPersonnelLimit = Integer(row, columns, "单班限员", Issue),
            MiningDepth = Integer(row, columns, "开采深度(米)", Issue),
        };

        var columnOf = new Dictionary<string, string>
        {
            ["code"] = "煤矿编码", ["name"] = "煤矿名称", ["regionCode"] = "所在乡镇代码", ["address"] = "详细地址", ["longitude"] = "经度",
            ["latitude"] = "纬度", ["designCapacity"] = "设计产能(万吨/年)", ["approvedCapacity"] = "核定产能(万吨/年)",
            ["shiftPersonnelLimit"] = "单班限员", ["miningDepth"] = "开采深度(米)",
        };
        foreach (var (field, messages) in input.Validate())
        {
            // Choices and numbers that failed to parse are already reported; "请选择" for them would repeat it.
            if (columnOf.TryGetValue(field, out var column) && !issues.Skip(before).Any(i => i.Column == column))
            {
                foreach (var message in messages)
                {
                    Issue(column, message);
                }
            }
        }

        var licences = new List<(LicenceKind, string, DateOnly)>();
        foreach (var (kind, (numberColumn, expiryColumn)) in MineSheet.LicenceColumns)
        {
            var number = Text(numberColumn);
            var expiryText = Text(expiryColumn);
            if (number.Length == 0 && expiryText.Length == 0)
            {
                continue;
            }

            if (number.Length == 0)
            {
                Issue(numberColumn, $"填写了{kind.Label()}有效期，但没有证号。");
            }
            else if (number.Length > 60)
            {
                Issue(numberColumn, "证号不能超过 60 个字符。");
            }

            if (!XlsxReader.TryParseDate(expiryText, out var expires))
            {
                Issue(expiryColumn, expiryText.Length == 0 ? $"填写了{kind.Label()}证号，但没有有效期。" : $"「{expiryText}」不是有效的日期（应为 2026-06-30 这样的日期）。");
            }
            else
            {
                licences.Add((kind, number, expires));
            }
        }

        return issues.Count == before ? new Parsed(row.Number, input, enterprise, group.Length == 0 ? null : group, licences) : null;
    }

    private async Task<ImportReport> WriteAsync(List<Parsed> rows, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var enterprises = await db.Set<Enterprise>().ToDictionaryAsync(e => e.Name, ct);
        var createdEnterprises = 0;
        async Task<Enterprise> EnterpriseAsync(string name, EnterpriseKind kind, long? groupId)
        {
            if (!enterprises.TryGetValue(name, out var e))
            {
                e = new Enterprise { Name = name, Kind = kind, GroupId = groupId };
                db.Add(e);
                await db.SaveChangesAsync(ct);
                enterprises[name] = e;
                createdEnterprises++;
            }

            return e;
        }

        var organisations = new Dictionary<string, long?>();
        var done = 0;
        foreach (var batch in rows.Chunk(Batch))
        {
            var added = new List<(Mine Mine, List<MineLicence> Licences)>();
            foreach (var row in batch)
            {
                var group = row.GroupName is { } g ? await EnterpriseAsync(g, EnterpriseKind.Group, null) : null;
                var enterprise = await EnterpriseAsync(row.EnterpriseName, EnterpriseKind.Company, group?.Id);
                var mine = new Mine { Code = "", Name = "", RegionCode = row.Input.RegionCode!, CreatedAt = now };
                mine.Apply(row.Input with { EnterpriseId = enterprise.Id }, enterprise.Id, null, db.Actor.Id, db.Actor.Name, now);
                mine.Version = 1;
                db.Add(mine);
                added.Add((mine, row.Licences.Select(l => new MineLicence { RegionCode = mine.RegionCode, EnterpriseId = enterprise.Id, Kind = l.Kind, Number = l.Number, ExpiresOn = l.Expires }).ToList()));
            }

            await db.SaveChangesAsync(ct);
            var licences = new List<(Mine Mine, MineLicence Licence)>();
            foreach (var (mine, list) in added)
            {
                foreach (var l in list)
                {
                    var licence = new MineLicence { MineId = mine.Id, RegionCode = l.RegionCode, EnterpriseId = l.EnterpriseId, Kind = l.Kind, Number = l.Number, ExpiresOn = l.ExpiresOn };
                    db.Add(licence);
                    licences.Add((mine, licence));
                }
            }

            await db.SaveChangesAsync(ct);
            var opened = new List<(MineLicence Licence, Deadline Deadline)>();
            foreach (var (mine, licence) in licences)
            {
                if (!organisations.TryGetValue(mine.RegionCode, out var org))
                {
                    organisations[mine.RegionCode] = org = await MineWriter.RegulatorOrganisationAsync(db, mine.RegionCode, ct);
                }

                opened.Add((licence, deadlines.Open(MineWriter.LicenceSubject, licence.Id, $"{mine.Name}{licence.Kind.Label()}到期换证", licence,
                    DeadlineService.EndOf(licence.ExpiresOn), organisationId: org, mineId: mine.Id, link: $"/mines/{mine.Id}",
                    warnBefore: TimeSpan.FromDays(options.Value.LicenceWarnDays))));
            }

            await db.SaveChangesAsync(ct);
            foreach (var (licence, deadline) in opened)
            {
                licence.DeadlineId = deadline.Id;
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            foreach (var e in enterprises.Values)
            {
                db.Attach(e);
            }

            done += batch.Length;
            progress?.Report(new ImportProgress("导入", done, rows.Count));
        }

        db.AuditEvent(new Platform.Audit.AuditEvent("导入", $"从 Excel 导入煤矿 {rows.Count} 座，新增企业 {createdEnterprises} 家", "煤矿"));
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new ImportReport(false, true, rows.Count, rows.Count, createdEnterprises, [], 0);
    }

    private static ImportReport Failed(bool dryRun, int rows, List<ImportIssue> issues) =>
        new(dryRun, false, rows, 0, 0, issues.Take(MaxReportedErrors).ToList(), issues.Count);

    private static string Cell(XlsxRow row, Dictionary<string, int> columns, string column) =>
        columns.TryGetValue(column, out var i) ? row[i].Trim() : "";

    private static double? Number(XlsxRow row, Dictionary<string, int> columns, string column, Action<string, string> issue)
    {
        var text = Cell(row, columns, column);
        if (text.Length == 0)
        {
            return null;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value))
        {
            return value;
        }

        issue(column, $"「{text}」不是数字。");
        return null;
    }

    private static int? Integer(XlsxRow row, Dictionary<string, int> columns, string column, Action<string, string> issue)
    {
        var value = Number(row, columns, column, issue);
        if (value is { } v && (v != Math.Floor(v) || v > int.MaxValue || v < int.MinValue))
        {
            issue(column, $"「{Cell(row, columns, column)}」不是整数。");
            return null;
        }

        return value is null ? null : (int)value.Value;
    }

    private static T? Choice<T>(XlsxRow row, Dictionary<string, int> columns, string column, Action<string, string> issue) where T : struct, Enum
    {
        var text = Cell(row, columns, column);
        if (text.Length == 0)
        {
            issue(column, $"请填写{column}。");
            return null;
        }

        if (EnumLabels.TryParse<T>(text, out var value))
        {
            return value;
        }

        issue(column, $"「{text}」不是有效的{column}。可选：{string.Join("、", EnumLabels.All<T>().Select(v => v.Label))}。");
        return null;
    }

    private static bool? YesNo(XlsxRow row, Dictionary<string, int> columns, string column, Action<string, string> issue)
    {
        var text = Cell(row, columns, column);
        switch (text)
        {
            case "有" or "是" or "1":
                return true;
            case "无" or "否" or "0" or "":
                return false;
            default:
                issue(column, $"「{text}」应为 有 或 无。");
                return null;
        }
    }
}
