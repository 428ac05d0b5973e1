using System.Globalization;
using System.Text;
using MineRisk.Feeds.Tests.Support;
using static MineRisk.Feeds.Tests.Support.Samples;

namespace MineRisk.Feeds.Tests;

public class NumberTests
{
    [Fact]
    public void ReadCdss_RandomNumberTexts_ParseExactlyAsDoubleParse()
    {
        // The fast path must give the very same double as the framework's correctly rounded parser,
        // for every shape vendors write: many digits, leading zeros, exponents, signs.
        var random = new Random(424242);
        var texts = new List<string>();
        for (int i = 0; i < 20_000; i++)
        {
            texts.Add(RandomNumberText(random));
        }

        var content = new StringBuilder(Header3 + "~");
        foreach (string text in texts)
        {
            content.Append($"P;甲烷;回风巷;{text};%CH4;0;2025-03-01 08:29:58~");
        }

        var document = FeedFormats.Cdss.Read(Utf8(content.Append("||").ToString()), FileName(FeedType.Cdss));

        for (int i = 0; i < texts.Count; i++)
        {
            double expected = double.Parse(texts[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            Assert.True(
                BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(document.Records[i].Value!.Value),
                $"「{texts[i]}」: expected {expected:R}, got {document.Records[i].Value:R}");
        }
    }

    private static string RandomNumberText(Random random)
    {
        var text = new StringBuilder();
        switch (random.Next(3))
        {
            case 0: text.Append('-'); break;
            case 1 when random.Next(4) == 0: text.Append('+'); break;
        }

        int integerDigits = random.Next(0, 21);
        int fractionDigits = random.Next(integerDigits == 0 ? 1 : 0, 21);
        for (int i = 0; i < integerDigits; i++)
        {
            text.Append((char)('0' + random.Next(10)));
        }

        if (fractionDigits > 0 || random.Next(8) == 0)
        {
            text.Append('.');
        }

        for (int i = 0; i < fractionDigits; i++)
        {
            text.Append((char)('0' + (random.Next(3) == 0 ? 0 : random.Next(10))));
        }

        if (random.Next(4) == 0)
        {
            text.Append(random.Next(2) == 0 ? 'e' : 'E');
            text.Append(random.Next(3) switch { 0 => "-", 1 => "+", _ => "" });
            text.Append(random.Next(0, 40));
        }

        return text.ToString();
    }
}

public class StringCacheTests
{
    [Fact]
    public void Read_SameTextTwice_ReturnsTheSameStringInstance()
    {
        var options = FeedReaderOptions.Default with { StringCache = new FeedStringCache(64) };

        var first = FeedFormats.Cdss.Read(Utf8(ValidFile(FeedType.Cdss)), "a.txt", options).Records[0];
        var second = FeedFormats.Cdss.Read(Utf8(ValidFile(FeedType.Cdss)), "b.txt", options).Records[0];

        Assert.Same(first.Location, second.Location);
        Assert.Same(first.PointCode, second.PointCode);
    }

    [Fact]
    public void Read_WithoutCache_StillGivesEqualText()
    {
        var options = FeedReaderOptions.Default with { StringCache = null };

        var reading = FeedFormats.Cdss.Read(Utf8(ValidFile(FeedType.Cdss)), "a.txt", options).Records[0];

        Assert.Equal("1301回采工作面回风隅角", reading.Location);
    }

    [Fact]
    public void Read_TinyCacheAndManyThreads_NeverMixesUpStrings()
    {
        // A 16-slot cache shared by 4 threads reading 2,000 distinct texts: constant eviction and racing
        // inserts. Every text must still be the one in the file.
        var cache = new FeedStringCache(16);
        var options = FeedReaderOptions.Default with { StringCache = cache };
        var random = new RandomRecords(99);
        var readings = random.Many(2_000, random.Cdss)
            .Select((r, i) => r with { Location = $"{i}号测点位置", PointCode = $"530381000123MN{i:D5}" })
            .ToList();
        var bytes = FeedFormats.Cdss.WriteToArray(new FeedHeader(MineCode, MineName, UploadAt), readings);

        Parallel.For(0, 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, _ =>
        {
            for (int round = 0; round < 10; round++)
            {
                Assert.Equal(readings, FeedFormats.Cdss.Read(bytes, "a.txt", options).Records);
            }
        });
        Assert.Equal(16, cache.Capacity);
    }

    [Fact]
    public void Constructor_RoundsCapacityUpToAPowerOfTwo()
    {
        Assert.Equal(1024, new FeedStringCache(1000).Capacity);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FeedStringCache(0));
    }
}

public class DisplayNameTests
{
    [Theory]
    [InlineData(PointStatus.Normal, "正常")]
    [InlineData(PointStatus.Alarm, "报警")]
    [InlineData(PointStatus.PowerCut, "断电")]
    [InlineData(PointStatus.Calibrating, "标校")]
    [InlineData(PointStatus.OverRange, "超量程")]
    [InlineData(PointStatus.SubstationFault, "分站故障")]
    [InlineData(PointStatus.NotPolled, "不巡检")]
    [InlineData(PointStatus.Paused, "暂停")]
    [InlineData(PointStatus.SensorFault, "传感器故障")]
    [InlineData(PointStatus.Alarm | PointStatus.PowerCut, "报警、断电")]
    [InlineData(PointStatus.SensorFault | PointStatus.OverRange | PointStatus.Alarm, "报警、超量程、传感器故障")]
    public void PointStatus_DisplayName_ListsTheSetBits(PointStatus status, string expected)
    {
        Assert.Equal(expected, status.ToDisplayName());
    }

    [Theory]
    [InlineData(AlarmKind.OverLimit, "001", "超限")]
    [InlineData(AlarmKind.PowerCut, "002", "断电")]
    [InlineData(AlarmKind.FeedbackAbnormal, "003", "馈电异常")]
    [InlineData(AlarmKind.Disconnected, "004", "断线")]
    [InlineData(AlarmKind.StationPowerCut, "005", "基站断电")]
    [InlineData(AlarmKind.StationUnreachable, "006", "基站不通")]
    [InlineData(AlarmKind.Calibrating, "007", "标校")]
    [InlineData(AlarmKind.OverRange, "008", "超量程")]
    [InlineData(AlarmKind.UpperWarning, "009", "超上限预警")]
    [InlineData(AlarmKind.LowerWarning, "010", "超下限预警")]
    public void AlarmKind_CodeAndDisplayName(AlarmKind kind, string code, string name)
    {
        Assert.Equal(code, kind.ToCode());
        Assert.Equal(name, kind.ToDisplayName());
    }

    [Fact]
    public void ValueKind_DisplayNames()
    {
        Assert.Equal("模拟量", PointValueKind.Analog.ToDisplayName());
        Assert.Equal("开关量", PointValueKind.Switch.ToDisplayName());
    }
}
