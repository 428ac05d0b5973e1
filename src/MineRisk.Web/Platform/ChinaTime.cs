using System.Globalization;

namespace MineRisk.Web.Platform;

/// <summary>
/// China Standard Time: UTC+8 all year, no daylight saving (DOMAIN §9). The app stores UTC and shows China time.
/// A fixed offset is exact here and needs no time-zone database on the server.
/// </summary>
public static class ChinaTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(8);

    /// <summary>UTC instant → China wall-clock time (Kind = Unspecified).</summary>
    public static DateTime ToChina(DateTime utc) => DateTime.SpecifyKind(EnsureUtc(utc) + Offset, DateTimeKind.Unspecified);

    /// <summary>China wall-clock time → UTC instant.</summary>
    public static DateTime ToUtc(DateTime chinaLocal) => DateTime.SpecifyKind(chinaLocal - Offset, DateTimeKind.Utc);

    /// <summary>The China calendar date of a UTC instant.</summary>
    public static DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(ToChina(utc));

    /// <summary>Midnight (start) of a China calendar date, as UTC.</summary>
    public static DateTime StartOfDay(DateOnly date) => ToUtc(date.ToDateTime(TimeOnly.MinValue));

    public static DateTime Today(TimeProvider clock) => ToChina(clock.GetUtcNow().UtcDateTime).Date;

    /// <summary>The house format for times shown to people: <c>yyyy-MM-dd HH:mm</c>, China time.</summary>
    public static string Format(DateTime utc) => ToChina(utc).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    public static string Format(DateTime? utc) => utc is null ? "" : Format(utc.Value);

    public static string FormatDate(DateTime utc) => ToChina(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateTime EnsureUtc(DateTime value) => value.Kind switch
    {
        DateTimeKind.Utc => value,
        DateTimeKind.Unspecified => DateTime.SpecifyKind(value, DateTimeKind.Utc),
        _ => value.ToUniversalTime(),
    };
}
