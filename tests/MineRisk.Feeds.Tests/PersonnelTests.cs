using static MineRisk.Feeds.Tests.Support.Reading;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class RyqyTests
{
    private static readonly RyqyFormat Ryqy = FeedFormats.Ryqy;

    [Fact]
    public void ReadRyqy_ValidFile_ReturnsAreas()
    {
        var areas = Read(Ryqy, ValidFile(FeedType.Ryqy)).Records;

        Assert.Equal(new RyqyArea { AreaType = "01", AreaCode = "5303810001230001", RatedCapacity = 60, AreaName = "1301回采工作面" }, areas[0]);
        Assert.Null(areas[1].RatedCapacity);
        Assert.Equal("1302掘进工作面限制区", areas[1].AreaName);
    }

    [Theory]
    [InlineData("六十", FeedErrorKind.InvalidNumber)]
    [InlineData("60.5", FeedErrorKind.InvalidNumber)]
    [InlineData("-1", FeedErrorKind.InvalidValue)]
    public void ReadRyqy_BadCapacity_IsAnError(string text, FeedErrorKind kind)
    {
        var error = Fails(Ryqy, File(Header3, RyqyFace.Replace(";60;", $";{text};")));

        Assert.Equal(kind, error.Kind);
        Assert.Equal("核定人数", error.FieldName);
    }

    [Fact]
    public void ReadRyqy_EmptyAreaCode_ReportsMissingValue()
    {
        var error = Fails(Ryqy, File(Header3, "01;;60;1301回采工作面"));

        Assert.Equal(FeedErrorKind.MissingValue, error.Kind);
        Assert.Equal("区域编码", error.FieldName);
    }
}

public class RyxxTests
{
    private static readonly RyxxFormat Ryxx = FeedFormats.Ryxx;

    [Fact]
    public void ReadRyxx_ValidFile_ReturnsPeopleAndTheEightFieldHeader()
    {
        var document = Read(Ryxx, ValidFile(FeedType.Ryxx));

        Assert.Equal(["KJ236", "人员定位系统", "北京某科技", "2024-06-30", "V2.1"], document.Header.Details);
        Assert.Equal(UploadAt, document.Header.UploadTime);
        Assert.Equal(
            new RyxxPerson
            {
                CardNumber = "53038100012300017",
                Name = "李强",
                WorkType = "采煤工",
                Position = "班长",
                Team = "综采一队",
                BirthDate = "1985-07",
                Education = "高中",
                IsMineLeader = false,
                IsSpecialWorker = true,
            },
            document.Records[0]);
        Assert.Equal(true, document.Records[1].IsMineLeader);
        Assert.Equal("", document.Records[1].WorkType);
    }

    [Fact]
    public void ReadRyxx_EmptyFlags_AreNull()
    {
        var person = Assert.Single(Read(Ryxx, File(RyxxHeader, "53038100012300099;赵六;掘进工;;掘进二队;;;;")).Records);

        Assert.Null(person.IsMineLeader);
        Assert.Null(person.IsSpecialWorker);
    }

    [Theory]
    [InlineData("2")]
    [InlineData("是")]
    [InlineData("true")]
    public void ReadRyxx_FlagNotZeroOrOne_IsAnError(string text)
    {
        var error = Fails(Ryxx, File(RyxxHeader, RyxxMiner[..^3] + $"{text};1"));

        Assert.Equal(FeedErrorKind.InvalidValue, error.Kind);
        Assert.Equal("是否矿领导", error.FieldName);
        Assert.Equal($"是否矿领导「{text}」应为 0 或 1", error.Reason);
    }

    [Fact]
    public void ReadRyxx_ThreeFieldHeader_ReportsFieldCount()
    {
        var error = Fails(Ryxx, File(Header3, RyxxMiner));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal(0, error.RecordNumber);
    }
}

public class RyssTests
{
    private static readonly RyssFormat Ryss = FeedFormats.Ryss;

