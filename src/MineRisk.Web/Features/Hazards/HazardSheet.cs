using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Hazards;

/// <summary>The hazard ledger as regulators keep it in Excel (issue 5's columns), and a mine's quarterly major-hazard report (条例 第35条).</summary>
public static class HazardSheet
{
    public static readonly IReadOnlyList<XlsxColumn> Columns =
    [
        new("序号", 8, XlsxType.Number), new("隐患编号", 22), new("煤矿", 24), new("隐患地点", 20), new("隐患描述", 40), new("等级", 10), new("专业类别", 10),
        new("判定依据", 24), new("发现时间", 16, XlsxType.DateTime), new("发现人", 10), new("整改措施", 30), new("整改资金", 10, XlsxType.Number),
        new("整改责任人", 10), new("整改期限", 12, XlsxType.Date), new("状态", 10), new("验收人", 10), new("验收时间", 16, XlsxType.DateTime),
    ];

    private sealed record ExportRow(long Id, string Number, string MineName, string Location, string Description, HazardLevel? Level, string Category,
        string? Basis, DateTime FoundAt, string FoundByName, string? Measures, double? Funds, string? ResponsiblePerson, string RectifierName, DateOnly DueOn,
        HazardState State, string? VerifierName, DateTime? VerifiedAt);

    /// <summary>
    /// The rows of the filtered ledger, newest first, read in batches by keyset (found at, id) so that a 100,000-row export
    /// neither holds everything in memory nor rescans what it has already read.
    /// </summary>
    public static async IAsyncEnumerable<object?[]> RowsAsync(IQueryable<Hazard> filtered, [EnumeratorCancellation] CancellationToken ct = default)
    {
        const int size = 2000;
        var seq = 0;
        DateTime? lastAt = null;
        long lastId = 0;
        while (true)
        {
            var page = filtered;
            if (lastAt is { } at)
            {
                var id = lastId;
                page = page.Where(h => h.FoundAt < at || (h.FoundAt == at && h.Id < id));
            }

            var batch = await HazardViews.Ordered(page).Take(size).Select(h => new ExportRow(h.Id, h.Number, h.Mine!.Name, h.Location, h.Description, h.Level,
                h.ProfessionalCategory, h.Basis, h.FoundAt, h.FoundByName, h.Measures, h.Funds, h.ResponsiblePerson, h.RectifierName, h.DueOn, h.State,
                h.VerifierName, h.VerifiedAt)).ToListAsync(ct);
            foreach (var h in batch)
            {
                yield return
                [
                    ++seq, h.Number, h.MineName, h.Location, h.Description, h.Level?.Label() ?? "待定级", h.Category, h.Basis, h.FoundAt, h.FoundByName,
                    h.Measures, h.Funds, h.ResponsiblePerson ?? h.RectifierName, h.DueOn, h.State.Label(), h.VerifierName, h.VerifiedAt,
                ];
            }

            if (batch.Count < size)
            {
                yield break;
            }

            (lastAt, lastId) = (batch[^1].FoundAt, batch[^1].Id);
        }
    }

    public static readonly IReadOnlyList<XlsxColumn> QuarterlyColumns =
    [
        new("序号", 6, XlsxType.Number), new("隐患编号", 22), new("隐患地点", 20), new("隐患描述", 40), new("判定依据", 24), new("发现时间", 16, XlsxType.DateTime),
        new("停产范围", 20), new("报告时间", 16, XlsxType.DateTime), new("治理方案时限", 12, XlsxType.Date), new("整改责任人", 10), new("挂牌督办", 24),
        new("状态", 10), new("验收人", 10), new("验收时间", 16, XlsxType.DateTime), new("销牌时间", 16, XlsxType.DateTime),
    ];

    /// <summary>
    /// The major hazards a mine reports for a quarter (条例 第三十五条): those found in it, and those found earlier that were
    /// still open at its start, with how each is being dealt with.
    /// </summary>
    public static async Task<List<object?[]>> QuarterlyRowsAsync(IQueryable<Hazard> hazards, long mineId, int year, int quarter, CancellationToken ct)
    {
        var (start, end) = Quarter(year, quarter);
        var rows = await hazards.Where(h => h.MineId == mineId && h.Level == HazardLevel.Major && h.FoundAt < end && (h.ClosedAt == null || h.ClosedAt >= start))
            .OrderBy(h => h.FoundAt).ThenBy(h => h.Id)
            .Select(h => new
            {
                h.Number, h.Location, h.Description, h.Basis, h.FoundAt, h.StoppedArea, h.ReportedAt, h.PlanDueOn, h.ResponsiblePerson, h.RectifierName,
                h.ListIssuer, h.ListDocumentNumber, h.State, h.VerifierName, h.VerifiedAt, h.DelistedAt,
            })
            .ToListAsync(ct);
        var seq = 0;
        return rows.Select(h => new object?[]
        {
            ++seq, h.Number, h.Location, h.Description, h.Basis, h.FoundAt, h.StoppedArea, h.ReportedAt, h.PlanDueOn, h.ResponsiblePerson ?? h.RectifierName,
            h.ListDocumentNumber is null ? "" : $"{h.ListIssuer} {h.ListDocumentNumber}", h.State.Label(), h.VerifierName, h.VerifiedAt, h.DelistedAt,
        }).ToList();
    }

    /// <summary>The UTC instants a China-time quarter starts and ends (exclusive).</summary>
    public static (DateTime Start, DateTime End) Quarter(int year, int quarter)
    {
        var first = new DateOnly(year, ((quarter - 1) * 3) + 1, 1);
        return (ChinaTime.StartOfDay(first), ChinaTime.StartOfDay(first.AddMonths(3)));
    }
}
