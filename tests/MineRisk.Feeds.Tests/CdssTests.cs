using System.Text;
using MineRisk.Feeds.Tests.Support;
using static MineRisk.Feeds.Tests.Support.Reading;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class CdssTests
{
    private static readonly CdssFormat Cdss = FeedFormats.Cdss;

    [Fact]
    public void ReadCdss_ValidFile_ReturnsHeaderAndTypedReadings()
    {
        var document = Read(Cdss, ValidFile(FeedType.Cdss));

        Assert.Equal(new FeedHeader(MineCode, MineName, China(2025, 3, 1, 8, 30, 0)), document.Header);
        Assert.Equal(3, document.Count);
        var methane = document.Records[0];
        Assert.Equal("530381000123MN0001", methane.PointCode);
        Assert.Equal("甲烷", methane.SensorTypeName);
        Assert.Equal("1301回采工作面回风隅角", methane.Location);
        Assert.Equal(0.42, methane.Value);
        Assert.Equal("%CH4", methane.Unit);
        Assert.Equal(PointStatus.Normal, methane.Status);
        Assert.Equal(China(2025, 3, 1, 8, 29, 58), methane.DataTime);
        Assert.Equal(TimeSpan.FromHours(8), methane.DataTime.Offset);
        Assert.Equal(new DateTime(2025, 3, 1, 0, 29, 58, DateTimeKind.Utc), methane.DataTime.UtcDateTime);
        Assert.Equal(PointStatus.Alarm | PointStatus.PowerCut, document.Records[2].Status);
    }

    [Fact]
    public void ReadCdss_HeaderOnly_HasNoRecords()
    {
        var document = Read(Cdss, Header3 + "~||");

        Assert.Equal(0, document.Count);
        Assert.Equal(MineCode, document.Header.MineCode);
    }

    [Fact]
    public void ReadCdss_Utf8Bom_IsIgnored()
    {
        var content = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Utf8(ValidFile(FeedType.Cdss))).ToArray();

        Assert.Equal(3, Read(Cdss, content).Count);
    }

    [Fact]
    public void ReadCdss_LineBreaksAndSpacesBetweenRecords_AreIgnored()
    {
        string content = Header3 + "~\r\n" + CdssMethane + "\r\n~\n  " + CdssCo + "\t~\r\n||\r\n";

        var document = Read(Cdss, content);

        Assert.Equal(["530381000123MN0001", "530381000123MN0002"], document.Records.Select(r => r.PointCode));
        Assert.Equal(China(2025, 3, 1, 8, 29, 58), document.Records[1].DataTime);
    }

    [Fact]
    public void ReadCdss_SpacesAroundFields_AreTrimmed()
    {
        var document = Read(Cdss, File(Header3, "530381000123MN0001 ; 甲烷 ;1301回采工作面回风隅角 ; 0.42 ;%CH4; 1 ; 2025-03-01 08:29:58 "));

        var reading = Assert.Single(document.Records);
        Assert.Equal("530381000123MN0001", reading.PointCode);
        Assert.Equal("甲烷", reading.SensorTypeName);
        Assert.Equal(0.42, reading.Value);
        Assert.Equal(PointStatus.Alarm, reading.Status);
    }

    [Fact]
    public void ReadCdss_LastRecordWithoutTilde_IsRead()
    {
        var document = Read(Cdss, Header3 + "~" + CdssMethane + "~" + CdssCo + "||");

        Assert.Equal(2, document.Count);
        Assert.Equal(12, document.Records[1].Value);
    }

    [Theory]
    [InlineData("~~||")]
    [InlineData("~ \r\n ~||")]
    [InlineData("~~~\r\n||")]
    public void ReadCdss_TrailingEmptyRecords_AreSkipped(string ending)
    {
        var document = Read(Cdss, Header3 + "~" + CdssMethane + ending);

        Assert.Single(document.Records);
    }

    [Fact]
    public void ReadCdss_EmptySegmentInTheMiddle_IsSkippedButCountsForRecordNumbers()
    {
        var error = Fails(Cdss, Header3 + "~" + CdssMethane + "~~" + CdssCo.Replace(";12;", ";x;") + "~||");

        Assert.Equal(3, error.RecordNumber);
        Assert.Equal(3, Read(Cdss, Header3 + "~" + CdssMethane + "~~" + CdssCo + "~" + CdssAlarm + "~||").Count);
    }

    [Fact]
    public void ReadCdss_WhitespaceAfterClosingMarker_IsAccepted()
    {
        Assert.Equal(3, Read(Cdss, ValidFile(FeedType.Cdss) + "\r\n\r\n  \t").Count);
    }

    [Fact]
    public void ReadCdss_ExtraTrailingFields_AreIgnoredByDefault()
    {
        var document = Read(Cdss, File(Header3 + ";", CdssMethane + ";", CdssCo + ";厂家扩展;42"));

        Assert.Equal(2, document.Count);
        Assert.Equal(12, document.Records[1].Value);
    }

    [Fact]
    public void ReadCdss_ExtraTrailingFields_AreRejectedWhenConfigured()
    {
        var options = FeedReaderOptions.Default with { RejectExtraFields = true };

        var error = Fails(Cdss, File(Header3, CdssMethane, CdssCo + ";厂家扩展"), options);

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal(2, error.RecordNumber);
        Assert.Contains("8 个字段，应为 7 个", error.Reason);
    }

    [Fact]
    public void ReadCdss_EmptyValue_IsNullNotZero()
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, "530381000123MN0001;甲烷;1301回采工作面回风隅角;;%CH4;128;2025-03-01 08:29:58")).Records);

        Assert.Null(reading.Value);
        Assert.Equal(PointStatus.SensorFault, reading.Status);
    }

    [Theory]
    [InlineData("0.50", 0.5)]
    [InlineData("+1", 1.0)]
    [InlineData(".5", 0.5)]
    [InlineData("5.", 5.0)]
    [InlineData("1e-3", 0.001)]
    [InlineData("2.5E+2", 250.0)]
    [InlineData("-0.25", -0.25)]
    [InlineData("007", 7.0)]
    [InlineData("0.000001", 0.000001)]
    [InlineData("123456789.123456789", 123456789.123456789)]
    [InlineData("0.1000000000000000055511151231257827", 0.1)]
    public void ReadCdss_NumberForms_ParseToTheExactDouble(string text, double expected)
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, $"P1;甲烷;回风巷;{text};%CH4;0;2025-03-01 08:29:58")).Records);

        Assert.Equal(expected, reading.Value);
    }

    [Theory]
    [InlineData("abc", "不是数字")]
    [InlineData("1,5", "不是数字")]
    [InlineData("0x10", "不是数字")]
    [InlineData("NaN", "不是数字")]
    [InlineData("Infinity", "不是数字")]
    [InlineData("1e", "不是数字")]
    [InlineData("--1", "不是数字")]
    [InlineData("1.2.3", "不是数字")]
    [InlineData("１", "不是数字")]
    [InlineData("0.5%", "不是数字")]
    [InlineData("1 000", "不是数字")]
    [InlineData("1e999", "超出数值范围")]
    public void ReadCdss_ValueNotANumber_ReportsFieldAndRecord(string text, string reason)
    {
        var error = Fails(Cdss, File(Header3, CdssMethane, $"P1;甲烷;回风巷;{text};%CH4;0;2025-03-01 08:29:58"));

        Assert.Equal(FeedErrorKind.InvalidNumber, error.Kind);
        Assert.Equal(2, error.RecordNumber);
        Assert.Equal("测点值", error.FieldName);
        Assert.Equal($"测点值「{text}」{reason}", error.Reason);
        Assert.Equal(FileName(FeedType.Cdss), error.FileName);
        Assert.Equal($"{FileName(FeedType.Cdss)} 第 2 条记录：测点值「{text}」{reason}", error.Message);
    }

    [Theory]
    [InlineData("2025-03-01T08:29:58")]
    [InlineData("2025/03/01 08:29:58")]
    [InlineData("2025/3/1 8:29:58")]
    [InlineData(" 2025-03-01 08:29:58 ")]
    public void ReadCdss_TimeVariantsWithTheSameMeaning_AreAccepted(string text)
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, $"P1;甲烷;回风巷;0.3;%CH4;0;{text}")).Records);

        Assert.Equal(China(2025, 3, 1, 8, 29, 58), reading.DataTime);
    }

    [Fact]
    public void ReadCdss_FractionalSeconds_AreKept()
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, "P1;甲烷;回风巷;0.3;%CH4;0;2025-03-01 08:29:58.250")).Records);

        Assert.Equal(China(2025, 3, 1, 8, 29, 58).AddMilliseconds(250), reading.DataTime);
    }

    [Theory]
    [InlineData("2025-02-29 08:00:00")]
    [InlineData("2025-13-01 08:00:00")]
    [InlineData("2025-03-01 24:00:00")]
    [InlineData("2025-03-01 08:60:00")]
    [InlineData("2025-03-01 08:29:60")]
    [InlineData("2025-03-01")]
    [InlineData("20250301082958")]
    [InlineData("2025-03-01 08:29:58Z")]
    [InlineData("2025-03-01 08:29:58+08:00")]
    [InlineData("2025-03/01 08:29:58")]
    [InlineData("2025-03-01  08:29:58")]
    [InlineData("0001-01-01 00:00:00")]
    [InlineData("2025-03-01 08:29:58.")]
    [InlineData("二〇二五年三月一日")]
    public void ReadCdss_BadDataTime_ReportsInvalidTime(string text)
    {
        var error = Fails(Cdss, File(Header3, $"P1;甲烷;回风巷;0.3;%CH4;0;{text}"));

        Assert.Equal(FeedErrorKind.InvalidTime, error.Kind);
        Assert.Equal("数据时间", error.FieldName);
        Assert.Equal(1, error.RecordNumber);
        Assert.StartsWith($"数据时间「{text.Trim()}」不是有效时间", error.Reason);
    }

    [Fact]
    public void ReadCdss_LeapDay_IsAccepted()
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, "P1;甲烷;回风巷;0.3;%CH4;0;2024-02-29 23:59:59")).Records);

        Assert.Equal(China(2024, 2, 29, 23, 59, 59), reading.DataTime);
    }

    [Theory]
    [InlineData("0", PointStatus.Normal)]
    [InlineData("1", PointStatus.Alarm)]
    [InlineData("2", PointStatus.PowerCut)]
    [InlineData("4", PointStatus.Calibrating)]
    [InlineData("8", PointStatus.OverRange)]
    [InlineData("16", PointStatus.SubstationFault)]
    [InlineData("32", PointStatus.NotPolled)]
    [InlineData("64", PointStatus.Paused)]
    [InlineData("128", PointStatus.SensorFault)]
    [InlineData("255", (PointStatus)255)]
    [InlineData("03", PointStatus.Alarm | PointStatus.PowerCut)]
    public void ReadCdss_Status_IsTheBitmask(string text, PointStatus expected)
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, $"P1;甲烷;回风巷;0.3;%CH4;{text};2025-03-01 08:29:58")).Records);

        Assert.Equal(expected, reading.Status);
    }

    [Theory]
    [InlineData("256", FeedErrorKind.InvalidValue)]
    [InlineData("-1", FeedErrorKind.InvalidValue)]
    [InlineData("1.0", FeedErrorKind.InvalidNumber)]
    [InlineData("报警", FeedErrorKind.InvalidNumber)]
    [InlineData("", FeedErrorKind.MissingValue)]
    public void ReadCdss_BadStatus_IsAnError(string text, FeedErrorKind kind)
    {
        var error = Fails(Cdss, File(Header3, $"P1;甲烷;回风巷;0.3;%CH4;{text};2025-03-01 08:29:58"));

        Assert.Equal(kind, error.Kind);
        Assert.Equal("测点状态", error.FieldName);
    }

    [Fact]
    public void ReadCdss_EmptyStatus_IsNormalWhenConfiguredForTheMine()
    {
        var options = FeedReaderOptions.Default with { EmptyStatusIsNormal = true };

        var reading = Assert.Single(Read(Cdss, File(Header3, "P1;甲烷;回风巷;0.3;%CH4;;2025-03-01 08:29:58"), options).Records);

        Assert.Equal(PointStatus.Normal, reading.Status);
    }

    [Fact]
    public void ReadCdss_WithoutDescriptions_LeavesTheDescriptiveTextsEmpty_AndReadsAndChecksTheRest()
    {
        var options = FeedReaderOptions.Default with { CdssDescriptions = false };

        var reading = Assert.Single(Read(Cdss, File(Header3, "P1;甲烷;回风巷;0.3;%CH4;3;2025-03-01 08:29:58"), options).Records);

        Assert.Equal(("P1", "", "", 0.3, "", PointStatus.Alarm | PointStatus.PowerCut), (reading.PointCode, reading.SensorTypeName, reading.Location, reading.Value, reading.Unit, reading.Status));
        Assert.Equal(new DateTimeOffset(2025, 3, 1, 8, 29, 58, TimeSpan.FromHours(8)), reading.DataTime);
        Assert.Equal(FeedErrorKind.InvalidNumber, Fails(Cdss, File(Header3, "P1;甲烷;回风巷;abc;%CH4;0;2025-03-01 08:29:58"), options).Kind);
        Assert.Equal(FeedErrorKind.MissingValue, Fails(Cdss, File(Header3, ";甲烷;回风巷;0.3;%CH4;0;2025-03-01 08:29:58"), options).Kind);
    }

    [Fact]
    public void ReadCdss_EmptyPointCode_ReportsMissingValue()
    {
        var error = Fails(Cdss, File(Header3, CdssMethane, " ;甲烷;回风巷;0.3;%CH4;0;2025-03-01 08:29:58"));

        Assert.Equal(FeedErrorKind.MissingValue, error.Kind);
        Assert.Equal("测点编码", error.FieldName);
        Assert.Equal("测点编码为空", error.Reason);
        Assert.Equal(2, error.RecordNumber);
    }

    [Fact]
    public void ReadCdss_WhenClosingMarkerMissing_ReportsIncompleteFile()
    {
        var error = Fails(Cdss, Header3 + "~" + CdssMethane + "~" + CdssCo + "~");

        Assert.Equal(FeedErrorKind.Incomplete, error.Kind);
        Assert.Contains("没有结束标记「||」", error.Reason);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(100)]
    [InlineData(170)]
    public void ReadCdss_TruncatedAnywhere_ReportsIncompleteFile(int keep)
    {
        var content = Utf8(ValidFile(FeedType.Cdss));

        var error = Fails(Cdss, content[..keep]);

        Assert.Equal(FeedErrorKind.Incomplete, error.Kind);
    }

    [Fact]
    public void ReadCdss_TruncatedInsideAChineseCharacter_ReportsIncompleteNotEncoding()
    {
        var content = Utf8(Header3 + "~530381000123MN0001;甲");

        var error = Fails(Cdss, content[..^1]);

        Assert.Equal(FeedErrorKind.Incomplete, error.Kind);
        Assert.Equal(1, error.RecordNumber);
    }

    [Fact]
    public void ReadCdss_SingleBarAtTheEnd_ReportsIncompleteFile()
    {
        Assert.Equal(FeedErrorKind.Incomplete, Fails(Cdss, ValidFile(FeedType.Cdss)[..^1]).Kind);
    }

    [Fact]
    public void ReadCdss_WrongFieldCount_ReportsRecordAndCounts()
    {
        var error = Fails(Cdss, File(Header3, CdssMethane, CdssCo, "530381000123MN0003;甲烷;1302掘进工作面;1.62;%CH4;2025-03-01 08:29:59"));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal(3, error.RecordNumber);
        Assert.Null(error.FieldName);
        Assert.Equal("记录只有 6 个字段，应为 7 个", error.Reason);
    }

    [Fact]
    public void ReadCdss_FullWidthSemicolons_AreNotSeparatorsAndTheErrorSaysSo()
    {
        var error = Fails(Cdss, File(Header3, CdssMethane.Replace(';', '；')));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Contains("全角分号", error.Reason);
    }

    [Fact]
    public void ReadCdss_GbkFile_ReportsNotUtf8()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var gbk = Encoding.GetEncoding("GBK").GetBytes(ValidFile(FeedType.Cdss));

        var error = Fails(Cdss, gbk);

        Assert.Equal(FeedErrorKind.NotUtf8, error.Kind);
        Assert.StartsWith("文件不是 UTF-8 编码", error.Reason);
        Assert.Equal(0, error.RecordNumber);
    }

    [Fact]
    public void ReadCdss_GbkBytesInOneRecord_NameThatRecord()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var content = Utf8(Header3 + "~" + CdssMethane + "~")
            .Concat(Encoding.GetEncoding("GBK").GetBytes(CdssCo + "~"))
            .Concat(Utf8(CdssAlarm + "~||"))
            .ToArray();

        var error = Fails(Cdss, content);

        Assert.Equal(FeedErrorKind.NotUtf8, error.Kind);
        Assert.Equal(2, error.RecordNumber);
    }

    [Fact]
    public void ReadCdss_Utf16File_ReportsNotUtf8()
    {
        var content = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(ValidFile(FeedType.Cdss))).ToArray();

        var error = Fails(Cdss, content);

        Assert.Equal(FeedErrorKind.NotUtf8, error.Kind);
        Assert.Contains("UTF-16", error.Reason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \r\n")]
    [InlineData("\uFEFF")]
    public void ReadCdss_EmptyFile_ReportsEmpty(string content)
    {
        var error = Fails(Cdss, content);

        Assert.Equal(FeedErrorKind.Empty, error.Kind);
        Assert.Equal("文件为空", error.Reason);
    }

    [Theory]
    [InlineData("||")]
    [InlineData("~||")]
    [InlineData(" \r\n~" + CdssMethane + "~||")]
    public void ReadCdss_NoHeader_ReportsMissingHeader(string content)
    {
        var error = Fails(Cdss, content);

        Assert.Equal(FeedErrorKind.MissingHeader, error.Kind);
        Assert.Equal(0, error.RecordNumber);
    }

    [Fact]
    public void ReadCdss_ContentAfterClosingMarker_IsAnError()
    {
        var error = Fails(Cdss, ValidFile(FeedType.Cdss) + ValidFile(FeedType.Cdss));

        Assert.Equal(FeedErrorKind.ContentAfterEnd, error.Kind);
    }

    [Fact]
    public void ReadCdss_DoubleBarInsideARecord_EndsTheFileAndTheRestIsAnError()
    {
        var error = Fails(Cdss, File(Header3, CdssMethane.Replace("回风隅角", "回风||隅角")));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
    }

    [Fact]
    public void ReadCdss_SingleBarInsideAText_IsText()
    {
        var reading = Assert.Single(Read(Cdss, File(Header3, CdssMethane.Replace("回风隅角", "回风|隅角"))).Records);

        Assert.Equal("1301回采工作面回风|隅角", reading.Location);
    }

    [Fact]
    public void ReadCdss_Garbage_ReportsAFormatError()
    {
        var random = new Random(1);
        var garbage = new byte[5000];
        random.NextBytes(garbage);

        Assert.IsType<FeedFormatException>(Fails(Cdss, garbage));
        Assert.Equal(FeedErrorKind.Incomplete, Fails(Cdss, "这不是监测文件，只是一段文字。").Kind);
    }

    [Fact]
    public void ReadCdss_RecordLongerThanTheLimit_ReportsRecordTooLong()
    {
        var options = FeedReaderOptions.Default with { MaxRecordBytes = 1000 };
        string longLocation = string.Concat(Enumerable.Repeat("回风隅角", 200));

        var error = Fails(Cdss, File(Header3, CdssMethane, $"P1;甲烷;{longLocation};0.3;%CH4;0;2025-03-01 08:29:58"), options);

        Assert.Equal(FeedErrorKind.RecordTooLong, error.Kind);
        Assert.Equal(2, error.RecordNumber);
    }

    [Theory]
    [InlineData("5303810001", "煤矿编码")]
    [InlineData("5303810001234", "煤矿编码")]
    [InlineData("53038100012A", "煤矿编码")]
    public void ReadCdss_HeaderMineCodeNotElevenOrTwelveDigits_ReportsInvalidCode(string code, string field)
    {
        var error = Fails(Cdss, File($"{code};{MineName};{UploadTime}", CdssMethane));

        Assert.Equal(FeedErrorKind.InvalidCode, error.Kind);
        Assert.Equal(0, error.RecordNumber);
        Assert.Equal(field, error.FieldName);
        Assert.StartsWith(FileName(FeedType.Cdss) + " 文件头：", error.Message);
    }

    [Fact]
    public void ReadCdss_ElevenDigitLegacyMineCode_IsAccepted()
    {
        Assert.Equal("53038100012", Read(Cdss, File($"53038100012;{MineName};{UploadTime}", CdssMethane)).Header.MineCode);
    }

    [Fact]
    public void ReadCdss_HeaderWithBadUploadTime_ReportsHeaderField()
    {
        var error = Fails(Cdss, File($"{MineCode};{MineName};2025-03-01 8点30分", CdssMethane));

        Assert.Equal(FeedErrorKind.InvalidTime, error.Kind);
        Assert.Equal(0, error.RecordNumber);
        Assert.Equal("上传时间", error.FieldName);
    }

    [Fact]
    public void ReadCdss_HeaderWithTooFewFields_ReportsFieldCount()
    {
        var error = Fails(Cdss, File($"{MineCode};{MineName}", CdssMethane));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal("文件头只有 2 个字段，应为 3 个", error.Reason);
    }

    [Fact]
    public void ReadCdss_ErrorOffset_PointsAtTheRecord()
    {
        string content = File(Header3, CdssMethane, "P2;甲烷;回风巷;abc;%CH4;0;2025-03-01 08:29:58");

        var error = Fails(Cdss, content);

        Assert.Equal(Utf8(Header3 + "~" + CdssMethane + "~").Length, error.Error.ByteOffset);
    }

    [Fact]
    public void OpenReader_RecordByRecord_GivesHeaderThenReadingsThenFalse()
    {
        using var reader = Cdss.OpenReader(new MemoryStream(Utf8(ValidFile(FeedType.Cdss))), FileName(FeedType.Cdss));

        Assert.Throws<InvalidOperationException>(() => reader.Header);
        Assert.Equal(MineName, reader.ReadHeader().MineName);
        Assert.True(reader.Read());
        Assert.Equal("530381000123MN0001", reader.Current.PointCode);
        Assert.Equal(1, reader.RecordNumber);
        Assert.True(reader.Read());
        Assert.True(reader.Read());
        Assert.Equal(3, reader.RecordNumber);
        Assert.False(reader.Read());
        Assert.False(reader.Read());
    }

    [Fact]
    public void OpenReader_AfterAnError_KeepsReportingIt()
    {
        using var reader = Cdss.OpenReader(new MemoryStream(Utf8(File(Header3, "P1;甲烷;回风巷;x;%CH4;0;2025-03-01 08:29:58", CdssCo))), FileName(FeedType.Cdss));

        var first = Assert.Throws<FeedFormatException>(() => reader.Read());
        var second = Assert.Throws<FeedFormatException>(() => reader.Read());

        Assert.Equal(first.Error, second.Error);
    }

    [Fact]
    public void OpenReader_AfterDispose_RefusesToRead()
    {
        var reader = Cdss.OpenReader(new MemoryStream(Utf8(ValidFile(FeedType.Cdss))), FileName(FeedType.Cdss));
        Assert.True(reader.Read());

        reader.Dispose();

        Assert.Throws<ObjectDisposedException>(() => reader.Read());
    }

    [Fact]
    public void FieldNames_AreReadOnly()
    {
        var names = Assert.IsAssignableFrom<IList<string>>(Cdss.RecordFieldNames);

        Assert.True(names.IsReadOnly);
        Assert.Equal(["测点编码", "传感器类型名称", "安装位置", "测点值", "单位", "测点状态", "数据时间"], Cdss.RecordFieldNames);
        Assert.Equal(["煤矿编码", "煤矿名称", "上传时间"], Cdss.HeaderFieldNames);
    }

    [Fact]
    public void Header_EqualityComparesTheInstantAndDetails()
    {
        var header = new FeedHeader(MineCode, MineName, UploadAt) { Details = ["a", "b"] };

        Assert.Equal(header, new FeedHeader(MineCode, MineName, UploadAt.ToUniversalTime()) { Details = ["a", "b"] });
        Assert.NotEqual(header, header with { Details = ["a", "c"] });
    }

    [Fact]
    public async Task ReadAllAsync_StreamsEveryReading()
    {
        var content = LargeCdss(20_000);
        await using var reader = Cdss.OpenReader(new TrickleStream(content, 1000), FileName(FeedType.Cdss));

        int count = 0;
        await foreach (var reading in reader.ReadAllAsync())
        {
            Assert.StartsWith("530381000123MN", reading.PointCode);
            count++;
        }

        Assert.Equal(20_000, count);
    }

    [Fact]
    public void ReadStream_LargeFile_AllocatesFarLessThanTheFile()
    {
        // 200,000 readings over 500 points: after the first 500 every text comes from the cache, records are
        // structs, numbers and times are parsed from the bytes, and the stream is read through one buffer.
        var content = LargeCdss(200_000);
        var options = FeedReaderOptions.Default with { StringCache = new FeedStringCache(4096) };
        using var reader = Cdss.OpenReader(new MemoryStream(content), FileName(FeedType.Cdss), options);
        reader.ReadHeader();

        long before = GC.GetAllocatedBytesForCurrentThread();
        double sum = 0;
        while (reader.Read())
        {
            sum += reader.Current.Value ?? 0;
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(sum > 0);
        Assert.True(allocated < content.Length / 20, $"allocated {allocated:N0} bytes reading a {content.Length:N0}-byte file");
    }
}
