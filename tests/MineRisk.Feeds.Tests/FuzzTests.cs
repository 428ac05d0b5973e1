using System.Diagnostics;
using System.Text;
using MineRisk.Feeds.Tests.Support;
using Xunit.Abstractions;

namespace MineRisk.Feeds.Tests;

/// <summary>
/// Thousands of random mutations of valid files per type. Each read must either succeed or throw
/// <see cref="FeedFormatException"/> — nothing else — and the whole-file, streamed and rewritten readings must agree.
/// No single read may take a second and the run has a deadline, so a hang fails the test instead of stalling it.
/// Reproduce a failure with the printed seed: FEEDS_FUZZ_SEED=… (and FEEDS_FUZZ_ITERATIONS=… for longer runs).
/// </summary>
public class FuzzTests(ITestOutputHelper output)
{
    private const int DefaultSeed = 20250301;
    private const int DefaultIterations = 3000;
    private static readonly TimeSpan SingleReadLimit = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RunDeadline = TimeSpan.FromMinutes(2);

    private static readonly byte[][] Tokens =
    [
        "~"u8.ToArray(), ";"u8.ToArray(), "|"u8.ToArray(), "||"u8.ToArray(), "\r\n"u8.ToArray(), " "u8.ToArray(),
        "；"u8.ToArray(), "\uFEFF"u8.ToArray(), ";;"u8.ToArray(), "~||"u8.ToArray(), "-"u8.ToArray(), "."u8.ToArray(),
        "e"u8.ToArray(), "9"u8.ToArray(), "0"u8.ToArray(), ":"u8.ToArray(), "/"u8.ToArray(), "T"u8.ToArray(), [0],
    ];

    private static readonly byte[] Gbk = GbkBytes();

    public static TheoryData<FeedType> Types => new(FeedTypes.All);

    [Theory]
    [MemberData(nameof(Types))]
    public async Task Read_MutatedFiles_SucceedOrThrowOnlyFeedFormatException(FeedType type)
    {
        int seed = (EnvironmentInt("FEEDS_FUZZ_SEED") ?? DefaultSeed) + (int)type;
        int iterations = EnvironmentInt("FEEDS_FUZZ_ITERATIONS") ?? DefaultIterations;
        output.WriteLine($"fuzz {type.Code()}: seed {seed}, {iterations} iterations (FEEDS_FUZZ_SEED={seed - (int)type} reproduces)");

        var progress = new Progress();
        var run = Task.Factory.StartNew(() => Run(type, seed, iterations, progress), TaskCreationOptions.LongRunning);
        if (await Task.WhenAny(run, Task.Delay(RunDeadline)) != run)
        {
            Assert.Fail($"fuzz {type.Code()} seed {seed}: no result after {RunDeadline} (hang?) at iteration {progress.Iteration}, input {Convert.ToBase64String(progress.Input)}");
        }

        var summary = await run;
        output.WriteLine(summary.ToString());

        // The mutations must exercise both outcomes, or the test proves little.
        Assert.True(summary.Succeeded > iterations / 50, $"only {summary.Succeeded} mutated files were accepted");
        Assert.True(summary.Failed > iterations / 2, $"only {summary.Failed} mutated files were refused");
        Assert.True(summary.Kinds.Count >= 8, $"only error kinds {string.Join(", ", summary.Kinds.Keys)} were seen");
    }

