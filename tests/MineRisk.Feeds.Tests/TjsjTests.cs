using static MineRisk.Feeds.Tests.Support.Reading;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class TjsjTests
{
    private static readonly TjsjFormat Tjsj = FeedFormats.Tjsj;

    [Fact]
    public void ReadTjsj_ValidFile_ReturnsStatistics()
    {
        var statistics = Assert.Single(Read(Tjsj, ValidFile(FeedType.Tjsj)).Records);

        Assert.Equal("530381000123MN0001", statistics.PointCode);
        Assert.Equal("甲烷", statistics.SensorTypeName);
        Assert.Equal("1301回采工作面回风隅角", statistics.Location);
        Assert.Equal("%CH4", statistics.Unit);
        Assert.Equal(China(2025, 3, 1, 8, 25, 0), statistics.StartTime);
        Assert.Equal(China(2025, 3, 1, 8, 30, 0), statistics.EndTime);
        Assert.Equal(0.47, statistics.MaxValue);
        Assert.Equal(China(2025, 3, 1, 8, 27, 30), statistics.MaxTime);
        Assert.Equal(0.38, statistics.MinValue);
        Assert.Equal(China(2025, 3, 1, 8, 25, 10), statistics.MinTime);
        Assert.Equal(0.42, statistics.AverageValue);
        Assert.Equal(China(2025, 3, 1, 8, 30, 0), statistics.DataTime);
    }

    [Fact]
    public void ReadTjsj_EmptyEnd_ReportsMissingValue()
    {
        var error = Fails(Tjsj, File(Header3, TjsjMethane.Replace(";2025-03-01 08:30:00;0.47", ";;0.47")));

        Assert.Equal(FeedErrorKind.MissingValue, error.Kind);
        Assert.Equal("结束", error.FieldName);
    }

    [Fact]
    public void ReadTjsj_EmptyStatistics_AreNull()
    {
        var statistics = Assert.Single(Read(Tjsj, File(Header3, "P9;馈电;1301配电点;;2025-03-01 08:25:00;2025-03-01 08:30:00;;;;;;2025-03-01 08:30:00")).Records);

        Assert.Null(statistics.MaxValue);
        Assert.Null(statistics.MaxTime);
        Assert.Null(statistics.AverageValue);
    }

    [Fact]
    public void ReadTjsj_BadAverage_ReportsInvalidNumber()
    {
        var error = Fails(Tjsj, File(Header3, TjsjMethane.Replace(";0.42;", ";0.42.1;")));

        Assert.Equal(FeedErrorKind.InvalidNumber, error.Kind);
        Assert.Equal("平均值", error.FieldName);
    }
}
