namespace MineRisk.Feeds.Parsing;

/// <summary>
/// Splits a feed file into segments (header, records) without copying, on a whole file or on a window of a
/// stream. The layout: optional UTF-8 BOM, segments each ended by '~', the end marker "||" (the last segment
/// may end at "||" without '~'), then only whitespace. The first "||" in the file is the end marker.
/// The caller passes the unconsumed bytes each time; the scanner says how many it consumed.
/// </summary>
internal struct FeedScanner
{
    private State _state;
    private int _segmentNumber;
    private long _offset;

    private enum State
    {
        Start,
        Segments,
        AfterEnd,
        Done,
    }

    public enum Result
    {
        /// <summary>A segment is ready: <c>segment</c> is its bytes, <c>SegmentNumber</c>/<c>SegmentOffset</c> where it is.</summary>
        Segment,

        /// <summary>The window holds no complete segment; give more bytes (or eof).</summary>
        NeedMore,

        /// <summary>The end marker was found and only whitespace followed it.</summary>
        Finished,
    }

    /// <summary>Record number of the segment returned last (header = 0).</summary>
    public int SegmentNumber { get; private set; }

    /// <summary>Byte offset in the file of the segment returned last.</summary>
    public long SegmentOffset { get; private set; }

    /// <summary>
    /// Finds the next segment in <paramref name="window"/> (the unconsumed bytes). <paramref name="eof"/> says no
    /// more bytes will follow. On <see cref="Result.Segment"/> the segment lies inside the window and stays valid until
    /// the caller discards the consumed bytes.
    /// </summary>
    public Result Next(ReadOnlySpan<byte> window, bool eof, ParseContext context, out int segmentStart, out int segmentLength, out int consumed)
    {
        segmentStart = 0;
        segmentLength = 0;
        consumed = 0;

        if (_state == State.Start)
        {
            if (window.Length < 3 && !eof)
            {
                return Result.NeedMore;
            }

            if (window.StartsWith("\uFEFF"u8))
            {
                // UTF-8 BOM: Windows tools write it; it carries no data.
                consumed = 3;
                _offset = 3;
            }
            else if (window.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || window.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
            {
                context.FailFile(FeedErrorKind.NotUtf8, "文件不是 UTF-8 编码（看起来是 UTF-16）", null, 0);
            }

            _state = State.Segments;
        }

        if (_state == State.Segments)
        {
            var rest = window[consumed..];
            int maxRecord = context.Options.MaxRecordBytes;
            int searchFrom = 0;
            while (true)
            {
                int found = rest[searchFrom..].IndexOfAny((byte)'~', (byte)'|');
                if (found < 0)
                {
                    if (rest.Length > maxRecord)
                    {
                        FailTooLong(rest, context);
                    }

                    if (!eof)
                    {
                        return Result.NeedMore;
                    }

                    FailUnterminated(rest, context);
                }

                int at = searchFrom + found;
                if (at > maxRecord)
                {
                    FailTooLong(rest, context);
                }

                if (rest[at] == (byte)'~')
                {
                    return Emit(rest, at, at + 1, ref consumed, out segmentStart, out segmentLength);
                }

                if (at + 1 >= rest.Length)
                {
                    if (!eof)
                    {
                        return Result.NeedMore;
                    }

                    // A lone '|' at the very end: the marker was cut in half.
                    FailUnterminated(rest, context);
                }

                if (rest[at + 1] != (byte)'|')
                {
                    // A single '|' inside a field is text.
                    searchFrom = at + 1;
                    continue;
                }

                _state = State.AfterEnd;
                return Emit(rest, at, at + 2, ref consumed, out segmentStart, out segmentLength);
            }
        }

        if (_state == State.AfterEnd)
        {
            var rest = window[consumed..];
            int content = rest.IndexOfAnyExcept(Ascii.WhiteBytes);
            if (content >= 0)
            {
                // Bytes after "||" could be a second file or lost data: never silently drop them.
                context.FailFile(
                    FeedErrorKind.ContentAfterEnd,
                    $"结束标记「||」之后还有内容（第 {_offset + content} 字节起）",
                    null,
                    _offset + content);
            }

            consumed += rest.Length;
            _offset += rest.Length;
            if (!eof)
            {
                return Result.NeedMore;
            }

            _state = State.Done;
        }

        return Result.Finished;
    }

    private Result Emit(ReadOnlySpan<byte> rest, int length, int advance, ref int consumed, out int segmentStart, out int segmentLength)
    {
        segmentStart = consumed;
        segmentLength = length;
        SegmentNumber = _segmentNumber++;
        SegmentOffset = _offset;
        consumed += advance;
        _offset += advance;
        return Result.Segment;
    }

    private readonly void FailTooLong(ReadOnlySpan<byte> rest, ParseContext context)
    {
        int max = context.Options.MaxRecordBytes;
        CheckUtf8(rest[..Math.Min(rest.Length, max)], context, allowTruncatedTail: true);
        context.FailFile(
            FeedErrorKind.RecordTooLong,
            $"记录超过 {max} 字节仍未遇到「~」或「||」",
            _segmentNumber,
            _offset);
    }

    private readonly void FailUnterminated(ReadOnlySpan<byte> rest, ParseContext context)
    {
        if (_segmentNumber == 0 && Ascii.IsWhiteOnly(rest))
        {
            context.FailFile(FeedErrorKind.Empty, "文件为空", null, null);
        }

        // A truncated file may end inside a multi-byte character: that is "incomplete", not "not UTF-8".
        CheckUtf8(rest, context, allowTruncatedTail: true);
        context.FailFile(
            FeedErrorKind.Incomplete,
            $"文件不完整：没有结束标记「||」（在第 {_segmentNumber} 条记录处中断）",
            _segmentNumber,
            _offset);
    }

    private readonly void CheckUtf8(ReadOnlySpan<byte> bytes, ParseContext context, bool allowTruncatedTail)
    {
        int bad = Utf8Check.FirstInvalid(bytes, allowTruncatedTail);
        if (bad >= 0)
        {
            context.FailNotUtf8(bytes, _segmentNumber, _offset);
        }
    }
}
