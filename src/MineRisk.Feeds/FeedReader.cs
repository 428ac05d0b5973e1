using System.Buffers;
using System.Runtime.CompilerServices;
using MineRisk.Feeds.Parsing;

namespace MineRisk.Feeds;

/// <summary>
/// Reads a feed file record by record, from a stream (one pooled buffer, whatever the file size) or from
/// memory. Use like a data reader: <c>while (reader.Read()) Use(reader.Current);</c>. The header is available
/// after the first <see cref="Read"/> (or <see cref="ReadHeader"/>). <see cref="Read"/> returns false only after
/// the closing "||" was seen and checked; a file that stops early throws <see cref="FeedFormatException"/>
/// (kind <see cref="FeedErrorKind.Incomplete"/>), so records already returned must not be committed as a whole
/// file before the end is reached.
/// </summary>
/// <typeparam name="TRecord">The record type.</typeparam>
public sealed class FeedReader<TRecord> : IDisposable, IAsyncDisposable
{
    private readonly FeedFormat<TRecord> _format;
    private readonly Stream? _stream;
    private readonly ReadOnlyMemory<byte> _memory;
    private readonly bool _leaveOpen;
    private readonly ParseContext _context;
    private readonly int _chunk;
    private FeedScanner _scanner;
    private byte[]? _buffer;
    private int _start;
    private int _end;
    private bool _eof;
    private bool _finished;
    private bool _disposed;
    private FeedHeader? _header;
    private TRecord _current = default!;
    private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _failure;

    internal FeedReader(FeedFormat<TRecord> format, Stream? stream, ReadOnlyMemory<byte> memory, string fileName, FeedReaderOptions options, bool leaveOpen)
    {
        _format = format;
        _stream = stream;
        _memory = memory;
        _leaveOpen = leaveOpen;
        _context = new ParseContext(fileName, options);
        _chunk = Math.Max(options.StreamBufferSize, 256);
        _eof = stream is null;
        _end = stream is null ? memory.Length : 0;
    }

    /// <summary>The file name given when opening, as used in errors.</summary>
    public string FileName => _context.FileName;

    /// <summary>The header; throws until the first <see cref="Read"/> or <see cref="ReadHeader"/>.</summary>
    public FeedHeader Header => _header ?? throw new InvalidOperationException("Read() or ReadHeader() first");

    /// <summary>The record returned by the last successful <see cref="Read"/>.</summary>
    public TRecord Current => _current;

    /// <summary>Record number of <see cref="Current"/> (1-based; blank segments count).</summary>
    public int RecordNumber => _context.RecordNumber;

    /// <summary>Reads up to and including the header.</summary>
    /// <exception cref="FeedFormatException">The file is not valid.</exception>
    public FeedHeader ReadHeader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_header is null && !_finished)
        {
            Step(out _, out bool needMore);
            if (needMore)
            {
                Fill();
            }
        }

        return Header;
    }

    /// <inheritdoc cref="ReadHeader"/>
    public async ValueTask<FeedHeader> ReadHeaderAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (_header is null && !_finished)
        {
            Step(out _, out bool needMore);
            if (needMore)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return Header;
    }

    /// <summary>Advances to the next record. False when the file ended properly.</summary>
    /// <exception cref="FeedFormatException">The file is not valid.</exception>
    public bool Read()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!_finished)
        {
            if (Step(out var record, out bool needMore))
            {
                _current = record;
                return true;
            }

            if (needMore)
            {
                Fill();
            }
        }

        return false;
    }

    /// <inheritdoc cref="Read"/>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (!_finished)
        {
            if (Step(out var record, out bool needMore))
            {
                _current = record;
                return true;
            }

            if (needMore)
            {
                await FillAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return false;
    }

    /// <summary>All remaining records.</summary>
    public IEnumerable<TRecord> ReadAll()
    {
        while (Read())
        {
            yield return _current;
        }
    }

    /// <summary>All remaining records, asynchronously.</summary>
    public async IAsyncEnumerable<TRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return _current;
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        ReturnBuffer();
        if (!_leaveOpen)
        {
            _stream?.Dispose();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        ReturnBuffer();
        if (!_leaveOpen && _stream is not null)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Parses what the window holds: true with a record; false with needMore or at the end.</summary>
    private bool Step(out TRecord record, out bool needMore)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);

        // After a format error the position is meaningless: keep failing the same way.
        _failure?.Throw();
        try
        {
            return StepCore(out record, out needMore);
        }
        catch (FeedFormatException e)
        {
            _failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
            throw;
        }
    }

    private bool StepCore(out TRecord record, out bool needMore)
    {
        record = default!;
        needMore = false;
        var window = Window;
        var result = _scanner.Next(window, _eof, _context, out int start, out int length, out int consumed);
        switch (result)
        {
            case FeedScanner.Result.Finished:
                _start += consumed;
                _finished = true;
                return false;
            case FeedScanner.Result.NeedMore:
                _start += consumed;
                needMore = true;
                return false;
            default:
                var segment = window.Slice(start, length);
                bool isRecord = _format.ParseSegment(segment, ref _scanner, _context, ref _header, out record);
                _start += consumed;
                return isRecord;
        }
    }

    private ReadOnlySpan<byte> Window =>
        _stream is null ? _memory.Span[_start.._end] : _buffer.AsSpan(_start, _end - _start);

    private void Fill()
    {
        var target = PrepareBuffer();
        int read = _stream!.Read(target);
        Filled(read);
    }

    private async ValueTask FillAsync(CancellationToken cancellationToken)
    {
        PrepareBuffer();
        int read = await _stream!.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
        Filled(read);
    }

    /// <summary>Moves the unconsumed bytes to the front and makes room for at least one chunk.</summary>
    private Span<byte> PrepareBuffer()
    {
        if (_stream is null || _eof)
        {
            throw new InvalidOperationException("internal: more data asked of a finished source");
        }

        _buffer ??= ArrayPool<byte>.Shared.Rent(_chunk);
        int pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }

        if (_buffer.Length - _end < _chunk / 2)
        {
            // A record longer than the buffer: grow. The scanner fails before this passes MaxRecordBytes plus a chunk.
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, pending + _chunk));
            _buffer.AsSpan(0, pending).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        return _buffer.AsSpan(_end);
    }

    private void Filled(int read)
    {
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    private void ReturnBuffer()
    {
        var buffer = _buffer;
        _buffer = null;
        _start = _end = 0;
        if (buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        _disposed = true;
    }
}
