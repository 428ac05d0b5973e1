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
