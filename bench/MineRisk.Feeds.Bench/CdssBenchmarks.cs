using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using MineRisk.Feeds;

namespace MineRisk.Feeds.Bench;

/// <summary>
/// Parsing CDSS files of 1,000 and 50,000 readings: from memory, from a stream, without the string cache,
/// and a naive string.Split parser as a point of comparison (what a first version would do).
/// </summary>
[MemoryDiagnoser]
public class CdssReadBenchmarks
{
    private byte[] _content = [];
    private FeedReaderOptions _noCache = FeedReaderOptions.Default;

    [Params(1_000, 50_000)]
    public int Readings { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _content = SampleFiles.Cdss(Readings);
        _noCache = FeedReaderOptions.Default with { StringCache = null };
    }

    [Benchmark(Baseline = true)]
    public int FromMemory() => FeedFormats.Cdss.Read(_content, SampleFiles.FileName).Count;

    [Benchmark]
    public int FromStream()
    {
        using var reader = FeedFormats.Cdss.OpenReader(new MemoryStream(_content, writable: false), SampleFiles.FileName);
        int count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public async Task<int> FromStreamAsync()
    {
        await using var reader = FeedFormats.Cdss.OpenReader(new MemoryStream(_content, writable: false), SampleFiles.FileName);
        int count = 0;
        while (await reader.ReadAsync())
        {
            count++;
        }

        return count;
    }

    [Benchmark]
    public int FromMemoryWithoutStringCache() => FeedFormats.Cdss.Read(_content, SampleFiles.FileName, _noCache).Count;

    [Benchmark]
    public int NaiveSplit() => NaiveCdss.Parse(_content).Count;
}

/// <summary>Writing the same files (the feed simulator's path).</summary>
[MemoryDiagnoser]
public class CdssWriteBenchmarks
{
    private FeedDocument<CdssReading>? _document;

    [Params(1_000, 50_000)]
    public int Readings { get; set; }

    [GlobalSetup]
    public void Setup() => _document = FeedFormats.Cdss.Read(SampleFiles.Cdss(Readings), SampleFiles.FileName);

    [Benchmark]
    public int ToArray() => FeedFormats.Cdss.WriteToArray(_document!.Header, _document.Records).Length;
}

/// <summary>Decode to a string, split, parse each field with the framework's string parsers.</summary>
internal static class NaiveCdss
{
    public static List<CdssReading> Parse(byte[] content)
    {
        string text = Encoding.UTF8.GetString(content);
        string[] segments = text[..text.IndexOf("||", StringComparison.Ordinal)].Split('~');
        var readings = new List<CdssReading>(segments.Length);
        for (int i = 1; i < segments.Length; i++)
        {
            if (segments[i].Length == 0)
            {
                continue;
            }

            string[] f = segments[i].Split(';');
            readings.Add(new CdssReading(
                f[0],
                f[1],
                f[2],
                f[3].Length == 0 ? null : double.Parse(f[3], CultureInfo.InvariantCulture),
                f[4],
                (PointStatus)byte.Parse(f[5], CultureInfo.InvariantCulture),
                new DateTimeOffset(DateTime.ParseExact(f[6], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), ChinaTime.Offset)));
        }

        return readings;
    }
}
