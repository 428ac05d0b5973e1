using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

public sealed record MineListItem(long Id, string Code, string Name, string RegionCode, string RegionName, string CountyName,
    long? EnterpriseId, string EnterpriseName, MineStatus Status, string StatusName, Disposition Disposition, string DispositionName,
    GasLevel GasLevel, string GasLevelName, double? DesignCapacity, double? ApprovedCapacity, RiskGrade? RiskGrade, string? RiskGradeName);

public sealed record LicenceView(long Id, LicenceKind Kind, string KindName, string Number, string? IssuedBy, DateOnly ExpiresOn);

public sealed record KeyPersonView(long Id, KeyPosition Position, string PositionName, string Name, string IdNumberMasked, Education Education,
    string EducationName, bool MiningMajor, int YearsExperience, bool FullTime, bool RegisteredSafetyEngineer);

public sealed record MineDetail(
    long Id, string Code, string Name, long? EnterpriseId, string EnterpriseName, string? GroupName, string RegionCode, string RegionName,
    string? Address, double? Longitude, double? Latitude, MineStatus Status, string StatusName, Disposition Disposition, string DispositionName,
    double? DesignCapacity, double? ApprovedCapacity, MiningMethod MiningMethod, string MiningMethodName, GasLevel GasLevel, string GasLevelName,
    HydroType HydroType, string HydroTypeName, bool RockBurst, CombustionTendency Combustion, string CombustionName,
    StandardizationLevel Standardization, string StandardizationName, int? ShiftPersonnelLimit, int? MiningDepth, int Version,
    DateTime CreatedAt, DateTime UpdatedAt, IReadOnlyList<LicenceView> Licences, IReadOnlyList<KeyPersonView> KeyPersons, IReadOnlyList<MineFlag> Flags);

public sealed record MineChangeView(long Id, string Field, string? OldValue, string? NewValue, string Reason, string ByName, DateTime At);

/// <summary>Read models of the registry (list rows, the one-file detail), shared by the pages and the API.</summary>
public static class MineViews
{
    /// <summary>
    /// The list projection; the scope filter and <see cref="MineQuery"/> have been applied to <paramref name="mines"/>.
    /// Region names are not read here: <see cref="Labelled"/> adds them from the region tree in memory.
    /// </summary>
    public static IQueryable<MineListItem> ToListItems(IQueryable<Mine> mines) => mines.Select(m => new MineListItem(
        m.Id, m.Code, m.Name, m.RegionCode, "", "", m.EnterpriseId, m.Enterprise!.Name,
        m.Status, "", m.Disposition, "", m.GasLevel, "", m.DesignCapacity, m.ApprovedCapacity, m.RiskGrade, null));

    /// <summary>Adds the region names and the Chinese labels (in memory, not in SQL).</summary>
    public static MineListItem Labelled(MineListItem item, RegionNames regions) => item with
    {
        RegionName = regions.Name(item.RegionCode),
        CountyName = regions.ParentName(item.RegionCode),
        StatusName = item.Status.Label(),
        DispositionName = item.Disposition.Label(),
        GasLevelName = item.GasLevel.Label(),
        RiskGradeName = item.RiskGrade?.Label(),
    };

    public static async Task<MineDetail?> DetailAsync(AppDbContext db, long id, DateOnly today, int licenceWarnDays, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().AsNoTracking().Include(m => m.Enterprise).ThenInclude(e => e!.Group).Include(m => m.Region)
            .SingleOrDefaultAsync(m => m.Id == id, ct);
        if (mine is null)
        {
            return null;
        }

        var licences = await db.Set<MineLicence>().AsNoTracking().Where(l => l.MineId == id).OrderBy(l => l.Kind).ToListAsync(ct);
        var persons = await db.Set<KeyPerson>().AsNoTracking().Where(p => p.MineId == id).OrderBy(p => p.Position).ThenBy(p => p.Id).ToListAsync(ct);
        var ids = persons.Where(p => p.IdNumber != null).Select(p => p.IdNumber!).ToList();
        // Technicians shared with another mine: checked across the whole registry, whoever is asking.
        var elsewhere = ids.Count == 0
            ? new HashSet<string>()
            : (await db.Set<KeyPerson>().IgnoreQueryFilters().Where(p => p.MineId != id && ids.Contains(p.IdNumber!)).Select(p => p.IdNumber!).ToListAsync(ct)).ToHashSet();
        var flags = MineRules.Check(mine, licences, persons, elsewhere, today, licenceWarnDays);
        var regionName = mine.Region?.FullName ?? mine.RegionCode;
        return new MineDetail(
            mine.Id, mine.Code, mine.Name, mine.EnterpriseId, mine.Enterprise?.Name ?? "", mine.Enterprise?.Group?.Name, mine.RegionCode, regionName,
            mine.Address, mine.Longitude, mine.Latitude, mine.Status, mine.Status.Label(), mine.Disposition, mine.Disposition.Label(),
            mine.DesignCapacity, mine.ApprovedCapacity, mine.MiningMethod, mine.MiningMethod.Label(), mine.GasLevel, mine.GasLevel.Label(),
            mine.HydroType, mine.HydroType.Label(), mine.RockBurst, mine.Combustion, mine.Combustion.Label(),
            mine.Standardization, mine.Standardization.Label(), mine.ShiftPersonnelLimit, mine.MiningDepth, mine.Version, mine.CreatedAt, mine.UpdatedAt,
            licences.Select(l => new LicenceView(l.Id, l.Kind, l.Kind.Label(), l.Number, l.IssuedBy, l.ExpiresOn)).ToList(),
            persons.Select(p => new KeyPersonView(p.Id, p.Position, p.Position.Label(), p.Name, KeyPerson.Mask(p.IdNumber), p.Education, p.Education.Label(),
                p.MiningMajor, p.YearsExperience, p.FullTime, p.RegisteredSafetyEngineer)).ToList(),
            flags);
    }

    public static Task<List<MineChangeView>> HistoryAsync(AppDbContext db, long id, CancellationToken ct) =>
        db.Set<MineChange>().AsNoTracking().Where(c => c.MineId == id).OrderByDescending(c => c.At).ThenByDescending(c => c.Id)
            .Select(c => new MineChangeView(c.Id, c.Field, c.OldValue, c.NewValue, c.Reason, c.ByName, c.At)).ToListAsync(ct);

    /// <summary>The enterprises whose mines the caller may see, and their groups (not other jurisdictions' companies).</summary>
    public static async Task<List<EnterpriseItem>> EnterprisesInScopeAsync(AppDbContext db, CancellationToken ct)
    {
        var ids = await db.Set<Mine>().Where(m => m.EnterpriseId != null).Select(m => m.EnterpriseId!.Value).Distinct().ToListAsync(ct);
        var groupIds = await db.Set<Enterprise>().Where(e => ids.Contains(e.Id) && e.GroupId != null).Select(e => e.GroupId!.Value).Distinct().ToListAsync(ct);
        var all = ids.Concat(groupIds).ToList();
        return (await db.Set<Enterprise>().AsNoTracking().Where(e => all.Contains(e.Id)).OrderBy(e => e.Name)
                .Select(e => new { e.Id, e.Name, e.Kind, e.GroupId, Group = e.Group!.Name }).ToListAsync(ct))
            .Select(e => new EnterpriseItem(e.Id, e.Name, e.Kind, e.Kind.Label(), e.GroupId, e.Group)).ToList();
    }
}