    [Fact]
    public void ReadRyss_ValidFile_ReturnsPositions()
    {
        var positions = Read(Ryss, ValidFile(FeedType.Ryss)).Records;

        var miner = positions[0];
        Assert.Equal("53038100012300017", miner.CardNumber);
        Assert.Equal("李强", miner.Name);
        Assert.Equal(1, miner.InOutFlag);
        Assert.Equal(China(2025, 3, 1, 6, 5, 0), miner.InTime);
        Assert.Null(miner.OutTime);
        Assert.Equal("5303810001230001", miner.AreaCode);
        Assert.Equal(China(2025, 3, 1, 6, 40, 0), miner.AreaEnterTime);
        Assert.Equal("5303810001230001000003", miner.StationCode);
        Assert.Equal(China(2025, 3, 1, 8, 10, 0), miner.StationEnterTime);
        Assert.Equal("三八制", miner.WorkOrganization);
        Assert.Equal(-12.5, miner.DistanceToStation);
        Assert.Equal("正常", miner.WorkStatus);
        Assert.Equal(false, miner.IsMineLeader);
        Assert.Equal(true, miner.IsSpecialWorker);
        Assert.Equal("5303810001230001000001&2025-03-01 06:05:00,5303810001230001000003&2025-03-01 08:10:00", miner.Track);

        var surfaced = positions[1];
        Assert.Equal(2, surfaced.InOutFlag);
        Assert.Equal(China(2025, 3, 1, 8, 1, 0), surfaced.OutTime);
        Assert.Equal("", surfaced.AreaCode);
        Assert.Null(surfaced.DistanceToStation);
        Assert.Equal("", surfaced.Track);
    }

    [Theory]
    [InlineData("3", FeedErrorKind.InvalidValue)]
    [InlineData("入井", FeedErrorKind.InvalidValue)]
    [InlineData("", FeedErrorKind.MissingValue)]
    public void ReadRyss_BadInOutFlag_IsAnError(string text, FeedErrorKind kind)
    {
        var error = Fails(Ryss, File(Header3, RyssUnderground.Replace("李强;1;", $"李强;{text};")));

        Assert.Equal(kind, error.Kind);
        Assert.Equal("出入井标志", error.FieldName);
    }

    [Fact]
    public void ReadRyss_BadDistance_ReportsInvalidNumber()
    {
        var error = Fails(Ryss, File(Header3, RyssUnderground.Replace(";-12.5;", ";-12.5m;")));

        Assert.Equal(FeedErrorKind.InvalidNumber, error.Kind);
        Assert.Equal("距基站距离", error.FieldName);
    }

    [Fact]
    public void ReadRyss_FourteenFields_ReportsFieldCount()
    {
        var error = Fails(Ryss, File(Header3, RyssSurfaced[..^1]));

        Assert.Equal(FeedErrorKind.FieldCount, error.Kind);
        Assert.Equal("记录只有 14 个字段，应为 15 个", error.Reason);
    }
}

public class JzssTests
{
    private static readonly JzssFormat Jzss = FeedFormats.Jzss;

    [Fact]
    public void ReadJzss_ValidFile_ReturnsStations()
    {
        var stations = Read(Jzss, ValidFile(FeedType.Jzss)).Records;

        Assert.Equal(
            new JzssStation { StationCode = "5303810001230001000003", RunState = 1, PowerState = 0, DataTime = China(2025, 3, 1, 8, 29, 30) },
            stations[0]);
        Assert.Equal(1, stations[1].PowerState);
    }

    [Theory]
    [InlineData("9")]
    [InlineData("2")]
    public void ReadJzss_DefinedPowerStates_AreAccepted(string text)
    {
        var station = Assert.Single(Read(Jzss, File(Header3, $"5303810001230001000003;1;{text};2025-03-01 08:29:30")).Records);

        Assert.Equal(byte.Parse(text), station.PowerState);
    }

    [Theory]
    [InlineData("3", FeedErrorKind.InvalidValue)]
    [InlineData("", FeedErrorKind.MissingValue)]
    public void ReadJzss_BadPowerState_IsAnError(string text, FeedErrorKind kind)
    {
        var error = Fails(Jzss, File(Header3, $"5303810001230001000003;1;{text};2025-03-01 08:29:30"));

        Assert.Equal(kind, error.Kind);
        Assert.Equal("供电状态", error.FieldName);
    }
}
