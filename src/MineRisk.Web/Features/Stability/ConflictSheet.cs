using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// The conflict ledger as a 维稳 office keeps it in Excel (DOMAIN §4). The import reads the columns marked below
/// (煤矿编码 … 化解期限, with the 包案领导 given by 包案领导账号); the others are for people and ignored.
/// </summary>
public static class ConflictSheet
{
    public static readonly IReadOnlyList<XlsxColumn> Columns =
    [
        new("序号", 6, XlsxType.Number), new("编号", 22), new("县(区)", 10), new("乡镇", 12), new("煤矿", 24), new("煤矿编码", 15), new("类别", 10),
        new("矛盾描述", 40), new("涉及金额(万元)", 10, XlsxType.Number), new("涉及人数", 8, XlsxType.Number), new("风险等级", 8), new("包案领导", 10),
        new("包案领导账号", 14), new("责任单位", 20), new("责任人", 10), new("化解措施", 30), new("化解期限", 12, XlsxType.Date), new("状态", 10),
        new("是否超期", 8), new("最新进展", 30), new("登记时间", 16, XlsxType.DateTime), new("销号时间", 16, XlsxType.DateTime),
    ];

    /// <summary>The columns the import needs.</summary>
    public static readonly IReadOnlyList<string> ImportColumns =
        ["煤矿编码", "类别", "矛盾描述", "涉及金额(万元)", "涉及人数", "风险等级", "包案领导账号", "责任单位", "责任人", "化解措施", "化解期限"];

    public static async IAsyncEnumerable<object?[]> RowsAsync(IQueryable<ConflictListItem> items)
    {
        var seq = 0;
        await foreach (var batch in Batches(items))
        {
            foreach (var c in batch)
            {
                yield return
                [
                    ++seq, c.Number, c.CountyName, c.TownshipName, c.MineName, c.MineCode, c.Category.Label(), c.Description, c.Amount, c.Persons,
                    c.RiskGrade.Label(), c.LeaderName, c.LeaderUserName, c.ResponsibleUnit, c.ResponsiblePerson, c.Measures, c.DueOn, c.State.Label(),
                    c.Overdue ? "超期" : "", c.LatestProgress, c.RegisteredAt, c.ClosedAt,
                ];
            }
        }
    }

    private static async IAsyncEnumerable<List<ExportRow>> Batches(IQueryable<ConflictListItem> items)
    {
        const int size = 2000;
        for (var skip = 0; ; skip += size)
        {
            var page = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(items.Skip(skip).Take(size));
            if (page.Count == 0)
            {
                yield break;
            }

            yield return page.Select(ExportRow.From).ToList();
            if (page.Count < size)
            {
                yield break;
            }
        }
    }

    public static readonly IReadOnlyList<XlsxColumn> SummaryColumns =
    [
        new("县(区)", 12), new("类别", 12), new("月末在册", 10, XlsxType.Number), new("本月新增", 10, XlsxType.Number), new("本月销号", 10, XlsxType.Number),
        new("超期", 8, XlsxType.Number), new("涉及金额(万元)", 14, XlsxType.Number), new("涉及人数", 10, XlsxType.Number),
    ];

    public static IEnumerable<object?[]> SummaryRows(MonthlySummary summary)
    {
        foreach (var r in summary.Rows)
        {
            yield return [r.CountyName, r.CategoryName, r.Open, r.New, r.Closed, r.Overdue, r.Amount, r.Persons];
        }

        yield return ["合计", "", summary.Open, summary.New, summary.Closed, summary.Overdue, summary.Amount, summary.Persons];
        foreach (var sentence in summary.Sentences)
        {
            yield return [sentence];
        }
    }

    /// <summary>A list row with what only the export needs (mine code, leader account, measures).</summary>
    public sealed record ExportRow(string Number, string CountyName, string TownshipName, string MineName, string MineCode, ConflictCategory Category,
        string Description, double? Amount, int? Persons, Mines.RiskGrade RiskGrade, string LeaderName, string? LeaderUserName, string? ResponsibleUnit,
        string? ResponsiblePerson, string? Measures, DateOnly DueOn, ConflictState State, bool Overdue, string? LatestProgress, DateTime RegisteredAt, DateTime? ClosedAt)
    {
        public static ExportRow From(ConflictListItem c) => new(c.Number, c.CountyName, c.TownshipName, c.MineName, c.MineCode, c.Category, c.Description,
            c.Amount, c.Persons, c.RiskGrade, c.LeaderName, c.LeaderUserName, c.ResponsibleUnit, c.ResponsiblePerson, c.Measures, c.DueOn, c.State, c.Overdue,
            c.LatestProgress, c.RegisteredAt, c.ClosedAt);
    }
}
