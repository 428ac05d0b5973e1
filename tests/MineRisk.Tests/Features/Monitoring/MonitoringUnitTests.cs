using Microsoft.Extensions.Options;
using MineRisk.Feeds;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring;
using MineRisk.Web.Features.Monitoring.Simulation;

namespace MineRisk.Tests.Features.Monitoring;

public sealed class LawThresholdsTests
{
    private static MineEntry Mine(GasLevel gas, bool rockBurst = false) =>
        new(new MineRef(1, "530302900001", "测试", "530302101", 1), MineStatus.Producing, gas, rockBurst, 100, DateTime.UnixEpoch);

    [Theory]
    [InlineData("甲烷", "%CH4", "1301综采工作面回风隅角", "采煤工作面(回风隅角)")]
    [InlineData("低浓度甲烷", "%CH4", "1302回采工作面回风顺槽", "采煤工作面回风巷")]
    [InlineData("甲烷", "%", "1305掘进工作面", "掘进工作面")]
    [InlineData("甲烷", "%CH4", "1305掘进工作面回风流", "掘进工作面回风流")]
    [InlineData("甲烷", "%CH4", "北翼总回风巷", "总回风巷")]
    [InlineData("甲烷", "%CH4", "东一采区回风巷", "采(盘)区回风巷")]
    [InlineData("甲烷", "%CH4", "MG450采煤机", "采煤机/掘进机/连采机/锚杆钻车/梭车")]
    [InlineData("甲烷", "%CH4", "中央变电所", "机电设备硐室/地面抽采泵房")]
    [InlineData("一氧化碳", "ppm", "主斜井带式输送机滚筒下风侧", "带式输送机滚筒下风侧")]
    [InlineData("一氧化碳", "ppm", "1301工作面回风巷", "回风巷/回风流")]
    public void Match_RecognisesTheLocationsMinesWrite(string sensor, string unit, string location, string row) =>
        Assert.Equal(row, LawThresholds.Match(sensor, unit, location, Mine(GasLevel.Low))?.Location);

    [Fact]
    public void Match_IsSilentWhereTheTableSaysNothing_AndTheInletRowAppliesToOutburstMinesOnly()
    {
        Assert.Null(LawThresholds.Match("温度", "℃", "1301综采工作面", Mine(GasLevel.Low)));
        Assert.Null(LawThresholds.Match("甲烷", "%CH4", "地面办公楼", Mine(GasLevel.Low)));
        Assert.Null(LawThresholds.Match("甲烷", "%CH4", "1301工作面运输巷", Mine(GasLevel.Low)));
        Assert.Equal("突出/冲击地压高瓦斯矿井采煤工作面进风巷", LawThresholds.Match("甲烷", "%CH4", "1301工作面运输巷", Mine(GasLevel.Outburst))?.Location);
        Assert.Equal("突出/冲击地压高瓦斯矿井采煤工作面进风巷", LawThresholds.Match("甲烷", "%CH4", "1301工作面运输巷", Mine(GasLevel.High, rockBurst: true))?.Location);
    }

    [Fact]
    public void Check_ComparesInThePointsUnit_AndNamesEveryLooseThreshold()
    {
        var strict = LawThresholds.Check("甲烷", "%CH4", "总回风巷", 0.75, null, null, null)!;
        Assert.Null(strict.LooseNote);
        var ppm = LawThresholds.Check("一氧化碳", "ppm", "回风巷", 24, null, null, null)!;
        Assert.Equal(24, ppm.Alarm);
        Assert.Null(ppm.LooseNote);
        var loose = LawThresholds.Check("甲烷", "%CH4", "1301综采工作面回风隅角", 1.2, 2.0, 1.2, null)!;
        Assert.Equal("上限报警值 1.2%CH4 高于规程的 1%CH4；断电值 2%CH4 高于规程的 1.5%CH4；复电值 1.2%CH4 高于规程的 1%CH4（采煤工作面(回风隅角)，煤矿安全规程(2025) 第536条 表19）", loose.LooseNote);
        Assert.Null(LawThresholds.Check("甲烷", "mg/m3", "总回风巷", 10, null, null, null)); // a unit the table cannot be compared in
    }
}

