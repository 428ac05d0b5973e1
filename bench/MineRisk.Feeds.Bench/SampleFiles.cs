using MineRisk.Feeds;

namespace MineRisk.Feeds.Bench;

/// <summary>Realistic CDSS content: a mine's points reporting every 30 s, mostly normal, some alarms.</summary>
internal static class SampleFiles
{
    public const string MineCode = "530381000123";

    private static readonly (string Sensor, string Unit, double Scale)[] Sensors =
    [
        ("甲烷", "%CH4", 1.2), ("一氧化碳", "ppm", 40), ("风速", "m/s", 6), ("温度", "℃", 35), ("负压", "Pa", 3000), ("粉尘", "mg/m3", 10),
    ];

    private static readonly string[] Places =
    [
        "回采工作面回风隅角", "回采工作面回风巷", "回采工作面进风巷", "掘进工作面", "掘进工作面回风流", "主要回风巷", "中央变电所", "井底车场",
    ];

    public static string FileName => $"{MineCode}_CDSS_20250301083000.txt";

    /// <summary>A CDSS file of <paramref name="readings"/> readings over <paramref name="points"/> points.</summary>
    public static byte[] Cdss(int readings, int points = 2_000, int seed = 1)
    {
        var random = new Random(seed);
        var start = new DateTimeOffset(2025, 3, 1, 8, 0, 0, ChinaTime.Offset);
        var header = new FeedHeader(MineCode, "麒麟区东山煤矿", start.AddMinutes(30));
        return FeedFormats.Cdss.WriteToArray(header, Enumerable.Range(0, readings).Select(i =>
        {
            int point = i % points;
            var (sensor, unit, scale) = Sensors[point % Sensors.Length];
            return new CdssReading(
                $"{MineCode}MN{point:D5}",
                sensor,
                $"{1301 + (point / 40)}{Places[point % Places.Length]}",
                Math.Round(random.NextDouble() * scale, 2),
                unit,
                random.Next(50) == 0 ? PointStatus.Alarm : PointStatus.Normal,
                start.AddSeconds(i / points * 30));
        }));
    }
}
