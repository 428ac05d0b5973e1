using System.Buffers;
using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>
/// One upload file type: its field lists, and reading and writing. Get instances from <see cref="FeedFormats"/>.
/// </summary>
public abstract class FeedFormat
{
    private readonly string[] _headerNames;
    private readonly string[] _recordNames;

    private protected FeedFormat(FeedType type, string[] headerNames, string[] recordNames)
    {
        Type = type;
        _headerNames = headerNames;
        _recordNames = recordNames;

        // Read-only views: the arrays themselves name fields in errors and must not be changed from outside.
        HeaderFieldNames = Array.AsReadOnly(headerNames);
        RecordFieldNames = Array.AsReadOnly(recordNames);
    }

    /// <summary>The file type.</summary>
    public FeedType Type { get; }

    /// <summary>The header's field names in order (煤矿编码 first, 上传时间 last).</summary>
    public IReadOnlyList<string> HeaderFieldNames { get; }

    /// <summary>A record's field names in order (DOMAIN §8).</summary>
    public IReadOnlyList<string> RecordFieldNames { get; }

    internal string[] HeaderNames => _headerNames;

    internal string[] RecordNames => _recordNames;

    /// <summary>Reads a whole file held in memory, whatever its record type.</summary>
    /// <exception cref="FeedFormatException">The file is not valid; nothing else is thrown for bad content.</exception>
    public abstract FeedDocument ReadDocument(ReadOnlySpan<byte> content, string fileName, FeedReaderOptions? options = null);

    /// <summary>Reads a whole file from a stream, whatever its record type.</summary>
    /// <exception cref="FeedFormatException">The file is not valid.</exception>
    public abstract Task<FeedDocument> ReadDocumentAsync(Stream content, string fileName, FeedReaderOptions? options = null, CancellationToken cancellationToken = default);

    internal FeedHeader ParseHeader(ReadOnlySpan<byte> segment, ParseContext context)
    {
        var p = new RecordParser(segment, _headerNames, context);
        string mineCode = p.MineCode();
        string mineName = p.Text();
        int detailCount = _headerNames.Length - 3;
        string[] details = detailCount == 0 ? [] : new string[detailCount];
        for (int i = 0; i < detailCount; i++)
        {
            details[i] = p.Text();
        }

        var uploadTime = p.Time();
        return new FeedHeader(mineCode, mineName, uploadTime) { Details = details };
    }

    internal void WriteHeader(FieldWriter writer, FeedHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        int detailCount = _headerNames.Length - 3;
        var details = header.Details ?? [];
        if (details.Count != 0 && details.Count != detailCount)
        {
            throw new ArgumentException($"{Type.Code()} 文件头应有 {detailCount} 个中间字段，给了 {details.Count} 个", nameof(header));
        }

        writer.BeginRecord(0, _headerNames);
        writer.MineCode(header.MineCode);
        writer.Text(header.MineName);
        for (int i = 0; i < detailCount; i++)
        {
            writer.Text(details.Count == 0 ? null : details[i]);
        }

        writer.Time(header.UploadTime);
        writer.EndRecord();
    }
}

/// <summary>One upload file type with its record type.</summary>
/// <typeparam name="TRecord">The record type, e.g. <see cref="CdssReading"/>.</typeparam>
public abstract class FeedFormat<TRecord> : FeedFormat
{
    private protected FeedFormat(FeedType type, string[] headerNames, string[] recordNames)
        : base(type, headerNames, recordNames)
    {
    }

    /// <summary>Reads a whole file held in memory.</summary>
    /// <param name="content">The file's bytes.</param>
    /// <param name="fileName">The file name, used in errors only.</param>
    /// <param name="options">Vendor settings; <see cref="FeedReaderOptions.Default"/> when null.</param>
    /// <exception cref="FeedFormatException">The file is not valid.</exception>
    public FeedDocument<TRecord> Read(ReadOnlySpan<byte> content, string fileName, FeedReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        var context = new ParseContext(fileName, options ?? FeedReaderOptions.Default);
        var scanner = default(FeedScanner);

        // One '~' per record: the count sizes the list exactly (a vectorised pass, far cheaper than regrowing);
        // capped so a file of nothing but '~' cannot make us reserve memory for millions of records up front.
        var records = new List<TRecord>(Math.Min(content.Count((byte)'~'), 1 << 16));
        FeedHeader? header = null;
        int position = 0;
        while (true)
        {
            var result = scanner.Next(content[position..], eof: true, context, out int start, out int length, out int consumed);
            if (result == FeedScanner.Result.Finished)
            {
                break;
            }

            var segment = content.Slice(position + start, length);
            position += consumed;
            if (result == FeedScanner.Result.Segment && ParseSegment(segment, ref scanner, context, ref header, out var record))
            {
                records.Add(record);
            }
        }

        return new FeedDocument<TRecord>(fileName, Type, header!, records);
    }