public sealed class ShiftTests
{
    private static readonly AlarmEngine Engine = new(Options.Create(new MonitoringOptions()), null!);

    [Theory]
    [InlineData("2026-06-15T02:00:00Z", "班次20260615-2", "2026-06-15 早班（08:00–16:00）", "2026-06-15T00:00:00Z")]
    [InlineData("2026-06-15T15:59:59Z", "班次20260615-3", "2026-06-15 中班（16:00–00:00）", "2026-06-15T08:00:00Z")]
    [InlineData("2026-06-15T16:00:00Z", "班次20260616-1", "2026-06-16 夜班（00:00–08:00）", "2026-06-15T16:00:00Z")]
    public void ShiftAt_IsInChinaTime(string utc, string key, string name, string startUtc)
    {
        var (k, n, s) = Engine.ShiftAt(DateTime.Parse(utc, null, System.Globalization.DateTimeStyles.AdjustToUniversal));
        Assert.Equal(key, k);
        Assert.Equal(name, n);
        Assert.Equal(DateTime.Parse(startUtc, null, System.Globalization.DateTimeStyles.AdjustToUniversal), s);
    }
}

/// <summary>The simulator must look like a mine's feed, not like the fabricated ones DOMAIN §8 warns about.</summary>
public sealed class FeedSimulationTests
{
    [Fact]
    public void Signals_AreCorrelatedFromOneReadingToTheNext_NotFlat_AndExceedancesAreRare()
    {
        var sim = new FeedSimulation([("530302900001", "模拟煤矿")], pointsPerMine: 12, seed: 7, eventsPerPointHour: 0.02);
        var mine = sim.Mines[0];
        var start = new DateTimeOffset(2026, 6, 15, 0, 0, 0, TimeSpan.Zero);
        var series = new List<double>();
        var exceed = 0;
        var total = 0;
        for (var i = 0; i < 2880; i++)
        {
            var readings = sim.Step(mine, start.AddSeconds(30 * i));
            series.Add(readings[0].Value!.Value); // 回风隅角 methane
            exceed += readings.Count(r => (r.Status & PointStatus.Alarm) != 0);
            total += readings.Count;
        }

        var mean = series.Average();
        var variance = series.Sum(v => (v - mean) * (v - mean));
        var lag1 = Enumerable.Range(1, series.Count - 1).Sum(i => (series[i] - mean) * (series[i - 1] - mean)) / variance;
        Assert.True(lag1 > 0.6, $"相邻读数相关系数 {lag1:0.00}");
        var unchanged = Enumerable.Range(1, series.Count - 1).Count(i => series[i] == series[i - 1]);
        Assert.True(series.Distinct().Count() >= 10 && unchanged < series.Count / 2, $"曲线不能是直线：{series.Distinct().Count()} 个不同值，{unchanged} 次不变");
        Assert.InRange(mean, 0.1, 0.8);
        Assert.True(exceed < total * 0.01, $"超限 {exceed}/{total}");
    }

    [Fact]
    public void Files_ReadBackWithTheFeedsLibrary_AndTheSameSeedGivesTheSameFiles()
    {
        DateTimeOffset at = new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);
        var a = new FeedSimulation([("530302900001", "模拟煤矿")], 300, seed: 3, eventsPerPointHour: 0.01);
        var b = new FeedSimulation([("530302900001", "模拟煤矿")], 300, seed: 3, eventsPerPointHour: 0.01);
        var cdss = a.Cdss(a.Mines[0], at);
        Assert.Equal(cdss.Content, b.Cdss(b.Mines[0], at).Content);
        Assert.Equal(300, ((FeedDocument<CdssReading>)FeedFile.Read(cdss.Name, cdss.Content)).Count);
        foreach (var (name, content) in new[] { FeedSimulation.Cddy(a.Mines[0], at), FeedSimulation.Ryqy(a.Mines[0], at), FeedSimulation.Ryxx(a.Mines[0], at), FeedSimulation.Ryss(a.Mines[0], at) })
        {
            Assert.True(FeedFile.Read(name, content).Count > 0, name);
        }

        Assert.Equal(300, a.Mines[0].Points.Select(p => p.Definition.PointCode).Distinct().Count());
    }
}
