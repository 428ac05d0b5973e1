namespace MineRisk.Feeds;

/// <summary>
/// One call for intake: parse the file name, pick the format, read the content, check the header's mine code
/// against the name. Pattern-match the result (<c>doc is FeedDocument&lt;CdssReading&gt; cdss</c>).
/// </summary>
public static class FeedFile
{
    /// <summary>Reads a whole file held in memory.</summary>
    /// <exception cref="FeedFormatException">Bad name, bad content, or a header mine code unlike the name's.</exception>
    public static FeedDocument Read(string fileName, ReadOnlySpan<byte> content, FeedReaderOptions? options = null)
    {
        var name = FeedFileName.Parse(fileName);
        var document = FeedFormats.For(name.Type).ReadDocument(content, fileName, options);
        FeedChecks.EnsureMineCodeMatchesFileName(document.Header, name, fileName);
        return document;
    }

    /// <summary>Reads a whole file from a stream.</summary>
    /// <exception cref="FeedFormatException">Bad name, bad content, or a header mine code unlike the name's.</exception>
    public static async Task<FeedDocument> ReadAsync(string fileName, Stream content, FeedReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        var name = FeedFileName.Parse(fileName);
        var document = await FeedFormats.For(name.Type).ReadDocumentAsync(content, fileName, options, cancellationToken).ConfigureAwait(false);
        FeedChecks.EnsureMineCodeMatchesFileName(document.Header, name, fileName);
        return document;
    }
}
