using static MineRisk.Feeds.Tests.Support.Reading;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class CddyTests
{
    private static readonly CddyFormat Cddy = FeedFormats.Cddy;

    [Fact]
    public void ReadCddy_ValidFile_ReturnsHeaderDetailsAndPoints()
    {
        var document = Read(Cddy, ValidFile(FeedType.Cddy));

        Assert.Equal(["KJ90X", "安全监控系统", "重庆煤科院", "2025-03-01"], document.Header.Details);
        Assert.Equal(UploadAt, document.Header.UploadTime);
        var methane = document.Records[0];
        Assert.Equal("530381000123MN0001", methane.PointCode);
        Assert.Equal("01", methane.SystemCode);
        Assert.Equal("03", methane.SubstationCode);
        Assert.Equal("甲烷", methane.SensorType);
        Assert.Equal(PointValueKind.Analog, methane.ValueKind);
        Assert.Equal("%CH4", methane.Unit);
        Assert.Equal(4, methane.RangeHigh);
        Assert.Equal(0, methane.RangeLow);
        Assert.Equal(1, methane.UpperAlarm);
        Assert.Equal(0.8, methane.UpperAlarmClear);
        Assert.Null(methane.LowerAlarm);
        Assert.Null(methane.LowerAlarmClear);
        Assert.Equal(1.5, methane.UpperPowerOff);
        Assert.Equal(1, methane.UpperPowerRestore);
        Assert.Null(methane.LowerPowerOff);
        Assert.Null(methane.LowerPowerRestore);
        Assert.Equal("1301回采工作面回风隅角", methane.Location);
        Assert.Equal(1203.5, methane.X);
        Assert.Equal(876.25, methane.Y);
        Assert.Equal(-310.2, methane.Z);
        Assert.Equal("530381000123KG0007", methane.Relation);
        Assert.Equal(China(2025, 3, 1, 8, 0, 0), methane.DataTime);

        var feed = document.Records[1];
        Assert.Equal(PointValueKind.Switch, feed.ValueKind);
        Assert.Equal("有电", feed.OnDescription);
        Assert.Equal("无电", feed.OffDescription);
        Assert.Null(feed.RangeHigh);
        Assert.Null(feed.X);
    }

    [Theory]
    [InlineData("mn", PointValueKind.Analog)]
    [InlineData("Kg", PointValueKind.Switch)]
    public void ReadCddy_ValueKindInOtherCase_MeansTheSame(string text, PointValueKind expected)
    {
        var point = Assert.Single(Read(Cddy, File(CddyHeader, CddyMethane.Replace(";MN;", $";{text};"))).Records);

        Assert.Equal(expected, point.ValueKind);
    }

    [Theory]
    [InlineData("LJ", FeedErrorKind.InvalidValue)]
    [InlineData("模拟量", FeedErrorKind.InvalidValue)]
    [InlineData("", FeedErrorKind.MissingValue)]
    public void ReadCddy_UnknownValueKind_IsAnError(string text, FeedErrorKind kind)
    {
        var error = Fails(Cddy, File(CddyHeader, CddyFeed, CddyMethane.Replace(";MN;", $";{text};")));

        Assert.Equal(kind, error.Kind);
        Assert.Equal("数值类型", error.FieldName);
        Assert.Equal(2, error.RecordNumber);
    }

    [Fact]
    public void ReadCddy_BadThreshold_NamesTheThreshold()
    {
        var error = Fails(Cddy, File(CddyHeader, CddyMethane.Replace(";1;0.8;", ";一;0.8;")));

        Assert.Equal(FeedErrorKind.InvalidNumber, error.Kind);
        Assert.Equal("上限报警", error.FieldName);
        Assert.Equal("上限报警「一」不是数字", error.Reason);
    }

    [Fact]
    public void ReadCddy_ThreeFieldHeader_ReportsFieldCount()
    {
        var error = Fails(Cddy, File(Header3, CddyMethane));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal(0, error.RecordNumber);
        Assert.Equal("文件头只有 3 个字段，应为 7 个", error.Reason);
    }

    [Fact]
    public void ReadCddy_MissingDataTime_ReportsMissingValue()
    {
        var error = Fails(Cddy, File(CddyHeader, CddyMethane.Replace("2025-03-01 08:00:00", "")));

        Assert.Equal(FeedErrorKind.MissingValue, error.Kind);
        Assert.Equal("数据时间", error.FieldName);
    }

    [Fact]
    public void ReadCddy_TwentyThreeFields_ReportsFieldCount()
    {
        var error = Fails(Cddy, File(CddyHeader, CddyMethane[..CddyMethane.LastIndexOf(';')]));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal("记录只有 23 个字段，应为 24 个", error.Reason);
    }
}
