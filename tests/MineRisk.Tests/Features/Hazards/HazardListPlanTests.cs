using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Features.Hazards;

/// <summary>
/// How SQLite reads the hazard ledger (bench/hazards.sh at national scale: 1,000,000 hazards): a broad filter newest
/// first from the found_at index (its entries end with the rowid, the id) instead of sorting every match; open and overdue as an index range on state;
/// a whole hazard number by its unique index instead of searching every row's text.
/// </summary>
public sealed class HazardListPlanTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    private static readonly DateOnly Today = new(2026, 6, 15);

    [Theory]
    [InlineData("none")]
    [InlineData("source")]
    [InlineData("period")]
    public async Task BroadFilters_AreReadNewestFirst_WithoutSorting(string filter)
    {
        var query = filter switch
        {
            "source" => new HazardQuery(Source: HazardSource.SelfCheck),
            "period" => new HazardQuery(From: new DateOnly(2026, 3, 1), To: new DateOnly(2026, 5, 31)),
            _ => new HazardQuery(),
        };
        var plan = await PlanAsync(query, ordered: true);
        Assert.DoesNotContain("TEMP B-TREE", plan);
        Assert.Contains("ix_hazards_found_at", plan);
    }

    [Fact]
    public async Task OpenAndOverdue_AreCountedFromTheIndexOfTheOpenSet_WithoutReadingTheTable()
    {
        Assert.Contains("COVERING INDEX ix_hazards_open", await PlanAsync(new HazardQuery(Overdue: true), ordered: false));
        Assert.Contains("COVERING INDEX ix_hazards_open", await PlanAsync(new HazardQuery(Open: true), ordered: false));
        Assert.Contains("COVERING INDEX ix_hazards_open", await PlanAsync(new HazardQuery(Open: true, Level: HazardLevel.Major), ordered: false));
    }

    /// <summary>
    /// A city's or county's user counts over the jurisdiction's range (AppDbContext.SeekScope): behind the filter's flag a
    /// county's count read the whole table (351 ms at national scale), and its open hazards every open one of the nation.
    /// </summary>
    [Theory]
    [InlineData("530300")]
    [InlineData("530302")]
    public async Task ARegionalUsersCount_SeeksTheJurisdictionsRange(string jurisdiction)
    {
        Assert.Contains("ix_hazards_region_code_found_at (region_code>? AND region_code<?)", await PlanAsync(new HazardQuery(), ordered: false, jurisdiction));
        Assert.Contains("ix_hazards_open_region (region_code>? AND region_code<?)", await PlanAsync(new HazardQuery(Open: true), ordered: false, jurisdiction));
        Assert.Contains("ix_hazards_open_region (region_code>? AND region_code<?)", await PlanAsync(new HazardQuery(Overdue: true), ordered: false, jurisdiction));
    }

    /// <summary>A level is counted through its own index for a city (majors are fewer than a city's hazards), through the range for a county.</summary>
    [Fact]
    public async Task ALevel_IsCountedThroughTheRangeOnlyForACounty()
    {
        Assert.Contains("ix_hazards_level_found_at (level=?)", await PlanAsync(new HazardQuery(Level: HazardLevel.Major), ordered: false, "530300"));
        Assert.Contains("(region_code>? AND region_code<?)", await PlanAsync(new HazardQuery(Level: HazardLevel.Major), ordered: false, "530302"));
    }

    [Fact]
    public async Task ACountysOpenAndOverdueHazards_AreReadFromTheOpenSetByRegion()
    {
        Assert.Contains("ix_hazards_open_region", await PlanAsync(new HazardQuery(RegionCode: "530302", Open: true), ordered: false));
        Assert.Contains("ix_hazards_open_region", await PlanAsync(new HazardQuery(RegionCode: "530302", Overdue: true), ordered: false));
        Assert.Contains("ix_hazards_open_region", await PlanAsync(new HazardQuery(RegionCode: "530302", Open: true), ordered: true));
    }

    [Fact]
    public async Task ACategoryInARegionAndPeriod_IsCountedFromItsIndex()
    {
        var query = new HazardQuery(RegionCode: "530300", Category: "瓦斯", From: new DateOnly(2026, 3, 1), To: new DateOnly(2026, 5, 31));
        Assert.Contains("INDEX ix_hazards_professional_category_region_code_found_at", await PlanAsync(query, ordered: false));
    }

    [Fact]
    public async Task ListedHazards_AreReadFromTheirPartialIndex_InLedgerOrder()
    {
        var page = await PlanAsync(new HazardQuery(Listed: true), ordered: true);
        Assert.Contains("ix_hazards_listed_found_at", page);
        Assert.DoesNotContain("TEMP B-TREE", page);
        Assert.Contains("ix_hazards_listed_found_at", await PlanAsync(new HazardQuery(Listed: true), ordered: false));
    }

    [Fact]
    public async Task AWholeNumber_IsLookedUpByItsUniqueIndex()
    {
        var plan = await PlanAsync(new HazardQuery(Q: "yh-530302-2026-000123"), ordered: true);
        Assert.Contains("ix_hazards_number", plan);
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"^SCAN h( |$)", System.Text.RegularExpressions.RegexOptions.Multiline), plan); // (h0 is the page of ≤ 20)
    }

    [Fact]
    public async Task AText_WithFewCandidatesInTheSearchIndex_IsReadByIdNotByScanning()
    {
        // 擅 (擅自…) is in a few dozen descriptions of the demo city: the candidates from hazard_grams are read by rowid.
        var plan = await PlanAsync(new HazardQuery(Q: "擅"), ordered: false);
        Assert.Contains("INTEGER PRIMARY KEY", plan);
        Assert.DoesNotMatch(new System.Text.RegularExpressions.Regex(@"^SCAN h( |$)", System.Text.RegularExpressions.RegexOptions.Multiline), plan);

        // Open ones too: by rowid, not through an index of open ids first (ix_hazards_open_id is PostgreSQL's alone).
        var open = await PlanAsync(new HazardQuery(Q: "擅", Open: true), ordered: false);
        Assert.Contains("INTEGER PRIMARY KEY", open);
        Assert.DoesNotContain("ix_hazards_open_id", open);
    }

    /// <summary>The list API's queries (HazardApi.ListAsync): the page in ledger order, or the count.</summary>
    private Task<string> PlanAsync(HazardQuery query, bool ordered, string jurisdiction = RegionCodes.Nation) => app.WithDbAsync(async db =>
    {
        db.Scope = UserScope.ForRegion(jurisdiction, 1, jurisdiction);
        var selection = await query.SelectAsync(db, Today, CancellationToken.None);
        return ordered
            ? await QueryPlan.SqliteAsync(db, HazardViews.ToListItems(selection.Page(0, 20), Today))
            : await QueryPlan.SqliteAsync(db, selection.Counted.Select(h => h.Id).Take(10_001));
    });
}
