using System.Text;

namespace MineRisk.Feeds.Tests.Support;

/// <summary>Realistic feed content (Chinese, mine 530381000123) for the tests.</summary>
internal static class Samples
{
    public const string MineCode = "530381000123";
    public const string MineName = "麒麟区东山煤矿";
    public const string UploadTime = "2025-03-01 08:30:00";

    public static readonly DateTimeOffset UploadAt = new(2025, 3, 1, 8, 30, 0, TimeSpan.FromHours(8));

    public static string FileName(FeedType type) => $"{MineCode}_{type.Code()}_20250301083000.txt";

    public static string Header3 => $"{MineCode};{MineName};{UploadTime}";

    public static string CddyHeader => $"{MineCode};{MineName};KJ90X;安全监控系统;重庆煤科院;2025-03-01;{UploadTime}";

    public static string RyxxHeader => $"{MineCode};{MineName};KJ236;人员定位系统;北京某科技;2024-06-30;V2.1;{UploadTime}";

    public static string HeaderFor(FeedType type) => type switch
    {
        FeedType.Cddy => CddyHeader,
        FeedType.Ryxx => RyxxHeader,
        _ => Header3,
    };

    public const string CdssMethane = "530381000123MN0001;甲烷;1301回采工作面回风隅角;0.42;%CH4;0;2025-03-01 08:29:58";
    public const string CdssCo = "530381000123MN0002;一氧化碳;1301回采工作面回风巷;12;ppm;0;2025-03-01 08:29:58";
    public const string CdssAlarm = "530381000123MN0003;甲烷;1302掘进工作面;1.62;%CH4;3;2025-03-01 08:29:59";

    public static string[] CdssRecords => [CdssMethane, CdssCo, CdssAlarm];

    public const string CddyMethane =
        "530381000123MN0001;01;03;甲烷;MN;%CH4;4;0;1;0.8;;;1.5;1;;;;;1301回采工作面回风隅角;1203.5;876.25;-310.2;530381000123KG0007;2025-03-01 08:00:00";

    public const string CddyFeed =
        "530381000123KG0007;01;03;馈电;KG;;;;;;;;;;;;有电;无电;1301回采工作面配电点;;;;;2025-03-01 08:00:00";

    public const string YcbjClosed =
        "530381000123MN0003;甲烷;1302掘进工作面;%CH4;001;2025-03-01 07:10:00;2025-03-01 07:25:30;1.62;2025-03-01 07:18:00;1.01;2025-03-01 07:10:00;1.28;局部通风机故障停风;恢复通风、撤出人员;2025-03-01 07:40:00;张伟;2025-03-01 08:29:00";

    public const string YcbjOpen =
        "530381000123MN0001;甲烷;1301回采工作面回风隅角;%CH4;009;2025-03-01 08:20:00;;0.92;2025-03-01 08:27:00;0.81;2025-03-01 08:20:00;0.86;;;;;2025-03-01 08:29:00";

    public const string TjsjMethane =
        "530381000123MN0001;甲烷;1301回采工作面回风隅角;%CH4;2025-03-01 08:25:00;2025-03-01 08:30:00;0.47;2025-03-01 08:27:30;0.38;2025-03-01 08:25:10;0.42;2025-03-01 08:30:00";

    public const string RyqyFace = "01;5303810001230001;60;1301回采工作面";
    public const string RyqyRestricted = "03;5303810001230002;;1302掘进工作面限制区";

    public const string RyxxMiner = "53038100012300017;李强;采煤工;班长;综采一队;1985-07;高中;0;1";
    public const string RyxxLeader = "53038100012300002;王建国;;矿长;矿领导;1970-02;本科;1;0";

    public const string RyssUnderground =
        "53038100012300017;李强;1;2025-03-01 06:05:00;;5303810001230001;2025-03-01 06:40:00;5303810001230001000003;2025-03-01 08:10:00;三八制;-12.5;正常;0;1;5303810001230001000001&2025-03-01 06:05:00,5303810001230001000003&2025-03-01 08:10:00";

    public const string RyssSurfaced =
        "53038100012300002;王建国;2;2025-03-01 05:50:00;2025-03-01 08:01:00;;;;;三八制;;正常;1;0;";

    public const string JzssOk = "5303810001230001000003;1;0;2025-03-01 08:29:30";
    public const string JzssBattery = "5303810001230001000004;1;1;2025-03-01 08:29:30";

    public static string[] RecordsFor(FeedType type) => type switch
    {
        FeedType.Cddy => [CddyMethane, CddyFeed],
        FeedType.Cdss => CdssRecords,
        FeedType.Ycbj => [YcbjClosed, YcbjOpen],
        FeedType.Tjsj => [TjsjMethane],
        FeedType.Ryqy => [RyqyFace, RyqyRestricted],
        FeedType.Ryxx => [RyxxMiner, RyxxLeader],
        FeedType.Ryss => [RyssUnderground, RyssSurfaced],
        FeedType.Jzss => [JzssOk, JzssBattery],
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    /// <summary>header~record~…~|| exactly as the standard lays it out.</summary>
    public static string File(string header, params string[] records) =>
        header + "~" + string.Concat(records.Select(r => r + "~")) + "||";

    public static string ValidFile(FeedType type) => File(HeaderFor(type), RecordsFor(type));

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    public static DateTimeOffset China(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, TimeSpan.FromHours(8));

    /// <summary>A CDSS file of <paramref name="count"/> readings over 500 points, as the simulator would send.</summary>
    public static byte[] LargeCdss(int count, int seed = 7)
    {
        var random = new Random(seed);
        var start = China(2025, 3, 1, 8, 0, 0);
        var readings = Enumerable.Range(0, count).Select(i => new CdssReading(
            $"530381000123MN{i % 500:D4}",
            (i % 3) switch { 0 => "甲烷", 1 => "一氧化碳", _ => "风速" },
            $"{1300 + (i % 500 / 10)}回采工作面回风隅角{i % 10}号",
            Math.Round(random.NextDouble() * 1.2, 2),
            (i % 3) switch { 0 => "%CH4", 1 => "ppm", _ => "m/s" },
            i % 97 == 0 ? PointStatus.Alarm : PointStatus.Normal,
            start.AddSeconds(i / 500 * 30)));
        return FeedFormats.Cdss.WriteToArray(new FeedHeader(MineCode, MineName, UploadAt), readings);
    }
}
