using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Regions;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Hazards;

public sealed record HazardListItem(long Id, string Number, long MineId, string MineName, string RegionCode, string CountyName, string TownshipName,
    string Location, string Description, HazardLevel? Level, string LevelName, string ProfessionalCategory, HazardSource Source, string SourceName,
    DateTime FoundAt, string FoundByName, string RectifierName, DateOnly DueOn, HazardState State, string StateName, bool Overdue, bool Listed, string? Basis);

public sealed record HazardDetail(HazardListItem Item, Hazard Record, string? CriterionText, IReadOnlyList<AttachmentInfo> Before, IReadOnlyList<AttachmentInfo> After,
    IReadOnlyList<TimelineView> Timeline);

/// <summary>One county × month of the statistics: found in the month, closed of those, still open past the deadline, majors.</summary>
public sealed record HazardStatRow(string CountyCode, string CountyName, string Month, int Found, int Closed, int Overdue, int Major)
{
    /// <summary>整改率: closed of found, in percent (null when none were found).</summary>
    public double? ClosureRate => Found == 0 ? null : Math.Round(100.0 * Closed / Found, 1);
}

public sealed record HazardStats(DateOnly From, DateOnly To, IReadOnlyList<HazardStatRow> Rows, int Found, int Closed, int Overdue, int Major, int OpenMajor, int Listed)
{
    public double? ClosureRate => Found == 0 ? null : Math.Round(100.0 * Closed / Found, 1);
}

/// <summary>A mine proposed for closure under 条例 第70条: major hazards found while it was producing, within the window.</summary>
public sealed record ClosureCandidate(long MineId, string MineName, string CountyName, int Majors, DateTime First, DateTime Last);

/// <summary>One category of the current 判定标准 with its items, for the criterion pickers.</summary>
public sealed record CriterionGroup(string Label, IReadOnlyList<CriterionChoice> Items);

public sealed record CriterionChoice(long Id, string Label);

/// <summary>Read models of the hazard ledger, shared by pages and API.</summary>
public static class HazardViews
{
    public static IQueryable<HazardListItem> ToListItems(IQueryable<Hazard> hazards, DateOnly today) => hazards.Select(h => new HazardListItem(
        h.Id, h.Number, h.MineId, h.Mine!.Name, h.RegionCode, h.Mine.Region!.Parent!.Name, h.Mine.Region.Name, h.Location, h.Description, h.Level, "",
        h.ProfessionalCategory, h.Source, "", h.FoundAt, h.FoundByName, h.RectifierName, h.DueOn, h.State, "", h.State < HazardState.Closed && h.DueOn < today,
        h.ListedAt != null && h.DelistedAt == null, h.Basis));

    public static HazardListItem Labelled(HazardListItem h) =>
        h with { LevelName = h.Level?.Label() ?? "待定级", SourceName = h.Source.Label(), StateName = h.State.Label() };

    /// <summary>Newest first: the order of the ledger, its API and its export.</summary>
    public static IQueryable<Hazard> Ordered(IQueryable<Hazard> hazards) => hazards.OrderByDescending(h => h.FoundAt).ThenByDescending(h => h.Id);

    /// <summary>A page of the ledger (隐患台账) for the query, newest first, with its total up to 10,000: the list page and the API.</summary>
    public static async Task<PagedResult<HazardListItem>> ListAsync(AppDbContext db, HazardQuery query, Paging paging, DateOnly today, CancellationToken ct)
    {
        var selection = await query.SelectAsync(db, today, ct);
        var (total, capped) = await selection.CountAsync(ct);
        var items = await ToListItems(selection.Page(paging.Skip, paging.PageSize), today).ToListAsync(ct);
        return new PagedResult<HazardListItem>(items.Select(Labelled).ToList(), total, paging.Page, paging.PageSize) { TotalCapped = capped };
    }

    public static async Task<HazardDetail?> DetailAsync(AppDbContext db, long id, DateOnly today, CancellationToken ct)
    {
        var item = await ToListItems(db.Set<Hazard>().AsNoTracking().Where(h => h.Id == id), today).SingleOrDefaultAsync(ct);
        if (item is null)
        {
            return null;
        }

        var record = await db.Set<Hazard>().AsNoTracking().SingleAsync(h => h.Id == id, ct);
        var criterion = record.CriterionId is { } cid ? await db.Set<HazardCriterion>().AsNoTracking().Where(c => c.Id == cid).Select(c => c.Text).SingleOrDefaultAsync(ct) : null;
        var photos = await db.Attachments.AsNoTracking().Where(a => a.OwnerType == HazardService.Subject && a.OwnerId == id).OrderBy(a => a.Id).ToListAsync(ct);
        var before = photos.Where(a => a.Purpose == PhotoStage.Before.Label()).Select(AttachmentApi.Info).ToList();
        var after = photos.Where(a => a.Purpose == PhotoStage.After.Label()).Select(AttachmentApi.Info).ToList();
        return new HazardDetail(Labelled(item), record, criterion, before, after, await Timelines.LoadAsync(db, HazardService.Subject, id, ct));
    }

