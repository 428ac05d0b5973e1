using Microsoft.AspNetCore.Html;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Shell;

namespace MineRisk.Web.Platform.Regions;

/// <summary>A region for a select list: code, label, depth below the top of the list.</summary>
public sealed record RegionOption(string Code, string Label, int Depth, RegionLevel Level);

/// <summary>
/// The region tree in memory (1,135 regions at national scale), for the region pickers of filter bars and forms, which
/// would otherwise read and sort every region of the jurisdiction on each page. Regions are reference data written by
/// seeding; any save that adds, changes or removes one drops the copy and the next reader loads it again.
/// Jurisdiction still applies: every method takes the caller's <see cref="UserScope"/>.
/// </summary>
public sealed class RegionTree(IDbContextFactory<AppDbContext> contexts) : ISaveHook
{
    private volatile Snapshot? _snapshot;

    internal sealed record Node(string Code, string Name, RegionLevel Level, string? ParentCode);

    private sealed record Snapshot(Dictionary<string, Node> ByCode, ILookup<string, Node> Children);

    /// <summary>
    /// The choices of a region filter that drills down (逐级下钻): the regions just below the top of the user's
    /// jurisdiction and, along the path to the selected region, each level's regions with the path's one opened —
    /// a national user sees 34 provinces, not 1,100 regions. The path is listed even below <paramref name="deepest"/>.
    /// </summary>
    public async Task<List<RegionOption>> DrillDownAsync(CurrentUser user, string? selected, RegionLevel deepest, CancellationToken ct)
    {
        var tree = await LoadAsync(ct);
        var scope = user.Scope;
        var root = !scope.AllRegions && user.RegionCode is { } own && tree.ByCode.ContainsKey(own) ? own : RegionCodes.Nation;
        var path = new List<string>();
        if (selected is not null && tree.ByCode.TryGetValue(selected, out var node) && scope.CoversRegion(selected))
        {
            while (node is not null && node.Code != root)
            {
                path.Add(node.Code);
                node = node.ParentCode is { } parent && tree.ByCode.TryGetValue(parent, out var up) ? up : null;
            }

            if (node is null)
            {
                path.Clear(); // not below the top of the list
            }

            path.Reverse();
        }

        var options = new List<RegionOption>();
        void Level(string parent, int depth)
        {
            foreach (var child in tree.Children[parent])
            {
                var onPath = depth < path.Count && path[depth] == child.Code;
                if ((child.Level > deepest && !onPath) || !scope.CoversRegion(child.Code))
                {
                    continue;
                }

                options.Add(new RegionOption(child.Code, child.Name, depth, child.Level));
                if (onPath)
                {
                    Level(child.Code, depth + 1);
                }
            }
        }

        Level(root, 0);
        return options;
    }

    /// <summary>
    /// Region names from the copy in memory, so that a list shows a row's township and county without joining the
    /// regions table twice in its statement. Names are not secret: jurisdiction is the rows', already applied.
    /// </summary>
    public async Task<RegionNames> NamesAsync(CancellationToken ct) => new((await LoadAsync(ct)).ByCode);

    /// <summary>Every region of the jurisdiction from 市 down to <paramref name="deepest"/>, as a tree flattened for a form's select list.</summary>
    public async Task<List<RegionOption>> AllAsync(UserScope scope, RegionLevel deepest, CancellationToken ct)
    {
        var tree = await LoadAsync(ct);
        var set = tree.ByCode.Values.Where(r => r.Level >= RegionLevel.City && r.Level <= deepest && scope.CoversRegion(r.Code))
            .ToDictionary(r => r.Code);
        var options = new List<RegionOption>();
        void Visit(Node region, int depth)
        {
            options.Add(new RegionOption(region.Code, region.Name, depth, region.Level));
            foreach (var child in tree.Children[region.Code].Where(c => set.ContainsKey(c.Code)))
            {
                Visit(child, depth + 1);
            }
        }

        foreach (var top in set.Values.Where(r => r.ParentCode is null || !set.ContainsKey(r.ParentCode)).OrderBy(r => r.Code, StringComparer.Ordinal))
        {
            Visit(top, 0);
        }

        return options;
    }

    /// <summary>The label with leading full-width spaces for its depth (select options cannot be styled).</summary>
    public static string Indented(RegionOption option) => new string('\u3000', option.Depth) + option.Label;

    public Func<AppDbContext, CancellationToken, Task>? Prepare(ChangeTracker changes)
    {
        if (!changes.Entries<Region>().Any(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted))
        {
            return null;
        }

        // Dropped before the write and again after it: a reader in between may have loaded the old rows.
        _snapshot = null;
        return (_, _) =>
        {
            _snapshot = null;
            return Task.CompletedTask;
        };
    }

    private async Task<Snapshot> LoadAsync(CancellationToken ct)
    {
        if (_snapshot is { } cached)
        {
            return cached;
        }

        await using var db = await contexts.CreateDbContextAsync(ct);
        db.Scope = UserScope.System;
        var rows = await db.Regions.AsNoTracking().OrderBy(r => r.Code)
            .Select(r => new Node(r.Code, r.Name, r.Level, r.ParentCode)).ToListAsync(ct);
        var snapshot = new Snapshot(rows.ToDictionary(r => r.Code), rows.Where(r => r.ParentCode is not null).ToLookup(r => r.ParentCode!));
        _snapshot = snapshot;
        return snapshot;
    }
}

/// <summary>A region's name and its parent's (a township's county), by code; the code itself for an unknown region.</summary>
public sealed class RegionNames
{
    private readonly Dictionary<string, RegionTree.Node> _byCode;

    internal RegionNames(Dictionary<string, RegionTree.Node> byCode) => _byCode = byCode;

    public string Name(string code) => _byCode.TryGetValue(code, out var node) ? node.Name : code;

    public string ParentName(string code) =>
        _byCode.TryGetValue(code, out var node) && node.ParentCode is { } parent && _byCode.TryGetValue(parent, out var up) ? up.Name : "";
}

/// <summary>
/// The list pages' region filter: the drill-down choices and the chosen region. Choosing a region submits the form
/// (site.js, <c>select[data-drilldown]</c>) and the list opens the next level below it.
/// </summary>
public sealed record RegionFilter(IReadOnlyList<RegionOption> Options, string? Selected)
{
    public static readonly RegionFilter Empty = new([], null);

    /// <summary>The <c>&lt;select name="regionCode"&gt;</c> with its options.</summary>
    public IHtmlContent Select() => new HtmlContentBuilder(3)
        .AppendHtml("<select class=\"form-select form-select-sm\" id=\"regionCode\" name=\"regionCode\" data-drilldown data-testid=\"region-filter\">")
        .AppendHtml(SelectOptions.Of(Options.Select(r => (r.Code, RegionTree.Indented(r))), Selected))
        .AppendHtml("</select>");
}