    private static Summary Run(FeedType type, int seed, int iterations, Progress progress)
    {
        var random = new Random(seed);
        var records = new RandomRecords(seed);
        var format = FeedFormats.For(type);
        byte[][] bases =
        [
            Samples.Utf8(Samples.ValidFile(type)),
            records.File(type, 5),
            records.File(type, 20),
            Samples.Utf8("\uFEFF" + Samples.HeaderFor(type) + "~\r\n" + string.Join("~\r\n", Samples.RecordsFor(type)) + "\r\n||\r\n"),
        ];
        var summary = new Summary(type);
        for (int i = 0; i < iterations; i++)
        {
            var input = i % 97 == 0 ? RandomGarbage(random) : Mutate(bases[random.Next(bases.Length)], bases, random);
            var options = (random.Next(6)) switch
            {
                0 => FeedReaderOptions.Default with { MaxRecordBytes = 300 },
                1 => FeedReaderOptions.Default with { RejectExtraFields = true, EmptyStatusIsNormal = true },
                2 => FeedReaderOptions.Default with { StringCache = null },
                _ => FeedReaderOptions.Default,
            };
            progress.Iteration = i;
            progress.Input = input;
            string where = $"fuzz {type.Code()} seed {seed} iteration {i}, input {Convert.ToBase64String(input)}";

            var whole = Timed(() => format.ReadDocument(input, "fuzz.txt", options), where, summary);
            int chunk = random.Next(4) == 0 ? random.Next(1, 8) : random.Next(8, 5000);
            var streamed = Timed(
                () =>
                {
                    using var stream = new TrickleStream(input, chunk);
                    return format.ReadDocumentAsync(stream, "fuzz.txt", options with { StreamBufferSize = 512 }).GetAwaiter().GetResult();
                },
                where,
                summary);

            Assert.True(whole.Error?.Error == streamed.Error?.Error, $"{where}: whole-file and streamed reads disagree:\n{whole.Error?.Error}\n{streamed.Error?.Error}");
            if (whole.Document is { } document)
            {
                Assert.True(Records(document).SequenceEqual(Records(streamed.Document!)), $"{where}: streamed records differ");
                AssertRewriteReadsBack(format, document, options, where);
                summary.Succeeded++;
            }
            else
            {
                summary.Failed++;
                summary.Kinds[whole.Error!.Kind] = summary.Kinds.GetValueOrDefault(whole.Error.Kind) + 1;
            }
        }

        return summary;
    }

    /// <summary>Whatever was accepted, written back in the standard layout, must read back the same.</summary>
    private static void AssertRewriteReadsBack(FeedFormat format, FeedDocument document, FeedReaderOptions options, string where)
    {
        byte[] rewritten;
        try
        {
            rewritten = Rewrite(document);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{where}: accepted content could not be written back: {e}");
        }

        var again = format.ReadDocument(rewritten, "fuzz.txt", options with { RejectExtraFields = false });
        Assert.Equal(document.Header, again.Header);
        Assert.True(Records(document).SequenceEqual(Records(again)), $"{where}: rewritten file reads back differently");
    }

