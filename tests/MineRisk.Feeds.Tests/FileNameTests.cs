using MineRisk.Feeds.Tests.Support;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class FileNameTests
{
    [Fact]
    public void Parse_StandardName_GivesCodeTypeAndChinaTime()
    {
        var name = FeedFileName.Parse("530381000123_CDSS_20250301083000.txt");

        Assert.Equal("530381000123", name.MineCode);
        Assert.Equal(FeedType.Cdss, name.Type);
        Assert.Equal(China(2025, 3, 1, 8, 30, 0), name.Timestamp);
        Assert.Equal(TimeSpan.FromHours(8), name.Timestamp.Offset);
        Assert.Equal("530381000123_CDSS_20250301083000.txt", name.ToString());
    }

    [Theory]
    [InlineData("53038100012_RYSS_20250301083000.txt", "53038100012", FeedType.Ryss)]
    [InlineData("530381000123_YCBJ_20250301083000.TXT", "530381000123", FeedType.Ycbj)]
    [InlineData("530381000123_jzss_20250301083000.txt", "530381000123", FeedType.Jzss)]
    public void Parse_TolerableVariants_AreAccepted(string fileName, string code, FeedType type)
    {
        var name = FeedFileName.Parse(fileName);

        Assert.Equal(code, name.MineCode);
        Assert.Equal(type, name.Type);
    }

    [Theory]
    [InlineData("530381000123_RYCS_20250301083000.txt", "RYCS")]
    [InlineData("530381000123_NRYSS_20250301083000.txt", "NRYSS")]
    public void Parse_UnknownType_ReportsUnknownType(string fileName, string type)
    {
        var error = Assert.Throws<FeedFormatException>(() => FeedFileName.Parse(fileName));

        Assert.Equal(FeedErrorKind.UnknownType, error.Kind);
        Assert.Contains($"未知的文件类型「{type}」", error.Reason);
        Assert.Equal(fileName, error.FileName);
        Assert.Null(error.RecordNumber);
    }

    [Theory]
    [InlineData("530381000123_CDSS_20250230083000.txt")]
    [InlineData("530381000123_CDSS_2025030108300.txt")]
    [InlineData("530381000123_CDSS_20250301083000.csv")]
    [InlineData("5303810001234_CDSS_20250301083000.txt")]
    [InlineData("5303810001_CDSS_20250301083000.txt")]
    [InlineData("530381000123_CDSS_20250301083000(1).txt")]
    [InlineData("530381000123-CDSS-20250301083000.txt")]
    [InlineData("530381000123_20250301083000.txt")]
    [InlineData("_CDSS_20250301083000.txt")]
    [InlineData("")]
    [InlineData("inbox/530381000123_CDSS_20250301083000.txt")]
    public void Parse_MalformedName_ReportsInvalidFileName(string fileName)
    {
        var error = Assert.Throws<FeedFormatException>(() => FeedFileName.Parse(fileName));

        Assert.Equal(FeedErrorKind.InvalidFileName, error.Kind);
        Assert.False(FeedFileName.TryParse(fileName, out _));
    }

    [Fact]
    public void Format_UtcTime_IsWrittenInChinaTime()
    {
        var utc = new DateTimeOffset(2025, 3, 1, 0, 30, 0, TimeSpan.Zero);

        Assert.Equal("530381000123_TJSJ_20250301083000.txt", FeedFileName.Format("530381000123", FeedType.Tjsj, utc));
        Assert.Throws<ArgumentException>(() => FeedFileName.Format("5303", FeedType.Tjsj, utc));
    }

    [Fact]
    public void CodesAndDisplayNames_CoverEveryType()
    {
        Assert.Equal(
            ["CDDY", "CDSS", "YCBJ", "TJSJ", "RYQY", "RYXX", "RYSS", "JZSS"],
            FeedTypes.All.Select(t => t.Code()));
        Assert.Equal(
            ["测点定义", "实时数据", "异常报警", "统计数据", "区域定义", "人员信息", "人员实时", "基站状态"],
            FeedTypes.All.Select(t => t.DisplayName()));
        Assert.All(FeedTypes.All, t => Assert.Equal(t, FeedFormats.For(t).Type));
    }
}

public class IntakeTests
{
    [Fact]
    public void FeedFileRead_PicksTheFormatFromTheName()
    {
        var document = FeedFile.Read(FileName(FeedType.Ycbj), Utf8(ValidFile(FeedType.Ycbj)));

        var alarms = Assert.IsType<FeedDocument<YcbjAlarm>>(document);
        Assert.Equal(2, alarms.Count);
        Assert.Equal(FeedType.Ycbj, alarms.Type);
    }

    [Fact]
    public async Task FeedFileReadAsync_PicksTheFormatFromTheName()
    {
        using var stream = new MemoryStream(Utf8(ValidFile(FeedType.Jzss)));

        var document = await FeedFile.ReadAsync(FileName(FeedType.Jzss), stream);

        Assert.Equal(2, Assert.IsType<FeedDocument<JzssStation>>(document).Records.Count);
    }

    [Fact]
    public void FeedFileRead_HeaderMineCodeUnlikeTheName_ReportsMismatch()
    {
        string name = "530381000999_CDSS_20250301083000.txt";

        var error = Assert.Throws<FeedFormatException>(() => FeedFile.Read(name, Utf8(ValidFile(FeedType.Cdss))));

        Assert.Equal(FeedErrorKind.MineCodeMismatch, error.Kind);
        Assert.Equal(0, error.RecordNumber);
        Assert.Equal("煤矿编码", error.FieldName);
        Assert.Equal("文件头煤矿编码「530381000123」与文件名中的「530381000999」不一致", error.Reason);
    }

    [Fact]
    public void FeedFileRead_WrongTypeContent_FailsOnTheFirstRecord()
    {
        var error = Assert.Throws<FeedFormatException>(() => FeedFile.Read(FileName(FeedType.Jzss), Utf8(ValidFile(FeedType.Cdss))));

        Assert.Equal(1, error.RecordNumber);
    }

    [Fact]
    public void EnsureMineCodeIs_OtherSender_ReportsMismatch()
    {
        var header = new FeedHeader(MineCode, MineName, UploadAt);

        FeedChecks.EnsureMineCodeIs(header, MineCode, "f.txt");
        var error = Assert.Throws<FeedFormatException>(() => FeedChecks.EnsureMineCodeIs(header, "530381000124", "f.txt"));

        Assert.Equal(FeedErrorKind.MineCodeMismatch, error.Kind);
    }

    [Fact]
    public void EnsureNotInFuture_UploadTimeBeyondTolerance_IsRefused()
    {
        var header = new FeedHeader(MineCode, MineName, UploadAt);
        var now = UploadAt.ToUniversalTime();

        FeedChecks.EnsureNotInFuture(header, now.AddMinutes(-4), TimeSpan.FromMinutes(5), "f.txt");
        var error = Assert.Throws<FeedFormatException>(
            () => FeedChecks.EnsureNotInFuture(header, now.AddMinutes(-6), TimeSpan.FromMinutes(5), "f.txt"));

        Assert.Equal(FeedErrorKind.FutureTime, error.Kind);
        Assert.Equal("上传时间", error.FieldName);
        Assert.Contains("晚于当前时间 2025-03-01 08:24:00 超过 5 分钟", error.Reason);
    }
}
