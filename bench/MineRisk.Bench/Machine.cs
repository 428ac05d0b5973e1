using System.Globalization;

namespace MineRisk.Bench;

/// <summary>
/// How much of the machine other work took while something was measured: the CPU the whole machine spent (from
/// /proc/stat) less what the app, this process and the database cluster spent. The machine is a shared 2-core
/// box: a figure measured while another engineer's build or tests ran says more about them than about the app.
/// </summary>
public sealed class Machine(int? appPid, int? dbPid)
{
    private static readonly int Cores = Environment.ProcessorCount;

    public readonly record struct Sample(long Busy, long Total, long Ours);

    public Sample Take()
    {
        if (!File.Exists("/proc/stat"))
        {
            return default;
        }

        var cpu = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal
        var busy = cpu[0] + cpu[1] + cpu[2] + cpu[5] + cpu[6] + cpu[7];
        var total = busy + cpu[3] + cpu[4];
        var ours = Ticks(Environment.ProcessId) + (appPid is { } app ? Ticks(app) : 0);
        if (dbPid is { } db)
        {
            ours += Ticks(db) + ChildrenOf(db).Sum(Ticks);
        }

        return new Sample(busy, total, ours);
    }

    /// <summary>Other work between two samples, in % of one core (the machine is <see cref="Cores"/> × 100 %).</summary>
    public static int OtherPercent(Sample before, Sample after)
    {
        var total = after.Total - before.Total;
        if (total <= 0)
        {
            return 0;
        }

        var other = (after.Busy - before.Busy) - (after.Ours - before.Ours);
        return (int)Math.Max(0, other * 100 * Cores / total);
    }

    /// <summary>
    /// Waits until other work takes less than 15% of a core over 2 s, for at most <c>BENCH_QUIET_WAIT</c> seconds
    /// (default 300); returns the seconds waited. The figures are meant for an idle machine; the bench does not
    /// stop other people's builds, it waits for them.
    /// </summary>
    public async Task<int> WaitQuietAsync()
    {
        var limit = int.TryParse(Environment.GetEnvironmentVariable("BENCH_QUIET_WAIT"), CultureInfo.InvariantCulture, out var s) ? s : 300;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed.TotalSeconds < limit)
        {
            var before = Take();
            await Task.Delay(2000);
            if (OtherPercent(before, Take()) < 15)
            {
                break;
            }
        }

        return (int)watch.Elapsed.TotalSeconds;
    }

    /// <summary>
    /// Measures up to <c>BENCH_TRIES</c> times (default 3), each after <see cref="WaitQuietAsync"/>, while other work took
    /// more than 15% of a core during the measurement; returns the least disturbed try and how many were made.
    /// </summary>
    public async Task<(T Best, int Tries)> LeastDisturbedAsync<T>(Func<Task<T>> measure, Func<T, int> other)
    {
        var most = int.TryParse(Environment.GetEnvironmentVariable("BENCH_TRIES"), CultureInfo.InvariantCulture, out var n) ? Math.Max(1, n) : 3;
        await WaitQuietAsync();
        var best = await measure();
        var tries = 1;
        while (other(best) > 15 && tries < most)
        {
            tries++;
            await WaitQuietAsync();
            var next = await measure();
            if (other(next) < other(best))
            {
                best = next;
            }
        }

        return (best, tries);
    }

    /// <summary>The 1, 5 and 15-minute load averages (/proc/loadavg), as written next to figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static long Ticks(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0; // the process has exited
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(directory, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[1] == parent.ToString(CultureInfo.InvariantCulture))
            {
                yield return pid;
            }
        }
    }
}