    /// <summary>
    /// Found / closed / overdue / major by county and month of finding, for hazards found in [from, to] (China days).
    /// Overdue counts those still open past their deadline today. Found, closed and major come from the monthly roll-up
    /// (<see cref="HazardMonth"/>) when the period is whole months and the scope and region are a county or wider;
    /// otherwise (a township, an enterprise user, a period that cuts a month) from the hazards themselves, which are
    /// then few or the period short. Overdue, open majors and 督办 always come from the open hazards (an index range).
    /// </summary>
    public static async Task<HazardStats> StatsAsync(AppDbContext db, string? regionCode, DateOnly from, DateOnly to, DateOnly today, CancellationToken ct)
    {
        var prefix = string.IsNullOrWhiteSpace(regionCode) ? "" : RegionCodes.Prefix(regionCode.Trim());
        var wholeMonths = from.Day == 1 && (to >= today || to.Day == DateTime.DaysInMonth(to.Year, to.Month));
        var byRollup = wholeMonths && prefix.Length <= 6 && db.Scope.EnterpriseId is null && (db.Scope.AllRegions || db.Scope.Low.Length <= 6);
        var period = new HazardQuery(RegionCode: regionCode, From: from, To: to).Apply(db.Set<Hazard>().AsNoTracking(), today);
        List<(string County, int Month, int Found, int Closed, int Major)> counts;
        if (byRollup)
        {
            var (low, high) = (HazardRollup.MonthOf(from), HazardRollup.MonthOf(to));
            var months = db.Set<HazardMonth>().AsNoTracking().Where(m => m.Month >= low && m.Month <= high);
            if (prefix.Length > 0)
            {
                var upper = RegionCodes.UpperBound(prefix);
                months = months.Where(m => string.Compare(m.RegionCode, prefix) >= 0 && string.Compare(m.RegionCode, upper) < 0);
            }

            counts = (await months.Where(m => m.Found > 0).ToListAsync(ct)).Select(m => (m.RegionCode, m.Month, m.Found, m.Closed, m.Major)).ToList();
        }
        else
        {
            // Months in China time: found_at is UTC, so shift by eight hours before taking the year and month.
            counts = (await period
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
                .ToListAsync(ct)).Select(r => (r.County, r.Year * 100 + r.Month, r.Found, r.Closed, r.Major)).ToList();
        }

        // Overdue, open majors and 督办: from the open hazards (a few percent, read by the state index or the 督办 partial
        // index), grouped by county. For whole months the period is applied to the grouped months here, not in SQL: with
        // a bound on found_at SQLite walks the found_at index over the whole period (1,000,000 rows for a national
        // year). Wider than a county, the region too is applied to the grouped counties: SQLite cannot tell how much of
        // the ledger a city's code range holds and reads all of the city's hazards by the region index for each count
        // (557 ms for a city's statistics, bench/hazards.sh), where the open set of the whole jurisdiction is smaller.
        var wide = prefix.Length < 6;
        var upperPrefix = RegionCodes.UpperBound(prefix);
        bool InRegion(string county) => !wide || (string.CompareOrdinal(county, prefix) >= 0 && string.CompareOrdinal(county, upperPrefix) < 0);
        var open = (wide ? new HazardQuery() : new HazardQuery(RegionCode: regionCode)).Apply(db.Set<Hazard>().AsNoTracking(), today)
            .Where(h => h.State < HazardState.Closed);
        var (firstMonth, lastMonth) = (HazardRollup.MonthOf(from), HazardRollup.MonthOf(to));
        var overdue = (await (byRollup ? open : period.Where(h => h.State < HazardState.Closed)).Where(h => h.DueOn < today)
                .GroupBy(h => new { County = h.RegionCode.Substring(0, 6), h.FoundAt.AddHours(8).Year, h.FoundAt.AddHours(8).Month })
                .Select(g => new { g.Key.County, g.Key.Year, g.Key.Month, Count = g.Count() })
                .ToListAsync(ct))
            .Select(r => (Key: (r.County, Month: r.Year * 100 + r.Month), r.Count))
            .Where(r => r.Key.Month >= firstMonth && r.Key.Month <= lastMonth && InRegion(r.Key.County))
            .ToDictionary(r => r.Key, r => r.Count);
        var openMajor = (await open.Where(h => h.Level == HazardLevel.Major).GroupBy(h => h.RegionCode.Substring(0, 6))
            .Select(g => new { County = g.Key, Count = g.Count() }).ToListAsync(ct)).Where(g => InRegion(g.County)).Sum(g => g.Count);
        var listed = (await (wide ? new HazardQuery() : new HazardQuery(RegionCode: regionCode)).Apply(db.Set<Hazard>().AsNoTracking(), today)
            .Where(h => h.ListedAt != null && h.DelistedAt == null).GroupBy(h => h.RegionCode.Substring(0, 6))
            .Select(g => new { County = g.Key, Count = g.Count() }).ToListAsync(ct)).Where(g => InRegion(g.County)).Sum(g => g.Count);
        var codes = counts.Select(r => r.County).Distinct().ToList();
        var names = await db.Regions.AsNoTracking().IgnoreQueryFilters().Where(r => codes.Contains(r.Code)).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var result = counts.OrderBy(r => r.County).ThenBy(r => r.Month)
            .Select(r => new HazardStatRow(r.County, names.GetValueOrDefault(r.County) ?? r.County, $"{r.Month / 100:0000}-{r.Month % 100:00}", r.Found, r.Closed,
                overdue.GetValueOrDefault((r.County, r.Month)), r.Major))
            .ToList();
        return new HazardStats(from, to, result, result.Sum(r => r.Found), result.Sum(r => r.Closed), result.Sum(r => r.Overdue), result.Sum(r => r.Major), openMajor, listed);
    }

