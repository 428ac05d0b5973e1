using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;

namespace MineRisk.Tests.Features.Mines;

/// <summary>The demo registry: the 曲靖 mix at city scale, reproducible, and the larger province scale.</summary>
public sealed class MineDemoDataTests(SqliteApp app) : IClassFixture<SqliteApp>
{
    [Fact]
    public async Task CityScale_Has220Mines_AboutHalfToCloseOrMerge_InEveryCounty()
    {
        var mines = await app.WithDbAsync(db => db.Set<Mine>().Select(m => new { m.Code, m.RegionCode, m.Disposition, m.Status, m.ApprovedCapacity }).ToListAsync());
        Assert.Equal(220, mines.Count);
        var closeOrMerge = mines.Count(m => m.Disposition != Disposition.Retain);
        Assert.InRange(closeOrMerge, 105, 117); // seed 000: "拟整合关闭矿井数约111对左右"
        Assert.Equal(9, mines.Select(m => m.RegionCode[..6]).Distinct().Count());
        Assert.All(mines, m => Assert.True(MineInput.IsValidCode(m.Code)));
        Assert.Contains(mines, m => m.Status == MineStatus.Closed);
        Assert.Contains(mines, m => m.ApprovedCapacity < 9);
        var flagged = await app.WithDbAsync(db => db.Set<MineLicence>().CountAsync(l => l.ExpiresOn < new DateOnly(2026, 6, 15)));
        Assert.True(flagged > 0, "演示数据中应有过期的证照");
    }

    [Fact]
    public async Task DemoData_IsReproducibleFromTheSeed()
    {
        await using var again = new ExistingDatabaseApp(TestDatabase.Sqlite(), "city");
        await again.StartAsync();
        static Task<List<string>> Fingerprint(AppFixture a) => a.WithDbAsync(db =>
            db.Set<Mine>().OrderBy(m => m.Code).Select(m => m.Code + m.Name + m.Status + m.Disposition + m.ApprovedCapacity + m.EnterpriseId).ToListAsync());
        Assert.Equal(await Fingerprint(app), await Fingerprint(again));
    }

    [Fact]
    public async Task ProvinceScale_Has1000Mines_AndItsAccountSeesThemAll()
    {
        await using var province = new ExistingDatabaseApp(TestDatabase.Sqlite(), "province");
        await province.StartAsync();
        Assert.Equal(1000, await province.WithDbAsync(db => db.Set<Mine>().CountAsync()));
        var all = await HttpAssert.JsonAsync(await (await province.ApiAsAsync("province")).GetAsync("/api/v1/mines?pageSize=1"), System.Net.HttpStatusCode.OK);
        Assert.Equal(1000, all.GetProperty("total").GetInt32());
        var city = await HttpAssert.JsonAsync(await (await province.ApiAsAsync("city")).GetAsync("/api/v1/mines?pageSize=1"), System.Net.HttpStatusCode.OK);
        Assert.Equal(220, city.GetProperty("total").GetInt32());
        var cities = await province.WithDbAsync(db => db.Regions.CountAsync(r => r.Level == MineRisk.Web.Platform.Regions.RegionLevel.City));
        Assert.True(cities >= 7);
    }
}
