using System.Globalization;

namespace MineRisk.Bench;

/// <summary>Percentiles of a sample (nearest rank), in milliseconds.</summary>
public sealed record Stats(int Count, double P50, double P95, double P99, double Max)
{
    public static Stats Of(IReadOnlyCollection<double> sample)
    {
        var sorted = sample.Order().ToArray();
        double Rank(double q) => sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Stats(sorted.Length, Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1]);
    }

    public static string Ms(double value) => value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}

/// <summary>
/// Runs the operations of one case in turn, each <c>runs</c> times after <c>warmup</c>: one run of each in turn (block 1,
/// "isolated": every request finds the app idle since its previous one, as the bench process ran the others meanwhile), or
/// <c>block</c> runs of one before the next ("steady state": the app answers as it does under continuous traffic). Either
/// way all operations share the machine's conditions over the same stretch of time. Returns one sample per operation.
/// </summary>
public static class Interleaved
{
    public static async Task<List<double>[]> MeasureAsync(int warmup, int runs, int block, params Func<Task<double>>[] operations)
    {
        block = Math.Max(1, block);
        var samples = operations.Select(_ => new List<double>(runs)).ToArray();
        for (var done = -warmup; done < runs; done += block)
        {
            var n = Math.Min(block, runs - done);
            for (var o = 0; o < operations.Length; o++)
            {
                for (var k = 0; k < n; k++)
                {
                    var ms = await operations[o]();
                    if (done + k >= 0)
                    {
                        samples[o].Add(ms);
                    }
                }
            }
        }

        return samples;
    }
}
