using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// The registry as a spreadsheet: the columns of the export, which are also the columns the import reads (so the
/// export of one database imports into another). 所在地区 is written for people and ignored by the import.
/// </summary>
public static class MineSheet
{
    public const string SheetName = "煤矿名录";

    public static readonly IReadOnlyList<XlsxColumn> Columns =
    [
        new("煤矿编码", 16), new("煤矿名称", 30), new("所属企业", 30), new("所属集团", 26), new("所在乡镇代码", 14), new("所在地区", 30),
        new("详细地址", 30), new("经度", 11, XlsxType.Number), new("纬度", 11, XlsxType.Number), new("生产状态", 14), new("处置类别", 11),
        new("设计产能(万吨/年)", 12, XlsxType.Number), new("核定产能(万吨/年)", 12, XlsxType.Number), new("开采方式", 11), new("瓦斯等级", 13),
        new("水文地质类型", 12), new("冲击地压", 9), new("自然发火倾向", 12), new("标准化等级", 11), new("单班限员", 10, XlsxType.Number),
        new("开采深度(米)", 11, XlsxType.Number),
        new("采矿许可证号", 24), new("采矿许可证有效期至", 14, XlsxType.Date),
        new("安全生产许可证号", 24), new("安全生产许可证有效期至", 14, XlsxType.Date),
        new("营业执照号", 22), new("营业执照有效期至", 14, XlsxType.Date),
    ];

    public static readonly IReadOnlyDictionary<LicenceKind, (string Number, string Expiry)> LicenceColumns = new Dictionary<LicenceKind, (string, string)>
    {
        [LicenceKind.MiningRight] = ("采矿许可证号", "采矿许可证有效期至"),
        [LicenceKind.SafetyProduction] = ("安全生产许可证号", "安全生产许可证有效期至"),
        [LicenceKind.Business] = ("营业执照号", "营业执照有效期至"),
    };

    /// <summary>The rows of the export for the mines the query selects, in its order, streamed in pages.</summary>
    public static async IAsyncEnumerable<object?[]> RowsAsync(IQueryable<Mine> mines, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        const int batch = 1000;
        for (var skip = 0; ; skip += batch)
        {
            var page = await mines.Skip(skip).Take(batch).Select(m => new
            {
                m.Id, m.Code, m.Name, Enterprise = m.Enterprise!.Name, Group = m.Enterprise.Group!.Name, m.RegionCode, RegionName = m.Region!.FullName,
                m.Address, m.Longitude, m.Latitude, m.Status, m.Disposition, m.DesignCapacity, m.ApprovedCapacity, m.MiningMethod, m.GasLevel,
                m.HydroType, m.RockBurst, m.Combustion, m.Standardization, m.ShiftPersonnelLimit, m.MiningDepth,
            }).ToListAsync(ct);
            if (page.Count == 0)
            {
                yield break;
            }

            var ids = page.Select(m => m.Id).ToList();
            var licences = (await mines.SelectMany(m => m.Licences).Where(l => ids.Contains(l.MineId))
                    .Select(l => new { l.MineId, l.Kind, l.Number, l.ExpiresOn }).ToListAsync(ct))
                .ToLookup(l => l.MineId);
            foreach (var m in page)
            {
                var l = licences[m.Id].ToDictionary(x => x.Kind);
                object? Number(LicenceKind k) => l.TryGetValue(k, out var x) ? x.Number : null;
                object? Expiry(LicenceKind k) => l.TryGetValue(k, out var x) ? x.ExpiresOn : null;
                yield return
                [
                    m.Code, m.Name, m.Enterprise, m.Group, m.RegionCode, m.RegionName, m.Address, m.Longitude, m.Latitude, m.Status.Label(),
                    m.Disposition.Label(), m.DesignCapacity, m.ApprovedCapacity, m.MiningMethod.Label(), m.GasLevel.Label(), m.HydroType.Label(),
                    m.RockBurst ? "有" : "无", m.Combustion.Label(), m.Standardization.Label(), m.ShiftPersonnelLimit, m.MiningDepth,
                    Number(LicenceKind.MiningRight), Expiry(LicenceKind.MiningRight),
                    Number(LicenceKind.SafetyProduction), Expiry(LicenceKind.SafetyProduction),
                    Number(LicenceKind.Business), Expiry(LicenceKind.Business),
                ];
            }

            if (page.Count < batch)
            {
                yield break;
            }
        }
    }
}