    /// <summary>条例 第70条: mines with <paramref name="count"/> or more major hazards found while producing in the last <paramref name="months"/> months.</summary>
    public static async Task<List<ClosureCandidate>> ClosureCandidatesAsync(AppDbContext db, DateTime nowUtc, int count, int months, long? mineId, CancellationToken ct)
    {
        var since = nowUtc.AddMonths(-months);
        var majors = db.Set<Hazard>().AsNoTracking().Where(h => h.Level == HazardLevel.Major && h.FoundWhileProducing && h.FoundAt >= since);
        if (mineId is { } id)
        {
            majors = majors.Where(h => h.MineId == id);
        }

        // The window's majors (a few thousand at national scale) grouped here: grouped in SQL, SQLite reads them in mine
        // order through the (mine_id, found_at) index with a row lookup each for the level (1.5 s at national scale).
        var grouped = (await majors.Select(h => new { h.MineId, h.FoundAt }).ToListAsync(ct))
            .GroupBy(h => h.MineId)
            .Select(g => new { MineId = g.Key, Majors = g.Count(), First = g.Min(h => h.FoundAt), Last = g.Max(h => h.FoundAt) })
            .Where(g => g.Majors >= count)
            .ToList();
        var ids = grouped.Select(g => g.MineId).ToList();
        var mines = await db.Set<Mine>().AsNoTracking().Where(m => ids.Contains(m.Id))
            .Select(m => new { m.Id, m.Name, County = m.Region!.Parent!.Name }).ToDictionaryAsync(m => m.Id, ct);
        return grouped.Where(g => mines.ContainsKey(g.MineId)).OrderByDescending(g => g.Majors).ThenByDescending(g => g.Last)
            .Select(g => new ClosureCandidate(g.MineId, mines[g.MineId].Name, mines[g.MineId].County, g.Majors, g.First, g.Last)).ToList();
    }

    /// <summary>The current 判定标准's categories and items, e.g. "第四条 瓦斯超限作业" › "（一）…".</summary>
    public static async Task<List<CriterionGroup>> CriteriaAsync(AppDbContext db, CancellationToken ct)
    {
        var current = db.Set<HazardStandard>().Where(s => s.Current).Select(s => s.Id);
        var items = await db.Set<HazardCriterion>().AsNoTracking().Where(c => current.Contains(c.Category!.StandardId))
            .OrderBy(c => c.Category!.No).ThenBy(c => c.No)
            .Select(c => new { c.Id, c.No, c.Text, c.Category!.Article, c.Category.ShortName, CategoryNo = c.Category.No })
            .ToListAsync(ct);
        return items.GroupBy(c => (c.CategoryNo, c.Article, c.ShortName))
            .Select(g => new CriterionGroup($"{g.Key.Article} {g.Key.ShortName}", g.Select(c => new CriterionChoice(c.Id, $"（{HazardCriterion.ChineseNumber(c.No)}）{c.Text}")).ToList()))
            .ToList();
    }
}
