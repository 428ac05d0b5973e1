using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Hazards;

/// <summary>
/// One county's hazards found in one month (China time): how many, how many of them are closed now, how many are major.
/// The statistics and the overview read these instead of grouping every hazard (1,000,000 at national scale:
/// 3.5–52 s per request before, bench/hazards.sh). Kept exact by <see cref="HazardRollup"/> in the transaction of every
/// change to a hazard. Scoped like the hazards (a county's row is visible to its county, city, province, the nation).
/// </summary>
[NotAudited("由隐患台账派生的按县按月计数，每次变化都记在隐患本身的审计记录里")]
[System.ComponentModel.DisplayName("隐患月度计数")]
public sealed class HazardMonth : IScoped
{
    /// <summary>The county's 6-digit code.</summary>
    public required string RegionCode { get; init; }

    /// <summary>yyyyMM of the day found, China time.</summary>
    public int Month { get; init; }

    public int Found { get; set; }

    public int Closed { get; set; }

    public int Major { get; set; }

    /// <summary>Always null: counts are per county. Enterprise users' statistics are computed from their hazards.</summary>
    public long? EnterpriseId { get; init; }
}

internal sealed class HazardMonthConfiguration : IEntityTypeConfiguration<HazardMonth>
{
    public void Configure(EntityTypeBuilder<HazardMonth> b)
    {
        b.ToTable("hazard_months");
        b.HasKey(m => new { m.RegionCode, m.Month });
        b.Property(m => m.RegionCode).HasMaxLength(6);
    }
}

/// <summary>
/// Keeps <see cref="HazardMonth"/> in step with the hazards: every save that adds, changes or removes hazards adds the
/// difference (found, closed, major before and after, per county and month) with one upsert per touched row, in the
/// same transaction, so concurrent saves add up and a failed save changes nothing. Bulk writers that bypass the change
/// tracker (the demo seeder) call <see cref="RebuildAsync"/>; so does the start of an installation whose roll-up is
/// empty while it has hazards (an upgrade from a version without it).
/// </summary>
public sealed class HazardRollup : ISaveHook, ISchemaExtension
{
    public Func<AppDbContext, CancellationToken, Task>? Prepare(ChangeTracker changes)
    {
        Dictionary<(string County, int Month), (int Found, int Closed, int Major)>? deltas = null;
        void Add(string regionCode, DateTime foundAt, HazardState state, HazardLevel? level, int sign)
        {
            deltas ??= [];
            var key = (County(regionCode), MonthOf(foundAt));
            var d = deltas.GetValueOrDefault(key);
            deltas[key] = (d.Found + sign, d.Closed + (state == HazardState.Closed ? sign : 0), d.Major + (level == HazardLevel.Major ? sign : 0));
        }

        foreach (var e in changes.Entries<Hazard>())
        {
            if (e.State is EntityState.Deleted or EntityState.Modified)
            {
                var o = e.OriginalValues;
                Add(o.GetValue<string>(nameof(Hazard.RegionCode)), o.GetValue<DateTime>(nameof(Hazard.FoundAt)), o.GetValue<HazardState>(nameof(Hazard.State)),
                    o.GetValue<HazardLevel?>(nameof(Hazard.Level)), -1);
            }

            if (e.State is EntityState.Added or EntityState.Modified)
            {
                var h = e.Entity;
                Add(h.RegionCode, h.FoundAt, h.State, h.Level, +1);
            }
        }

        var rows = deltas?.Where(d => d.Value != (0, 0, 0)).ToList();
        if (rows is null || rows.Count == 0)
        {
            return null;
        }

        return async (db, ct) =>
        {
            foreach (var ((county, month), (found, closed, major)) in rows)
            {
                await db.Database.ExecuteSqlAsync(
                    $"INSERT INTO hazard_months (region_code, month, found, closed, major, enterprise_id) VALUES ({county}, {month}, {found}, {closed}, {major}, NULL) ON CONFLICT (region_code, month) DO UPDATE SET found = hazard_months.found + excluded.found, closed = hazard_months.closed + excluded.closed, major = hazard_months.major + excluded.major",
                    ct);
            }
        };
    }

    public static string County(string regionCode) => regionCode.Length >= 6 ? regionCode[..6] : regionCode;

    public static int MonthOf(DateTime foundAtUtc)
    {
        var china = ChinaTime.ToChina(foundAtUtc);
        return china.Year * 100 + china.Month;
    }

    public static int MonthOf(DateOnly day) => day.Year * 100 + day.Month;

    /// <summary>Recomputes every row from the hazards (in the caller's transaction, if any). Returns the number of rows.</summary>
    public static async Task<int> RebuildAsync(AppDbContext db, CancellationToken ct)
    {
        // Months in China time: found_at is UTC, so shift by eight hours before taking the year and month.
        var rows = await db.Set<Hazard>().IgnoreQueryFilters().AsNoTracking()
            .GroupBy(h => new { County = h.RegionCode.Substring(0, 6), h.FoundAt.AddHours(8).Year, h.FoundAt.AddHours(8).Month })
            .Select(g => new
            {
                g.Key.County,
                g.Key.Year,
                g.Key.Month,
                Found = g.Count(),
                Closed = g.Count(h => h.State == HazardState.Closed),
                Major = g.Count(h => h.Level == HazardLevel.Major),
            })
            .ToListAsync(ct);
        await db.Set<HazardMonth>().IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        var audit = db.AuditEnabled;
        try
        {
            db.AuditEnabled = false;
            db.AddRange(rows.Select(r => new HazardMonth { RegionCode = r.County, Month = r.Year * 100 + r.Month, Found = r.Found, Closed = r.Closed, Major = r.Major }));
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.AuditEnabled = audit;
            db.ChangeTracker.Clear();
        }

        return rows.Count;
    }

    /// <summary>At start: an installation that has hazards but no roll-up (upgraded from a version without it) gets one.</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(AppDbContext db, IReadOnlyDictionary<string, TableInfo> tables, CancellationToken ct)
    {
        if (await db.Set<HazardMonth>().IgnoreQueryFilters().AnyAsync(ct) || !await db.Set<Hazard>().IgnoreQueryFilters().AnyAsync(ct))
        {
            return [];
        }

        var rows = await RebuildAsync(db, ct);
        return [$"hazard_months: 由现有隐患重建 {rows} 行"];
    }
}