    private static (FeedDocument? Document, FeedFormatException? Error) Timed(Func<FeedDocument> read, string where, Summary summary)
    {
        var watch = Stopwatch.StartNew();
        try
        {
            return (read(), null);
        }
        catch (FeedFormatException e)
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Reason), $"{where}: error without a reason");
            return (null, e);
        }
        catch (Exception e)
        {
            throw new Xunit.Sdk.XunitException($"{where}: threw {e.GetType().Name}, not FeedFormatException: {e}");
        }
        finally
        {
            watch.Stop();
            summary.Slowest = watch.Elapsed > summary.Slowest ? watch.Elapsed : summary.Slowest;
            Assert.True(watch.Elapsed < SingleReadLimit, $"{where}: one read took {watch.Elapsed}");
        }
    }

    private static byte[] Mutate(byte[] original, byte[][] bases, Random random)
    {
        var bytes = new List<byte>(original);
        int mutations = random.Next(1, 5);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(12))
            {
                case 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    // Half printable ASCII, so the change reaches the field parsers instead of the UTF-8 check.
                    bytes[at] = (byte)(random.Next(2) == 0 ? random.Next(32, 127) : random.Next(256));
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(random.Next(1, 17), bytes.Count - at));
                    break;
                case 3:
                case 4:
                    bytes.InsertRange(at, Tokens[random.Next(Tokens.Length)]);
                    break;
                case 5:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 6:
                    var garbage = new byte[random.Next(1, 33)];
                    random.NextBytes(garbage);
                    bytes.InsertRange(at, garbage);
                    break;
                case 7:
                    int length = random.Next(2, 9) & ~1;
                    int from = random.Next(Gbk.Length - length);
                    bytes.InsertRange(at, Gbk.Skip(from).Take(length));
                    break;
                case 8:
                    int sliceLength = Math.Min(random.Next(1, 200), bytes.Count - at);
                    var slice = bytes.GetRange(at, sliceLength);
                    bytes.InsertRange(random.Next(bytes.Count), slice);
                    break;
                case 9:
                    // Empty the field at this position: delete up to the next ';' or '~'.
                    int end = at;
                    while (end < bytes.Count && bytes[end] is not ((byte)';' or (byte)'~'))
                    {
                        end++;
                    }

                    bytes.RemoveRange(at, end - at);
                    break;
                case 10:
                    var other = bases[random.Next(bases.Length)];
                    int cut = random.Next(other.Length);
                    bytes.RemoveRange(at, bytes.Count - at);
                    bytes.AddRange(other.Skip(cut));
                    break;
                default:
                    bytes.InsertRange(at, Enumerable.Repeat((byte)random.Next(32, 127), random.Next(100, 3000)));
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static byte[] RandomGarbage(Random random)
    {
        var bytes = new byte[random.Next(0, 3000)];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] GbkBytes()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("GBK").GetBytes("甲烷一氧化碳回采工作面回风隅角掘进工作面麒麟区东山煤矿李强王建国正常断电");
    }

    private static IEnumerable<object?> Records(FeedDocument document) => document switch
    {
        FeedDocument<CddyPoint> d => d.Records,
        FeedDocument<CdssReading> d => d.Records.Cast<object?>(),
        FeedDocument<YcbjAlarm> d => d.Records,
        FeedDocument<TjsjStatistics> d => d.Records,
        FeedDocument<RyqyArea> d => d.Records,
        FeedDocument<RyxxPerson> d => d.Records,
        FeedDocument<RyssPosition> d => d.Records,
        FeedDocument<JzssStation> d => d.Records,
        _ => throw new ArgumentOutOfRangeException(nameof(document)),
    };

    private static byte[] Rewrite(FeedDocument document) => document switch
    {
        FeedDocument<CddyPoint> d => FeedFormats.Cddy.WriteToArray(d.Header, d.Records),
        FeedDocument<CdssReading> d => FeedFormats.Cdss.WriteToArray(d.Header, d.Records),
        FeedDocument<YcbjAlarm> d => FeedFormats.Ycbj.WriteToArray(d.Header, d.Records),
        FeedDocument<TjsjStatistics> d => FeedFormats.Tjsj.WriteToArray(d.Header, d.Records),
        FeedDocument<RyqyArea> d => FeedFormats.Ryqy.WriteToArray(d.Header, d.Records),
        FeedDocument<RyxxPerson> d => FeedFormats.Ryxx.WriteToArray(d.Header, d.Records),
        FeedDocument<RyssPosition> d => FeedFormats.Ryss.WriteToArray(d.Header, d.Records),
        FeedDocument<JzssStation> d => FeedFormats.Jzss.WriteToArray(d.Header, d.Records),
        _ => throw new ArgumentOutOfRangeException(nameof(document)),
    };

    private static int? EnvironmentInt(string name) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int value) ? value : null;

    private sealed class Progress
    {
        public volatile int Iteration;
        public byte[] Input = [];
    }

    private sealed class Summary(FeedType type)
    {
        public int Succeeded;
        public int Failed;
        public TimeSpan Slowest;
        public Dictionary<FeedErrorKind, int> Kinds { get; } = [];

        public override string ToString() =>
            $"{type.Code()}: {Succeeded} accepted, {Failed} refused, slowest read {Slowest.TotalMilliseconds:0.0} ms; " +
            string.Join(", ", Kinds.OrderByDescending(k => k.Value).Select(k => $"{k.Key} {k.Value}"));
    }
}
