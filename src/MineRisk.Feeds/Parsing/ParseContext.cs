using System.Diagnostics.CodeAnalysis;
using System.Text.Unicode;

namespace MineRisk.Feeds.Parsing;

/// <summary>State of one read: where we are (for errors) and the per-read caches.</summary>
internal sealed class ParseContext(string fileName, FeedReaderOptions options)
{
    public string FileName { get; } = fileName;

    public FeedReaderOptions Options { get; } = options;

    public FeedStringCache? Cache { get; } = options.StringCache;

    /// <summary>Record number of the segment being parsed (header = 0).</summary>
    public int RecordNumber;

    /// <summary>Byte offset in the file where the segment being parsed starts.</summary>
    public long SegmentOffset;

    public Utf8Time.DateCache DateCache;

    public string Text(ReadOnlySpan<byte> utf8) =>
        Cache is { } cache ? cache.Get(utf8) : utf8.IsEmpty ? string.Empty : System.Text.Encoding.UTF8.GetString(utf8);

    [DoesNotReturn]
    public void Fail(FeedErrorKind kind, string? field, string reason) =>
        throw new FeedFormatException(new FeedError(kind, FileName, RecordNumber, field, reason, SegmentOffset));

    [DoesNotReturn]
    public void FailFile(FeedErrorKind kind, string reason, int? recordNumber, long? offset) =>
        throw new FeedFormatException(new FeedError(kind, FileName, recordNumber, null, reason, offset));

    /// <summary>Checks that a segment is UTF-8 before anything in it is interpreted.</summary>
    public void EnsureUtf8(ReadOnlySpan<byte> segment)
    {
        if (Utf8.IsValid(segment))
        {
            return;
        }

        FailNotUtf8(segment, RecordNumber, SegmentOffset);
    }

    [DoesNotReturn]
    public void FailNotUtf8(ReadOnlySpan<byte> bytes, int? recordNumber, long offset)
    {
        int bad = Math.Max(0, Utf8Check.FirstInvalid(bytes, allowTruncatedTail: false));
        FailFile(
            FeedErrorKind.NotUtf8,
            $"文件不是 UTF-8 编码（第 {offset + bad} 字节 0x{bytes[bad]:X2} 无法按 UTF-8 解码，可能是 GBK）",
            recordNumber,
            offset);
    }
}

internal static class Utf8Check
{
    /// <summary>Index of the first byte that is not valid UTF-8, or -1. A sequence cut by the end counts as valid when allowed.</summary>
    public static int FirstInvalid(ReadOnlySpan<byte> bytes, bool allowTruncatedTail)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            int ascii = bytes[i..].IndexOfAnyInRange((byte)0x80, (byte)0xFF);
            if (ascii < 0)
            {
                return -1;
            }

            i += ascii;
            var status = System.Text.Rune.DecodeFromUtf8(bytes[i..], out _, out int consumed);
            if (status == System.Buffers.OperationStatus.Done)
            {
                i += consumed;
                continue;
            }

            if (status == System.Buffers.OperationStatus.NeedMoreData && allowTruncatedTail)
            {
                return -1;
            }

            return i;
        }

        return -1;
    }
}
