using System.Buffers;
using System.Globalization;
using System.Text;
using MineRisk.Feeds.Parsing;

namespace MineRisk.Feeds.Writing;

/// <summary>
/// Writes records in exactly the standard layout: fields joined by ';' (empty fields kept), each segment ended
/// by '~', the file ended by "||", no line breaks, no BOM. Refuses values the layout cannot carry, so whatever it
/// writes reads back to the same values.
/// </summary>
internal sealed class FieldWriter(IBufferWriter<byte> output)
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly IBufferWriter<byte> _output = output;
    private string[] _names = [];
    private int _record;
    private int _field;

    public void BeginRecord(int recordNumber, string[] names)
    {
        _record = recordNumber;
        _names = names;
        _field = 0;
    }

    public void EndRecord()
    {
        if (_field != _names.Length)
        {
            throw new InvalidOperationException($"internal: wrote {_field} fields of {_names.Length}");
        }

        WriteByte((byte)'~');
    }

    public void Finish() => _output.Write("||"u8);

    public void Text(string? value)
    {
        Separator();
        WriteText(value);
    }

    /// <summary>A code that identifies something: must not be empty.</summary>
    public void Code(string? value)
    {
        Separator();
        if (string.IsNullOrEmpty(value))
        {
            Refuse(value, "为空");
        }

        WriteText(value);
    }

    public void MineCode(string? value)
    {
        Separator();
        if (value is null || !MineCodes.IsValid(value))
        {
            Refuse(value, "应为 11 或 12 位数字");
        }

        WriteText(value);
    }

    public void Number(double? value)
    {
        Separator();
        if (value is not { } v)
        {
            return;
        }

        if (!double.IsFinite(v))
        {
            Refuse(v.ToString(CultureInfo.InvariantCulture), "不是有限数");
        }

        // Shortest round-trip form: "0.5", "12.34"; exponent form only below 1e-5 or from 1e15 up.
        var span = _output.GetSpan(32);
        if (!v.TryFormat(span, out int written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("internal: number did not fit");
        }

        _output.Advance(written);
    }

    public void Integer(long? value)
    {
        Separator();
        if (value is { } v)
        {
            var span = _output.GetSpan(20);
            v.TryFormat(span, out int written, default, CultureInfo.InvariantCulture);
            _output.Advance(written);
        }
    }

    /// <summary>Zero-padded code such as 异常类型 "001".</summary>
    public void Padded(int value, int width)
    {
        Separator();
        var span = _output.GetSpan(16);
        value.TryFormat(span, out int written, width == 3 ? "D3" : "D", CultureInfo.InvariantCulture);
        _output.Advance(written);
    }

    public void Flag(bool? value)
    {
        Separator();
        if (value is { } v)
        {
            WriteByte(v ? (byte)'1' : (byte)'0');
        }
    }

    public void Time(DateTimeOffset? value)
    {
        Separator();
        if (value is not { } t)
        {
            return;
        }

        var china = t.ToChinaTime();
        if (china.Year is < Utf8Time.MinYear or > Utf8Time.MaxYear)
        {
            Refuse(china.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), $"超出 {Utf8Time.MinYear}–{Utf8Time.MaxYear} 年");
        }

        // Written by hand: a format string costs several times more and the simulator writes millions.
        var span = _output.GetSpan(27);
        var dateTime = china.DateTime;
        Digits(span, 0, dateTime.Year, 4);
        span[4] = (byte)'-';
        Digits(span, 5, dateTime.Month, 2);
        span[7] = (byte)'-';
        Digits(span, 8, dateTime.Day, 2);
        span[10] = (byte)' ';
        Digits(span, 11, dateTime.Hour, 2);
        span[13] = (byte)':';
        Digits(span, 14, dateTime.Minute, 2);
        span[16] = (byte)':';
        Digits(span, 17, dateTime.Second, 2);
        int written = 19;

        // Sub-second parts are written only when present, so times read from a file with fractions round-trip.
        long fraction = dateTime.Ticks % TimeSpan.TicksPerSecond;
        if (fraction != 0)
        {
            span[19] = (byte)'.';
            Digits(span, 20, (int)fraction, 7);
            written = 27;
            while (span[written - 1] == (byte)'0')
            {
                written--;
            }
        }

        _output.Advance(written);
    }

    private static void Digits(Span<byte> span, int at, int value, int width)
    {
        for (int i = at + width - 1; i >= at; i--)
        {
            span[i] = (byte)('0' + (value % 10));
            value /= 10;
        }
    }

    private void WriteText(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return;
        }

        if (value.AsSpan().IndexOfAny(';', '~') >= 0 || value.Contains("||", StringComparison.Ordinal))
        {
            Refuse(value, "含有分隔符「;」「~」或「||」");
        }

        if (IsAsciiWhite(value[0]) || IsAsciiWhite(value[^1]))
        {
            Refuse(value, "首尾有空白（读取时会被去掉）");
        }

        var span = _output.GetSpan(StrictUtf8.GetMaxByteCount(value.Length));
        int written;
        try
        {
            written = StrictUtf8.GetBytes(value, span);
        }
        catch (EncoderFallbackException)
        {
            Refuse(value, "不是有效的 Unicode 文本");
            throw;
        }

        _output.Advance(written);
    }

    private static bool IsAsciiWhite(char c) => c is ' ' or '\t' or '\r' or '\n';

    private void Separator()
    {
        if (_field++ > 0)
        {
            WriteByte((byte)';');
        }
    }

    private void WriteByte(byte value)
    {
        _output.GetSpan(1)[0] = value;
        _output.Advance(1);
    }

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    private void Refuse(string? value, string reason)
    {
        string where = _record == 0 ? "文件头" : $"第 {_record} 条记录";
        string field = _field >= 1 && _field <= _names.Length ? _names[_field - 1] : "?";
        throw new ArgumentException($"{where}的{field}「{FeedText.Quote(value ?? "")}」无法写入：{reason}");
    }
}

/// <summary>An <see cref="IBufferWriter{T}"/> that flushes to a stream in pooled chunks, so big files stream out.</summary>
internal sealed class StreamBufferWriter(Stream stream) : IBufferWriter<byte>, IDisposable
{
    private const int ChunkSize = 64 * 1024;

    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
    private int _used;

    public void Advance(int count) => _used += count;

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_used);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_used);
    }

    public void Flush()
    {
        if (_used > 0)
        {
            stream.Write(_buffer, 0, _used);
            _used = 0;
        }
    }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        int need = Math.Max(sizeHint, 1);
        if (_buffer.Length - _used >= need)
        {
            return;
        }

        Flush();
        if (_buffer.Length < need)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(need);
        }
    }
}
