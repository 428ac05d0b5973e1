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

/// <summary>
/// The worst of a kind of query over its cases: the API's p95 at the client, its ratio to the raw SQL at the client and on
/// the server (the response's Server-Timing), with the case of each. Written to the summary as <c>{kind}.worst.*</c>.
/// </summary>
public sealed class WorstCases
{
    private double _p95, _ratio95, _ratio50, _serverP95, _serverRatio95, _serverRatio50;
    private string _p95Case = "", _ratioCase = "", _serverRatioCase = "";

    public void Add(string name, Stats api, Stats server, Stats raw)
    {
        if (api.P95 > _p95)
        {
            (_p95, _p95Case) = (api.P95, name);
        }

        if (api.P95 / raw.P95 > _ratio95)
        {
            (_ratio95, _ratioCase) = (api.P95 / raw.P95, name);
        }

        if (server.P95 / raw.P95 > _serverRatio95)
        {
            (_serverRatio95, _serverRatioCase) = (server.P95 / raw.P95, name);
        }

        _ratio50 = Math.Max(_ratio50, api.P50 / raw.P50);
        _serverP95 = Math.Max(_serverP95, server.P95);
        _serverRatio50 = Math.Max(_serverRatio50, server.P50 / raw.P50);
    }

    public IEnumerable<(string Key, string Value)> Summary(string kind)
    {
        static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
        yield return ($"{kind}.worst.p95", F(_p95));
        yield return ($"{kind}.worst.p95.case", _p95Case);
        yield return ($"{kind}.worst.ratio.p95", F(_ratio95));
        yield return ($"{kind}.worst.ratio.case", _ratioCase);
        yield return ($"{kind}.worst.ratio.p50", F(_ratio50));
        yield return ($"{kind}.worst.server.p95", F(_serverP95));
        yield return ($"{kind}.worst.server.ratio.p95", F(_serverRatio95));
        yield return ($"{kind}.worst.server.ratio.case", _serverRatioCase);
        yield return ($"{kind}.worst.server.ratio.p50", F(_serverRatio50));
    }
}
