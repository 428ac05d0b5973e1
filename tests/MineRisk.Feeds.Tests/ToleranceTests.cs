using static MineRisk.Feeds.Tests.Support.Reading;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

/// <summary>The remaining rows of the tolerance table in docs/FEEDS.md §5.</summary>
public class ToleranceTests
{
    [Fact]
    public void ReadCdss_FullWidthSpace_IsKeptAsText()
    {
        var reading = Assert.Single(Read(FeedFormats.Cdss, File(Header3, "P1;甲烷;\u3000回风巷;0.3;%CH4;0;2025-03-01 08:29:58")).Records);

        Assert.Equal("\u3000回风巷", reading.Location);
    }

    [Fact]
    public void ReadCdss_EmptyHeaderMineCode_ReportsMissingValue()
    {
        var error = Fails(FeedFormats.Cdss, File($";{MineName};{UploadTime}", CdssMethane));

        Assert.Equal(FeedErrorKind.MissingValue, error.Kind);
        Assert.Equal("煤矿编码", error.FieldName);
        Assert.Equal(0, error.RecordNumber);
    }

    [Theory]
    [InlineData("+60", 60)]
    [InlineData("060", 60)]
    [InlineData(" 60 ", 60)]
    public void ReadRyqy_IntegerForms_AreAccepted(string text, int expected)
    {
        var area = Assert.Single(Read(FeedFormats.Ryqy, File(Header3, RyqyFace.Replace(";60;", $";{text};"))).Records);

        Assert.Equal(expected, area.RatedCapacity);
    }

    [Fact]
    public void ReadRyss_Year1900Placeholder_IsReturnedAsWritten()
    {
        var position = Assert.Single(Read(FeedFormats.Ryss, File(Header3, RyssSurfaced.Replace("2025-03-01 08:01:00", "1900-01-01 00:00:00"))).Records);

        Assert.Equal(China(1900, 1, 1, 0, 0, 0), position.OutTime);
    }

    [Fact]
    public void FeedFileRead_HeaderTimeUnlikeTheNameTime_IsAccepted()
    {
        string content = File($"{MineCode};{MineName};2025-03-01 08:29:41", CdssMethane);

        var document = FeedFile.Read($"{MineCode}_CDSS_20250301083000.txt", Utf8(content));

        Assert.Equal(China(2025, 3, 1, 8, 29, 41), document.Header.UploadTime);
    }

    [Fact]
    public void ReadCdss_DuplicateRecords_AreReturnedAsTheyAre()
    {
        var document = Read(FeedFormats.Cdss, File(Header3, CdssMethane, CdssMethane));

        Assert.Equal(2, document.Count);
        Assert.Equal(document.Records[0], document.Records[1]);
    }
}
