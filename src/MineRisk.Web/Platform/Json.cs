using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MineRisk.Web.Platform;

/// <summary>
/// API times are UTC instants written with a <c>Z</c> (values read back from SQLite carry no kind; they are UTC
/// because the app only ever stores UTC).
/// </summary>
public sealed class UtcDateTimeConverter : JsonConverter<DateTime>
{
    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString() ?? throw new JsonException("时间不能为空");
        var value = DateTime.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        return value.Kind switch
        {
            DateTimeKind.Utc => value,
            DateTimeKind.Local => value.ToUniversalTime(),
            _ => ChinaTime.ToUtc(value), // a time without offset is China time (DOMAIN §9)
        };
    }

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(DateTime.SpecifyKind(value, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture));
}
