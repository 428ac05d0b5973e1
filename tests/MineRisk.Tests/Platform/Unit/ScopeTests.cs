using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Platform.Unit;

public sealed class ScopeTests
{
    private sealed record Item(string RegionCode, long? EnterpriseId) : IScoped;

    [Theory]
    [InlineData("100000", "")]
    [InlineData("530000", "53")]
    [InlineData("530300", "5303")]
    [InlineData("530302", "530302")]
    [InlineData("530302101", "530302101")]
    public void Prefix_OfEachLevel(string code, string prefix) => Assert.Equal(prefix, RegionCodes.Prefix(code));

    [Theory]
    [InlineData("", "~")]
    [InlineData("5303", "5304")]
    [InlineData("530309", "53031")]
    [InlineData("5399", "54")]
    public void UpperBound_IsTheNextPrefix(string prefix, string upper) => Assert.Equal(upper, RegionCodes.UpperBound(prefix));

    [Fact]
    public void CountyScope_CoversItsTownshipsAndNothingElse()
    {
        var qilin = UserScope.ForRegion("530302", 1, "麒麟区");
        Assert.True(qilin.Covers(new Item("530302101", 9)));
        Assert.True(qilin.Covers(new Item("530302", null)));
        Assert.False(qilin.Covers(new Item("530381101", 9))); // 宣威
        Assert.False(qilin.Covers(new Item("530303101", 9))); // 沾益, the next code up
        Assert.False(qilin.Covers(new Item("530300", null))); // the city itself
    }

    [Fact]
    public void CityScope_CoversItsCountiesButNotAnotherCity()
    {
        var qujing = UserScope.ForRegion("530300", 1, "曲靖市");
        Assert.True(qujing.Covers(new Item("530381105", null)));
        Assert.False(qujing.Covers(new Item("530627101", null))); // 昭通市镇雄县
    }

    [Fact]
    public void EnterpriseScope_CoversOnlyItsEnterprise()
    {
        var enterprise = UserScope.ForEnterprise(42, 1, "某煤业");
        Assert.True(enterprise.Covers(new Item("530381105", 42)));
        Assert.False(enterprise.Covers(new Item("530381105", 43)));
        Assert.False(enterprise.Covers(new Item("530381105", null)));
    }

    [Fact]
    public void Nothing_CoversNothing_AndSystemCoversEverything()
    {
        Assert.False(UserScope.Nothing.Covers(new Item("530302101", null)));
        Assert.True(UserScope.System.Covers(new Item("530302101", 5)));
    }

    [Fact]
    public void AllRegions_OnlyForScopesWithoutARegionBound()
    {
        Assert.True(UserScope.ForRegion(RegionCodes.Nation, 1, "全国").AllRegions);
        Assert.True(UserScope.System.AllRegions);
        Assert.True(UserScope.ForEnterprise(42, 1, "某煤业").AllRegions);
        Assert.False(UserScope.ForRegion("530000", 1, "云南省").AllRegions);
        Assert.False(UserScope.Nothing.AllRegions);
    }

    [Theory]
    [InlineData("530000", RegionLevel.Province)]
    [InlineData("530300", RegionLevel.City)]
    [InlineData("530381", RegionLevel.County)]
    [InlineData("530381101", RegionLevel.Township)]
    [InlineData("100000", RegionLevel.Nation)]
    public void LevelOf_ReadsTheCode(string code, RegionLevel level) => Assert.Equal(level, RegionCodes.LevelOf(code));
}
