using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Hazards;

/// <summary>The ledger's filters, shared by the page, the API and the Excel export. The period is the day found (China time).</summary>
public sealed record HazardQuery(string? RegionCode = null, long? MineId = null, HazardLevel? Level = null, string? Category = null, HazardState? State = null,
    bool? Open = null, bool? Overdue = null, HazardSource? Source = null, DateOnly? From = null, DateOnly? To = null, bool? Listed = null, string? Q = null)
{
    /// <summary>The ledger's selection: the filters, then the text (number, place, description, mine name; <see cref="HazardSearch"/>).</summary>
    public async Task<HazardSelection> SelectAsync(AppDbContext db, DateOnly today, CancellationToken ct)
    {
        var filtered = Filter(db.Set<Hazard>().AsNoTracking(), today);
        if (string.IsNullOrWhiteSpace(Q))
        {
            // Counted over the jurisdiction's range as well (AppDbContext.SeekScope): on SQLite a county user's count read
            // the whole table (347 → 9 ms for the API at national scale; a city's 54 → 8 ms, its last three months 129 → 16).
            // The page keeps its plan: in ledger order a few hundred rows find a page, where a city's range would have to be
            // read and sorted whole. Except for a level wider than a county: a city's range (5 % of the nation's hazards)
            // is a worse way in than the level's index (majors: 3 %) — 54 → 159 ms — which SQLite, knowing nothing of
            // ranges, cannot tell; a county's (0.5 %) is the better one (79 → 34 ms).
            var seek = Level is null || db.Scope.Low.Length >= 6;
            return new HazardSelection(filtered, seek ? Filter(db.SeekScope(db.Set<Hazard>().AsNoTracking()), today) : filtered);
        }

        // The filters an index serves, over every jurisdiction (the search only narrows its candidates with their ids;
        // the jurisdiction and every filter still apply to the result).
        var indexed = MineId is not null || Level is not null || State is not null || Open == true || Overdue == true || From is not null || To is not null || Listed == true
            ? (this with { RegionCode = null, Category = null, Source = null }).Filter(db.Set<Hazard>().IgnoreQueryFilters().AsNoTracking(), today)
            : null;
        var unindexed = !string.IsNullOrWhiteSpace(Category) || Source is not null;
        return await HazardSearch.SelectAsync(db, filtered, Q.Trim(), RegionCode, indexed, unindexed, ct);
    }

    /// <summary>The filters without a text (statistics and the overview): the text needs the search index, <see cref="SelectAsync"/>.</summary>
    public IQueryable<Hazard> Apply(IQueryable<Hazard> hazards, DateOnly today) => string.IsNullOrWhiteSpace(Q)
        ? Filter(hazards, today)
        : throw new InvalidOperationException("带检索词的隐患查询须经 SelectAsync。");

    private IQueryable<Hazard> Filter(IQueryable<Hazard> hazards, DateOnly today)
    {
        if (!string.IsNullOrWhiteSpace(RegionCode))
        {
            var prefix = Platform.Regions.RegionCodes.Prefix(RegionCode.Trim());
            var upper = Platform.Regions.RegionCodes.UpperBound(prefix);
            hazards = hazards.WithinRange(() => prefix, () => upper);
        }

        if (MineId is { } mineId)
        {
            hazards = hazards.Where(h => h.MineId == mineId);
        }

        if (Level is { } level)
        {
            hazards = hazards.Where(h => h.Level == level);
        }

        if (!string.IsNullOrWhiteSpace(Category))
        {
            var category = Category.Trim();
            hazards = hazards.Where(h => h.ProfessionalCategory == category);
        }

        if (State is { } state)
        {
            hazards = hazards.Where(h => h.State == state);
        }

        if (Open == true)
        {
            hazards = hazards.Where(h => h.State < HazardState.Closed);
        }

        if (Overdue == true)
        {
            hazards = hazards.Where(h => h.State < HazardState.Closed && h.DueOn < today);
        }

        if (Source is { } source)
        {
            hazards = hazards.Where(h => h.Source == source);
        }

        if (From is { } from)
        {
            var start = ChinaTime.StartOfDay(from);
            hazards = hazards.Where(h => h.FoundAt >= start);
        }

        if (To is { } to)
        {
            var end = ChinaTime.StartOfDay(to.AddDays(1));
            hazards = hazards.Where(h => h.FoundAt < end);
        }

        if (Listed == true)
        {
            hazards = hazards.Where(h => h.ListedAt != null && h.DelistedAt == null);
        }

        return hazards;
    }

    /// <summary>Parses choices given by name (any case) or Chinese label; unknown ones are a 400 with the options.</summary>
    public static Result<HazardQuery> Parse(string? regionCode, long? mineId, string? level, string? category, string? state, bool? open, bool? overdue,
        string? source, DateOnly? from, DateOnly? to, bool? listed, string? q, IReadOnlyList<string> categories)
    {
        var errors = new Dictionary<string, string[]>();
        T? Choice<T>(string? text, string field, string label) where T : struct, Enum
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (EnumLabels.TryParse<T>(text, out var value))
            {
                return value;
            }

            errors[field] = [$"{label}「{text}」无效。可选：{string.Join("、", Enum.GetValues<T>().Select(v => $"{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(v.ToString())}（{v.Label()}）"))}。"];
            return null;
        }

        if (!string.IsNullOrWhiteSpace(category) && !categories.Contains(category.Trim()))
        {
            errors["category"] = [$"专业类别「{category}」无效。可选：{string.Join("、", categories)}。"];
        }

        if (from is { } f && to is { } t && t < f)
        {
            errors["to"] = ["结束日期不能早于开始日期。"];
        }

        var query = new HazardQuery(regionCode, mineId, Choice<HazardLevel>(level, "level", "等级"), category, Choice<HazardState>(state, "state", "状态"),
            open, overdue, Choice<HazardSource>(source, "source", "来源"), from, to, listed, q);
        return errors.Count == 0 ? query : new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
    }
}