    /// <summary>Reads a whole file from a stream (buffered in chunks, not loaded at once).</summary>
    /// <exception cref="FeedFormatException">The file is not valid.</exception>
    public FeedDocument<TRecord> Read(Stream content, string fileName, FeedReaderOptions? options = null)
    {
        using var reader = OpenReader(content, fileName, options, leaveOpen: true);
        var records = new List<TRecord>();
        while (reader.Read())
        {
            records.Add(reader.Current);
        }

        return new FeedDocument<TRecord>(fileName, Type, reader.Header, records);
    }

    /// <summary>Reads a whole file from a stream asynchronously.</summary>
    /// <exception cref="FeedFormatException">The file is not valid.</exception>
    public async Task<FeedDocument<TRecord>> ReadAsync(Stream content, string fileName, FeedReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var reader = OpenReader(content, fileName, options, leaveOpen: true);
        var records = new List<TRecord>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            records.Add(reader.Current);
        }

        return new FeedDocument<TRecord>(fileName, Type, reader.Header, records);
    }

    /// <inheritdoc/>
    public override FeedDocument ReadDocument(ReadOnlySpan<byte> content, string fileName, FeedReaderOptions? options = null) =>
        Read(content, fileName, options);

    /// <inheritdoc/>
    public override async Task<FeedDocument> ReadDocumentAsync(Stream content, string fileName, FeedReaderOptions? options = null, CancellationToken cancellationToken = default) =>
        await ReadAsync(content, fileName, options, cancellationToken).ConfigureAwait(false);

    /// <summary>Opens a record-by-record reader over a stream: memory stays at one buffer whatever the file size.</summary>
    public FeedReader<TRecord> OpenReader(Stream content, string fileName, FeedReaderOptions? options = null, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(fileName);
        return new FeedReader<TRecord>(this, content, default, fileName, options ?? FeedReaderOptions.Default, leaveOpen);
    }

    /// <summary>Opens a record-by-record reader over bytes already in memory (no copy).</summary>
    public FeedReader<TRecord> OpenReader(ReadOnlyMemory<byte> content, string fileName, FeedReaderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return new FeedReader<TRecord>(this, null, content, fileName, options ?? FeedReaderOptions.Default, leaveOpen: false);
    }

    /// <summary>Writes a whole file in the standard layout.</summary>
    /// <exception cref="ArgumentException">A value the layout cannot carry (a ';' in a text, an empty code, a bad mine code…).</exception>
    public void Write(IBufferWriter<byte> destination, FeedHeader header, IEnumerable<TRecord> records)
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentNullException.ThrowIfNull(records);
        var writer = new FieldWriter(destination);
        WriteHeader(writer, header);
        int number = 0;
        foreach (var record in records)
        {
            writer.BeginRecord(++number, RecordNames);
            WriteRecord(writer, record);
            writer.EndRecord();
        }

        writer.Finish();
    }

    /// <summary>Writes a whole file to a stream, in 64 KiB chunks.</summary>
    public void Write(Stream destination, FeedHeader header, IEnumerable<TRecord> records)
    {
        ArgumentNullException.ThrowIfNull(destination);
        using var buffer = new StreamBufferWriter(destination);
        Write(buffer, header, records);
        buffer.Flush();
    }

    /// <summary>Writes a whole file to a new array.</summary>
    public byte[] WriteToArray(FeedHeader header, IEnumerable<TRecord> records)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        Write(buffer, header, records);
        return buffer.WrittenSpan.ToArray();
    }

    internal abstract TRecord ParseRecord(ref RecordParser parser);

    internal abstract void WriteRecord(FieldWriter writer, TRecord record);

    /// <summary>Handles one segment: the header, a record (returns true), or a blank segment (skipped).</summary>
    internal bool ParseSegment(ReadOnlySpan<byte> segment, ref FeedScanner scanner, ParseContext context, ref FeedHeader? header, out TRecord record)
    {
        record = default!;
        context.RecordNumber = scanner.SegmentNumber;
        context.SegmentOffset = scanner.SegmentOffset;
        bool blank = Ascii.IsWhiteOnly(segment);
        if (header is null)
        {
            if (blank)
            {
                context.FailFile(FeedErrorKind.MissingHeader, "缺少文件头：第一段为空", 0, scanner.SegmentOffset);
            }

            context.EnsureUtf8(segment);
            header = ParseHeader(segment, context);
            return false;
        }

        if (blank)
        {
            // "~~", "~\r\n~" and a trailing "~" before "||" carry nothing.
            return false;
        }

        context.EnsureUtf8(segment);
        var parser = new RecordParser(segment, RecordNames, context);
        record = ParseRecord(ref parser);
        return true;
    }
}
