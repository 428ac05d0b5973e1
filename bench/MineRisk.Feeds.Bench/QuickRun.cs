using System.Diagnostics;
using MineRisk.Feeds;

namespace MineRisk.Feeds.Bench;

/// <summary>
/// A few-second measurement with a Stopwatch, for a figure without BenchmarkDotNet's long runs:
/// each case is warmed up for 0.2 s, then run for three rounds of 0.3 s; the best round is reported.
/// </summary>
internal static class QuickRun
{
    private static readonly TimeSpan Round = TimeSpan.FromMilliseconds(300);

    public static void Run()
    {
        Console.WriteLine($"MineRisk.Feeds quick benchmark — .NET {Environment.Version}, {Environment.ProcessorCount} cores, {(Debugger.IsAttached ? "debugger" : "no debugger")}, {BuildMode()}");
        var small = SampleFiles.Cdss(1_000);
        var large = SampleFiles.Cdss(50_000);
        var noCache = FeedReaderOptions.Default with { StringCache = null };
        Console.WriteLine($"CDSS files: 1,000 readings = {small.Length:N0} bytes, 50,000 readings = {large.Length:N0} bytes");
        Console.WriteLine();
        Console.WriteLine($"{"case",-46} {"readings/s",14} {"MB/s",8} {"bytes alloc/reading",20}");

        Measure("read 50,000 from memory", large, 50_000, () => FeedFormats.Cdss.Read(large, SampleFiles.FileName).Count);
        Measure("read 50,000 from stream (sync)", large, 50_000, () => CountStream(large));
        Measure("read 50,000 from stream (async)", large, 50_000, () => CountStreamAsync(large).GetAwaiter().GetResult());
        Measure("read 1,000 from memory (a typical upload)", small, 1_000, () => FeedFormats.Cdss.Read(small, SampleFiles.FileName).Count);
        Measure("read 50,000 from memory, no string cache", large, 50_000, () => FeedFormats.Cdss.Read(large, SampleFiles.FileName, noCache).Count);
        Measure("naive string.Split parser, 50,000", large, 50_000, () => NaiveCdss.Parse(large).Count);
        var document = FeedFormats.Cdss.Read(large, SampleFiles.FileName);
        Measure("write 50,000 to array", large, 50_000, () => FeedFormats.Cdss.WriteToArray(document.Header, document.Records).Length == large.Length ? document.Count : -1);
        MeasureParallel(small, 1_000);
    }

    private static int CountStream(byte[] content)
    {
        using var reader = FeedFormats.Cdss.OpenReader(new MemoryStream(content, writable: false), SampleFiles.FileName);
        int count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    private static async Task<int> CountStreamAsync(byte[] content)
    {
        await using var reader = FeedFormats.Cdss.OpenReader(new MemoryStream(content, writable: false), SampleFiles.FileName);
        int count = 0;
        while (await reader.ReadAsync())
        {
            count++;
        }

        return count;
    }

    private static void Measure(string name, byte[] content, int readings, Func<int> run)
    {
        if (run() != readings)
        {
            throw new InvalidOperationException($"{name}: wrong count");
        }

        // Warm up long enough for tiered compilation to reach its optimised code.
        var warmUp = Stopwatch.StartNew();
        while (warmUp.Elapsed < TimeSpan.FromMilliseconds(200))
        {
            run();
        }

        double best = 0;
        double allocatedPerReading = 0;
        for (int round = 0; round < 3; round++)
        {
            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            var watch = Stopwatch.StartNew();
            long done = 0;
            while (watch.Elapsed < Round)
            {
                done += run();
            }

            watch.Stop();
            allocatedPerReading = (GC.GetAllocatedBytesForCurrentThread() - allocatedBefore) / (double)done;
            best = Math.Max(best, done / watch.Elapsed.TotalSeconds);
        }

        double megabytes = best / readings * content.Length / 1_000_000;
        Console.WriteLine($"{name,-46} {best,14:N0} {megabytes,8:N0} {allocatedPerReading,20:N1}");
    }

    /// <summary>Typical uploads read on every core at once, as intake workers would.</summary>
    private static void MeasureParallel(byte[] content, int readings)
    {
        int threads = Environment.ProcessorCount;
        var watch = Stopwatch.StartNew();
        long done = 0;
        Parallel.For(0, threads, _ =>
        {
            long mine = 0;
            while (watch.Elapsed < TimeSpan.FromSeconds(1))
            {
                mine += FeedFormats.Cdss.Read(content, SampleFiles.FileName).Count;
            }

            Interlocked.Add(ref done, mine);
        });
        double rate = done / watch.Elapsed.TotalSeconds;
        Console.WriteLine($"{$"read {readings:N0} from memory on {threads} threads",-46} {rate,14:N0} {rate / readings * content.Length / 1_000_000,8:N0}");
    }

    private static string BuildMode() =>
#if DEBUG
        "DEBUG build (figures not meaningful)";
#else
        "Release build";
#endif
}
