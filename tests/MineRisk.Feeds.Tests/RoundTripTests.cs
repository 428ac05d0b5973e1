using System.Buffers;
using System.Text;
using MineRisk.Feeds.Tests.Support;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class RoundTripTests
{
    public static TheoryData<FeedType> Types => new(FeedTypes.All);

    [Theory]
    [MemberData(nameof(Types))]
    public void WriteThenRead_RandomRecords_GivesTheSameRecords(FeedType type)
    {
        var random = new RandomRecords(seed: 20250301 + (int)type);
        for (int round = 0; round < 20; round++)
        {
            switch (type)
            {
                case FeedType.Cddy: AssertRoundTrip(FeedFormats.Cddy, random.Header(type), random.Many(50, random.Cddy)); break;
                case FeedType.Cdss: AssertRoundTrip(FeedFormats.Cdss, random.Header(type), random.Many(50, random.Cdss)); break;
                case FeedType.Ycbj: AssertRoundTrip(FeedFormats.Ycbj, random.Header(type), random.Many(50, random.Ycbj)); break;
                case FeedType.Tjsj: AssertRoundTrip(FeedFormats.Tjsj, random.Header(type), random.Many(50, random.Tjsj)); break;
                case FeedType.Ryqy: AssertRoundTrip(FeedFormats.Ryqy, random.Header(type), random.Many(50, random.Ryqy)); break;
                case FeedType.Ryxx: AssertRoundTrip(FeedFormats.Ryxx, random.Header(type), random.Many(50, random.Ryxx)); break;
                case FeedType.Ryss: AssertRoundTrip(FeedFormats.Ryss, random.Header(type), random.Many(50, random.Ryss)); break;
                case FeedType.Jzss: AssertRoundTrip(FeedFormats.Jzss, random.Header(type), random.Many(50, random.Jzss)); break;
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void ReadThenWrite_SampleFile_GivesTheSameBytes(FeedType type)
    {
        string content = ValidFile(type);
        var format = FeedFormats.For(type);

        var document = format.ReadDocument(Utf8(content), FileName(type));

        Assert.Equal(content, Encoding.UTF8.GetString(Rewrite(document)));
    }

    [Fact]
    public void WriteCdss_ExactLayout()
    {
        var header = new FeedHeader(MineCode, MineName, UploadAt);
        var readings = new[]
        {
            new CdssReading("530381000123MN0001", "甲烷", "1301回采工作面回风隅角", 0.42, "%CH4", PointStatus.Normal, China(2025, 3, 1, 8, 29, 58)),
            new CdssReading("530381000123MN0004", "风速", "主要回风巷", null, "m/s", PointStatus.SensorFault | PointStatus.Alarm, China(2025, 3, 1, 8, 29, 58)),
        };

        string written = Encoding.UTF8.GetString(FeedFormats.Cdss.WriteToArray(header, readings));

        Assert.Equal(
            "530381000123;麒麟区东山煤矿;2025-03-01 08:30:00~" +
            "530381000123MN0001;甲烷;1301回采工作面回风隅角;0.42;%CH4;0;2025-03-01 08:29:58~" +
            "530381000123MN0004;风速;主要回风巷;;m/s;129;2025-03-01 08:29:58~||",
            written);
    }

    [Fact]
    public void WriteYcbj_AlarmKindIsThreeDigits()
    {
        var alarm = new YcbjAlarm { PointCode = "P1", Kind = AlarmKind.LowerWarning, StartTime = UploadAt, DataTime = UploadAt };

        string written = Encoding.UTF8.GetString(FeedFormats.Ycbj.WriteToArray(new FeedHeader(MineCode, MineName, UploadAt), [alarm]));

        Assert.Contains("~P1;;;;010;2025-03-01 08:30:00;;;;;;;;;;;2025-03-01 08:30:00~||", written);
    }

    [Fact]
    public void Write_UtcTimes_AreWrittenAsChinaTime()
    {
        var utc = new DateTimeOffset(2025, 2, 28, 16, 30, 0, TimeSpan.Zero);

        string written = Encoding.UTF8.GetString(FeedFormats.Jzss.WriteToArray(
            new FeedHeader(MineCode, MineName, utc),
            [new JzssStation { StationCode = "S1", RunState = 0, PowerState = 9, DataTime = utc }]));

        Assert.Equal("530381000123;麒麟区东山煤矿;2025-03-01 00:30:00~S1;0;9;2025-03-01 00:30:00~||", written);
    }

    [Fact]
    public void WriteToStream_LargeFile_MatchesWriteToArray()
    {
        var header = new FeedHeader(MineCode, MineName, UploadAt);
        var random = new RandomRecords(5);
        var readings = random.Many(30_000, random.Cdss);
        using var stream = new MemoryStream();

        FeedFormats.Cdss.Write(stream, header, readings);

        Assert.Equal(FeedFormats.Cdss.WriteToArray(header, readings), stream.ToArray());
    }

    private static void AssertRoundTrip<T>(FeedFormat<T> format, FeedHeader header, List<T> records)
    {
        var bytes = format.WriteToArray(header, records);

        var document = Reading.Read(format, bytes);

        Assert.Equal(header, document.Header);
        Assert.Equal(records, document.Records);
    }

    private static byte[] Rewrite(FeedDocument document)
    {
        var output = new ArrayBufferWriter<byte>();
        switch (document)
        {
            case FeedDocument<CddyPoint> d: FeedFormats.Cddy.Write(output, d.Header, d.Records); break;
            case FeedDocument<CdssReading> d: FeedFormats.Cdss.Write(output, d.Header, d.Records); break;
            case FeedDocument<YcbjAlarm> d: FeedFormats.Ycbj.Write(output, d.Header, d.Records); break;
            case FeedDocument<TjsjStatistics> d: FeedFormats.Tjsj.Write(output, d.Header, d.Records); break;
            case FeedDocument<RyqyArea> d: FeedFormats.Ryqy.Write(output, d.Header, d.Records); break;
            case FeedDocument<RyxxPerson> d: FeedFormats.Ryxx.Write(output, d.Header, d.Records); break;
            case FeedDocument<RyssPosition> d: FeedFormats.Ryss.Write(output, d.Header, d.Records); break;
            case FeedDocument<JzssStation> d: FeedFormats.Jzss.Write(output, d.Header, d.Records); break;
            default: throw new ArgumentOutOfRangeException(nameof(document));
        }

        return output.WrittenSpan.ToArray();
    }
}

public class WriterTests
{
    private static readonly FeedHeader Header = new(MineCode, MineName, UploadAt);

    [Theory]
    [InlineData("回风;隅角", "分隔符")]
    [InlineData("回风~隅角", "分隔符")]
    [InlineData("回风||隅角", "分隔符")]
    [InlineData(" 回风隅角", "首尾有空白")]
    [InlineData("回风隅角\r\n", "首尾有空白")]
    public void WriteCdss_TextTheLayoutCannotCarry_IsRefused(string location, string reason)
    {
        var reading = new CdssReading("P1", "甲烷", location, 0.5, "%CH4", PointStatus.Normal, UploadAt);

        var error = Assert.Throws<ArgumentException>(() => FeedFormats.Cdss.WriteToArray(Header, [reading]));

        Assert.Contains("第 1 条记录的安装位置", error.Message);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void WriteCdss_LoneSurrogate_IsRefused()
    {
        // Built at run time: theory data would be serialised and the lone surrogate replaced before the test.
        string location = "回风" + (char)0xD800 + "隅角";
        var reading = new CdssReading("P1", "甲烷", location, 0.5, "%CH4", PointStatus.Normal, UploadAt);

        var error = Assert.Throws<ArgumentException>(() => FeedFormats.Cdss.WriteToArray(Header, [reading]));

        Assert.Contains("不是有效的 Unicode", error.Message);
    }

    [Fact]
    public void WriteCdss_EmptyPointCode_IsRefused()
    {
        var reading = new CdssReading("", "甲烷", "回风巷", 0.5, "%CH4", PointStatus.Normal, UploadAt);

        var error = Assert.Throws<ArgumentException>(() => FeedFormats.Cdss.WriteToArray(Header, [reading]));

        Assert.Contains("测点编码", error.Message);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void WriteCdss_NonFiniteValue_IsRefused(double value)
    {
        var reading = new CdssReading("P1", "甲烷", "回风巷", value, "%CH4", PointStatus.Normal, UploadAt);

        Assert.Throws<ArgumentException>(() => FeedFormats.Cdss.WriteToArray(Header, [reading]));
    }

    [Fact]
    public void Write_BadMineCodeOrOldTime_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => FeedFormats.Cdss.WriteToArray(Header with { MineCode = "5303" }, []));
        Assert.Throws<ArgumentException>(() => FeedFormats.Cdss.WriteToArray(Header with { UploadTime = new DateTimeOffset(1800, 1, 1, 0, 0, 0, TimeSpan.Zero) }, []));
    }

    [Fact]
    public void Write_OutOfRangeCodes_AreRefused()
    {
        Assert.Throws<ArgumentException>(() => FeedFormats.Ycbj.WriteToArray(Header, [new YcbjAlarm { PointCode = "P", Kind = (AlarmKind)11, StartTime = UploadAt, DataTime = UploadAt }]));
        Assert.Throws<ArgumentException>(() => FeedFormats.Jzss.WriteToArray(Header, [new JzssStation { StationCode = "S", RunState = 3, PowerState = 0, DataTime = UploadAt }]));
        Assert.Throws<ArgumentException>(() => FeedFormats.Ryss.WriteToArray(Header, [new RyssPosition { CardNumber = "C", InOutFlag = 3 }]));
        Assert.Throws<ArgumentException>(() => FeedFormats.Cddy.WriteToArray(Header, [new CddyPoint { PointCode = "P", ValueKind = default, DataTime = UploadAt }]));
    }

    [Fact]
    public void WriteCddy_WrongNumberOfHeaderDetails_IsRefused()
    {
        Assert.Throws<ArgumentException>(() => FeedFormats.Cddy.WriteToArray(Header with { Details = ["KJ90X"] }, []));
        Assert.Contains(";;;;;", Encoding.UTF8.GetString(FeedFormats.Cddy.WriteToArray(Header, [])));
    }
}
