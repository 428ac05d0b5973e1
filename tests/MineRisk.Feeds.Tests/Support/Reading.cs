namespace MineRisk.Feeds.Tests.Support;

/// <summary>
/// Reads content every way the library offers (whole span; stream in 1-byte, 7-byte and 4 KiB reads; async)
/// and checks they agree, so every test also covers the streaming path.
/// </summary>
internal static class Reading
{
    public static FeedDocument<T> Read<T>(FeedFormat<T> format, string content, FeedReaderOptions? options = null) =>
        Read(format, Samples.Utf8(content), options);

    public static FeedDocument<T> Read<T>(FeedFormat<T> format, byte[] content, FeedReaderOptions? options = null)
    {
        var outcome = ReadAllWays(format, content, options);
        if (outcome.Error is { } error)
        {
            throw error;
        }

        return outcome.Document!;
    }

    public static FeedFormatException Fails<T>(FeedFormat<T> format, string content, FeedReaderOptions? options = null) =>
        Fails(format, Samples.Utf8(content), options);

    public static FeedFormatException Fails<T>(FeedFormat<T> format, byte[] content, FeedReaderOptions? options = null)
    {
        var outcome = ReadAllWays(format, content, options);
        Assert.True(outcome.Error is not null, $"expected a FeedFormatException, got {outcome.Document?.Count} records");
        return outcome.Error!;
    }

    public static (FeedDocument<T>? Document, FeedFormatException? Error) ReadAllWays<T>(FeedFormat<T> format, byte[] content, FeedReaderOptions? options = null)
    {
        string name = Samples.FileName(format.Type);
        var memory = Attempt(() => format.Read(content, name, options));
        foreach (int chunk in new[] { 1, 7, 4096 })
        {
            var streamed = Attempt(() =>
            {
                using var stream = new TrickleStream(content, chunk);
                return format.Read(stream, name, (options ?? FeedReaderOptions.Default) with { StreamBufferSize = 256 });
            });
            AssertSame(memory, streamed, $"stream in {chunk}-byte reads");
        }

        var asynchronous = Attempt(() =>
        {
            using var stream = new TrickleStream(content, 13);
            return format.ReadAsync(stream, name, options).GetAwaiter().GetResult();
        });
        AssertSame(memory, asynchronous, "async stream");

        var overMemory = Attempt(() =>
        {
            using var reader = format.OpenReader(content.AsMemory(), name, options);
            var records = reader.ReadAll().ToList();
            return new { reader.Header, Records = records };
        });
        Assert.Equal(memory.Error?.Error, overMemory.Error?.Error);
        if (memory.Value is { } m && overMemory.Value is { } o)
        {
            Assert.Equal(m.Header, o.Header);
            Assert.Equal(m.Records, o.Records);
        }

        return (memory.Value, memory.Error);
    }

    private static void AssertSame<T>((FeedDocument<T>? Value, FeedFormatException? Error) expected, (FeedDocument<T>? Value, FeedFormatException? Error) actual, string how)
    {
        Assert.True(
            expected.Error?.Error == actual.Error?.Error,
            $"{how}: error differs from whole-file read:\n  memory: {expected.Error?.Error}\n  {how}: {actual.Error?.Error}");
        if (expected.Value is { } e && actual.Value is { } a)
        {
            Assert.Equal(e.Header, a.Header);
            Assert.Equal(e.Records, a.Records);
        }
    }

    private static (TResult? Value, FeedFormatException? Error) Attempt<TResult>(Func<TResult> read)
    {
        try
        {
            return (read(), null);
        }
        catch (FeedFormatException e)
        {
            return (default, e);
        }
    }
}

/// <summary>A stream that hands out at most a few bytes per read, as a slow network does.</summary>
internal sealed class TrickleStream(byte[] content, int chunk) : Stream
{
    private int _position;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int n = Math.Min(Math.Min(chunk, buffer.Length), content.Length - _position);
        content.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
