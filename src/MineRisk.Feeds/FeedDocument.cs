namespace MineRisk.Feeds;

/// <summary>A whole file read into memory: its header and records.</summary>
public abstract class FeedDocument
{
    private protected FeedDocument(string fileName, FeedType type, FeedHeader header)
    {
        FileName = fileName;
        Type = type;
        Header = header;
    }

    /// <summary>The file name given to the reader.</summary>
    public string FileName { get; }

    /// <summary>The type of the format that read it.</summary>
    public FeedType Type { get; }

    /// <summary>文件头.</summary>
    public FeedHeader Header { get; }

    /// <summary>Number of records (empty segments are not records).</summary>
    public abstract int Count { get; }
}

/// <summary>A whole file read into memory, with typed records.</summary>
/// <typeparam name="TRecord">The record type of the format.</typeparam>
public sealed class FeedDocument<TRecord> : FeedDocument
{
    internal FeedDocument(string fileName, FeedType type, FeedHeader header, IReadOnlyList<TRecord> records)
        : base(fileName, type, header) => Records = records;

    /// <summary>The records, in file order.</summary>
    public IReadOnlyList<TRecord> Records { get; }

    /// <inheritdoc/>
    public override int Count => Records.Count;
}
