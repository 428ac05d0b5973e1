using System.Diagnostics.CodeAnalysis;

namespace MineRisk.Feeds.Parsing;

/// <summary>
/// Reads the fields of one record in order, straight from its UTF-8 bytes. Each read takes the next field,
/// trims ASCII whitespace, and parses it; errors name the field.
/// </summary>
internal ref struct RecordParser
{
    private readonly ParseContext _context;
    private readonly string[] _names;
    private ReadOnlySpan<byte> _rest;
    private ReadOnlySpan<byte> _current;
    private int _field;

    public RecordParser(ReadOnlySpan<byte> record, string[] names, ParseContext context)
    {
        _context = context;
        _names = names;
        _rest = record;
        _field = -1;

        int count = record.Count((byte)';') + 1;
        if (count < names.Length || (count > names.Length && context.Options.RejectExtraFields))
        {
            FailFieldCount(record, count, names.Length, context);
        }
    }

    public readonly ParseContext Context => _context;

    /// <summary>The trimmed bytes of the next field.</summary>
    public ReadOnlySpan<byte> Next()
    {
        _field++;
        int separator = _rest.IndexOf((byte)';');
        ReadOnlySpan<byte> field;
        if (separator < 0)
        {
            field = _rest;
            _rest = default;
        }
        else
        {
            field = _rest[..separator];
            _rest = _rest[(separator + 1)..];
        }

        _current = Ascii.Trim(field);
        return _current;
    }

    public readonly string FieldName => _names[_field];

    /// <summary>Free text; empty is "".</summary>
    public string Text() => _context.Text(Next());

    /// <summary>Free text the caller does not want: the field is passed over and read as "".</summary>
    public string Skip()
    {
        Next();
        return string.Empty;
    }

    /// <summary>A code that identifies something (测点编码, 卡号…): must not be empty.</summary>
    public string Code()
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            FailMissing();
        }

        return _context.Text(raw);
    }

    /// <summary>煤矿编码: 12 digits, or 11 for older codes.</summary>
    public string MineCode()
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            FailMissing();
        }

        if (!MineCodes.IsValid(raw))
        {
            Fail(FeedErrorKind.InvalidCode, $"{FieldName}「{FeedText.Quote(raw)}」应为 11 或 12 位数字");
        }

        return _context.Text(raw);
    }

    public double Number()
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            FailMissing();
        }

        return ParseNumber(raw);
    }

    /// <summary>A number, or null when the field is empty (never 0: empty means "no value").</summary>
    public double? OptionalNumber()
    {
        var raw = Next();
        return raw.IsEmpty ? null : ParseNumber(raw);
    }

    public DateTimeOffset Time()
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            FailMissing();
        }

        return ParseTime(raw);
    }

    public DateTimeOffset? OptionalTime()
    {
        var raw = Next();
        return raw.IsEmpty ? null : ParseTime(raw);
    }

    /// <summary>A whole number in [min, max]; empty is an error.</summary>
    public int Integer(int min, int max)
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            FailMissing();
        }

        return ParseInteger(raw, min, max);
    }

    public int? OptionalInteger(int min, int max)
    {
        var raw = Next();
        return raw.IsEmpty ? null : ParseInteger(raw, min, max);
    }

    /// <summary>One of a few codes, e.g. 0/1/2; empty is an error.</summary>
    public byte Choice(ReadOnlySpan<byte> allowed, string allowedText)
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            FailMissing();
        }

        var result = Utf8Number.TryParseInteger(raw, out long value);
        if (result != Utf8Number.Result.Ok || value is < 0 or > 255 || !allowed.Contains((byte)value))
        {
            Fail(FeedErrorKind.InvalidValue, $"{FieldName}「{FeedText.Quote(raw)}」应为 {allowedText}");
        }

        return (byte)value;
    }

    /// <summary>是/否 flags: 1 or 0; empty is null.</summary>
    public bool? OptionalFlag()
    {
        var raw = Next();
        if (raw.IsEmpty)
        {
            return null;
        }

        if (raw.Length == 1 && raw[0] is (byte)'0' or (byte)'1')
        {
            return raw[0] == (byte)'1';
        }

        Fail(FeedErrorKind.InvalidValue, $"{FieldName}「{FeedText.Quote(raw)}」应为 0 或 1");
        return null;
    }

    /// <summary>Current field's raw bytes (after <see cref="Next"/>), for format-specific checks.</summary>
    public readonly ReadOnlySpan<byte> Current => _current;

    [DoesNotReturn]
    public readonly void Fail(FeedErrorKind kind, string reason) => _context.Fail(kind, FieldName, reason);

    [DoesNotReturn]
    public readonly void FailMissing() => Fail(FeedErrorKind.MissingValue, $"{FieldName}为空");

    private readonly double ParseNumber(ReadOnlySpan<byte> raw)
    {
        var result = Utf8Number.TryParse(raw, out double value);
        if (result == Utf8Number.Result.Ok)
        {
            return value;
        }

        FailNumber(raw, result);
        return 0;
    }

    private readonly int ParseInteger(ReadOnlySpan<byte> raw, int min, int max)
    {
        var result = Utf8Number.TryParseInteger(raw, out long value);
        if (result != Utf8Number.Result.Ok)
        {
            Fail(FeedErrorKind.InvalidNumber, $"{FieldName}「{FeedText.Quote(raw)}」不是整数");
        }

        if (value < min || value > max)
        {
            Fail(FeedErrorKind.InvalidValue, $"{FieldName}「{FeedText.Quote(raw)}」超出范围 {min}–{max}");
        }

        return (int)value;
    }

    private DateTimeOffset ParseTime(ReadOnlySpan<byte> raw)
    {
        if (Utf8Time.TryParse(raw, ref _context.DateCache, out var value))
        {
            return value;
        }

        FailTime(raw);
        return default;
    }

    [DoesNotReturn]
    private readonly void FailNumber(ReadOnlySpan<byte> raw, Utf8Number.Result result) =>
        Fail(
            FeedErrorKind.InvalidNumber,
            result == Utf8Number.Result.OutOfRange
                ? $"{FieldName}「{FeedText.Quote(raw)}」超出数值范围"
                : $"{FieldName}「{FeedText.Quote(raw)}」不是数字");

    [DoesNotReturn]
    private readonly void FailTime(ReadOnlySpan<byte> raw) =>
        Fail(
            FeedErrorKind.InvalidTime,
            $"{FieldName}「{FeedText.Quote(raw)}」不是有效时间（应为 yyyy-MM-dd HH:mm:ss，{Utf8Time.MinYear}–{Utf8Time.MaxYear} 年）");

    [DoesNotReturn]
    private static void FailFieldCount(ReadOnlySpan<byte> record, int count, int expected, ParseContext context)
    {
        string hint = record.IndexOf("；"u8) >= 0 ? "；记录中有全角分号「；」，分隔符应为半角「;」" : string.Empty;
        string what = context.RecordNumber == 0 ? "文件头" : "记录";
        string reason = count < expected
            ? $"{what}只有 {count} 个字段，应为 {expected} 个{hint}"
            : $"{what}有 {count} 个字段，应为 {expected} 个（多余字段按设置不接受）";
        context.Fail(FeedErrorKind.FieldCount, null, reason);
    }
}
