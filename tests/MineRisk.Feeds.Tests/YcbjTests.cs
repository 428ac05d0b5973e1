using static MineRisk.Feeds.Tests.Support.Reading;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class YcbjTests
{
    private static readonly YcbjFormat Ycbj = FeedFormats.Ycbj;

    [Fact]
    public void ReadYcbj_ValidFile_ReturnsClosedAndOpenAlarms()
    {
        var document = Read(Ycbj, ValidFile(FeedType.Ycbj));

        var closed = document.Records[0];
        Assert.Equal("530381000123MN0003", closed.PointCode);
        Assert.Equal("甲烷", closed.SensorTypeName);
        Assert.Equal("1302掘进工作面", closed.Location);
        Assert.Equal("%CH4", closed.Unit);
        Assert.Equal(AlarmKind.OverLimit, closed.Kind);
        Assert.Equal(China(2025, 3, 1, 7, 10, 0), closed.StartTime);
        Assert.Equal(China(2025, 3, 1, 7, 25, 30), closed.EndTime);
        Assert.Equal(1.62, closed.MaxValue);
        Assert.Equal(China(2025, 3, 1, 7, 18, 0), closed.MaxTime);
        Assert.Equal(1.01, closed.MinValue);
        Assert.Equal(China(2025, 3, 1, 7, 10, 0), closed.MinTime);
        Assert.Equal(1.28, closed.AverageValue);
        Assert.Equal("局部通风机故障停风", closed.Cause);
        Assert.Equal("恢复通风、撤出人员", closed.Measures);
        Assert.Equal(China(2025, 3, 1, 7, 40, 0), closed.EnteredAt);
        Assert.Equal("张伟", closed.EnteredBy);
        Assert.False(closed.IsOpen);

        var open = document.Records[1];
        Assert.True(open.IsOpen);
        Assert.Null(open.EndTime);
        Assert.Null(open.EnteredAt);
        Assert.Equal("", open.Cause);
        Assert.Equal(AlarmKind.UpperWarning, open.Kind);
        Assert.Equal(("530381000123MN0001", AlarmKind.UpperWarning, China(2025, 3, 1, 8, 20, 0)), open.Identity);
    }

    [Theory]
    [InlineData("001", AlarmKind.OverLimit)]
    [InlineData("002", AlarmKind.PowerCut)]
    [InlineData("003", AlarmKind.FeedbackAbnormal)]
    [InlineData("004", AlarmKind.Disconnected)]
    [InlineData("005", AlarmKind.StationPowerCut)]
    [InlineData("006", AlarmKind.StationUnreachable)]
    [InlineData("007", AlarmKind.Calibrating)]
    [InlineData("008", AlarmKind.OverRange)]
    [InlineData("009", AlarmKind.UpperWarning)]
    [InlineData("010", AlarmKind.LowerWarning)]
    [InlineData("1", AlarmKind.OverLimit)]
    [InlineData("10", AlarmKind.LowerWarning)]
    public void ReadYcbj_AlarmKindCodes_MapToKinds(string code, AlarmKind expected)
    {
        var alarm = Assert.Single(Read(Ycbj, File(Header3, YcbjClosed.Replace(";001;", $";{code};"))).Records);

        Assert.Equal(expected, alarm.Kind);
    }

    [Theory]
    [InlineData("000")]
    [InlineData("011")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("0001")]
    [InlineData("超限")]
    public void ReadYcbj_UnknownAlarmKind_IsAnError(string code)
    {
        var error = Fails(Ycbj, File(Header3, YcbjClosed.Replace(";001;", $";{code};")));

        Assert.Equal(FeedErrorKind.InvalidValue, error.Kind);
        Assert.Equal("异常类型", error.FieldName);
        Assert.Equal($"异常类型「{code}」应为 001–010", error.Reason);
    }

    [Fact]
    public void ReadYcbj_EmptyStart_ReportsMissingValue()
    {
        var error = Fails(Ycbj, File(Header3, YcbjClosed.Replace(";001;2025-03-01 07:10:00;", ";001;;")));

        Assert.Equal(FeedErrorKind.MissingValue, error.Kind);
        Assert.Equal("开始", error.FieldName);
    }

    [Fact]
    public void ReadYcbj_BadMaxTime_NamesTheField()
    {
        var error = Fails(Ycbj, File(Header3, YcbjOpen, YcbjClosed.Replace("2025-03-01 07:18:00", "07:18")));

        Assert.Equal(FeedErrorKind.InvalidTime, error.Kind);
        Assert.Equal("最大时刻", error.FieldName);
        Assert.Equal(2, error.RecordNumber);
    }
}
