using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>What intake and the alarm engine need to know of a registered mine.</summary>
public sealed record MineEntry(MineRef Ref, MineStatus Status, GasLevel GasLevel, bool RockBurst, int? ShiftPersonnelLimit, DateTime LoadedAt)
{
    /// <summary>Mines expected to be on line (an idle or closed mine going quiet is not 数据中断).</summary>
    public bool ExpectedOnline => Status is MineStatus.Producing or MineStatus.UnderConstruction or MineStatus.TechnicalUpgrade;
}

/// <summary>
/// A cache of the registry (mine code → mine) and of each mine's defined point codes, so that intake checks a file without
/// a query per file. Mines are re-read after <see cref="MineTtl"/>; point codes grow when a CDDY is accepted and are
/// re-read from the database (at most every 10 s per mine) when a file names codes not yet known here, e.g. because
/// another instance accepted the CDDY.
/// </summary>
public sealed class MineDirectory(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan MineTtl = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan PointReloadGap = TimeSpan.FromSeconds(10);

    private readonly ConcurrentDictionary<string, MineEntry> _byCode = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<string, DateTime> _misses = new(StringComparer.Ordinal);

    private readonly ConcurrentDictionary<long, PointCodes> _points = new();

    private sealed class PointCodes
    {
        public HashSet<string> Codes { get; } = new(StringComparer.Ordinal);

        public DateTime LoadedAt { get; set; }
    }

    public async Task<MineEntry?> FindAsync(string code, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_byCode.TryGetValue(code, out var cached) && now - cached.LoadedAt < MineTtl)
        {
            return cached;
        }

        // An unknown code is asked again after a while (the mine may have been registered meanwhile), not on every file.
        if (_misses.TryGetValue(code, out var missedAt) && now - missedAt < TimeSpan.FromSeconds(30))
        {
            return null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        var mine = await db.Set<Mine>().AsNoTracking().Where(m => m.Code == code)
            .Select(m => new { m.Id, m.Code, m.Name, m.RegionCode, m.EnterpriseId, m.Status, m.GasLevel, m.RockBurst, m.ShiftPersonnelLimit })
            .SingleOrDefaultAsync(ct);
        if (mine is null)
        {
            _misses[code] = now;
            return null;
        }

        var entry = new MineEntry(new MineRef(mine.Id, mine.Code, mine.Name, mine.RegionCode, mine.EnterpriseId), mine.Status, mine.GasLevel, mine.RockBurst, mine.ShiftPersonnelLimit, now);
        _byCode[code] = entry;
        _misses.TryRemove(code, out _);
        return entry;
    }

    /// <summary>Forgets a mine (after an edit in the registry, so the next file sees the new jurisdiction).</summary>
    public void Forget(string code)
    {
        _byCode.TryRemove(code, out _);
        _misses.TryRemove(code, out _);
    }

    /// <summary>The codes of <paramref name="codes"/> that no CDDY of the mine has defined.</summary>
    public async Task<List<string>> UndefinedAsync(long mineId, IEnumerable<string> codes, CancellationToken ct)
    {
        var known = await CodesAsync(mineId, reload: false, ct);
        var missing = Missing(known, codes);
        if (missing.Count == 0)
        {
            return missing;
        }

        known = await CodesAsync(mineId, reload: true, ct);
        return Missing(known, missing);
    }

    private static List<string> Missing(PointCodes known, IEnumerable<string> codes)
    {
        lock (known)
        {
            return codes.Where(c => !known.Codes.Contains(c)).Distinct(StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Records the codes of an accepted CDDY at once (it will be applied: acknowledged means durable).</summary>
    public void AddPoints(long mineId, IEnumerable<string> codes)
    {
        var known = _points.GetOrAdd(mineId, _ => new PointCodes());
        lock (known)
        {
            known.Codes.UnionWith(codes);
        }
    }

    private async Task<PointCodes> CodesAsync(long mineId, bool reload, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (_points.TryGetValue(mineId, out var known) && known.LoadedAt != DateTime.MinValue && (!reload || now - known.LoadedAt < PointReloadGap))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        var codes = await db.Set<MonitoringPoint>().AsNoTracking().Where(p => p.MineId == mineId).Select(p => p.Code).ToListAsync(ct);
        known = _points.GetOrAdd(mineId, _ => new PointCodes());
        lock (known)
        {
            known.Codes.UnionWith(codes);
            known.LoadedAt = now;
        }

        return known;
    }
}
