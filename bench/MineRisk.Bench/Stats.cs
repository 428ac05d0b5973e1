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
