namespace MineRisk.Feeds;

/// <summary>
/// China Standard Time: UTC+8, no daylight saving (DOMAIN §9). Every time this library returns is a
/// <see cref="DateTimeOffset"/> carrying this offset, so <c>.UtcDateTime</c> gives the stored value and
/// the wall-clock fields give what the file said.
/// </summary>
public static class ChinaTime
{
    /// <summary>+08:00.</summary>
    public static TimeSpan Offset { get; } = TimeSpan.FromHours(8);

    /// <summary>The same instant expressed in China time.</summary>
    public static DateTimeOffset ToChinaTime(this DateTimeOffset time) => time.ToOffset(Offset);

    /// <summary>A China wall-clock time.</summary>
    public static DateTimeOffset At(int year, int month, int day, int hour, int minute, int second) =>
        new(year, month, day, hour, minute, second, Offset);
}
