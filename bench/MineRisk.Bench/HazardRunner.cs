using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using MineRisk.Web.Platform;

namespace MineRisk.Bench;

/// <summary>
/// The hazard bench (bench/hazards.sh, issue 5): each query of <see cref="HazardCase.All"/> through the API, as raw SQL
/// (the statements EF sends, replayed through ADO.NET) and through EF in process, interleaved request by request, one
/// client; every answer compared first. Then the overview page /hazards (the cockpit: it computes the statistics), and
/// the export of about 100,000 rows with the app's resident memory sampled every 50 ms meanwhile.
/// </summary>
public sealed partial class HazardRunner(RunOptions options, int statsRuns, bool explainOnly = false)
{
    private readonly List<(string Key, string Value)> _summary = [];
    private readonly Machine _machine = new(options.Pid, options.DbPid);
    private int _errors;

    private sealed record Measured(Stats Api, Stats Server, Stats Raw, Stats Ef, int Other, int Tries);

    public async Task<int> RunAsync()
    {
        using var client = new AppClient(options.Url);
        await client.LoginAsync(options.User, options.Password);
        var me = JsonDocument.Parse((await client.GetAsync("api/v1/me")).Body).RootElement.GetProperty("scope");
        var scope = Scope.ForRegion(me.GetProperty("regionCode").GetString()!,
            me.GetProperty("enterpriseId").ValueKind == JsonValueKind.Number ? me.GetProperty("enterpriseId").GetInt64() : null);
        var ef = new HazardEf(options.Provider, options.ConnectionString, scope);
        await using var raw = new HazardSql(options.Provider, options.ConnectionString);
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var (volumes, mineId, number) = await DataAsync(raw);
        Console.WriteLine($"MineRisk hazard bench · {options.Provider} · {options.Url} · as {options.User} (scope [{scope.Low}, {scope.High}))"
                          + $" · lists {options.Runs} runs, stats {statsRuns} runs, after {options.Warmup} warm-up · {DateTime.Now:yyyy-MM-dd HH:mm} · loadavg {Machine.LoadAverage()}");
        Console.WriteLine($"data: {volumes}; mineId = {mineId} (the mine with the most hazards); number = {number}");

        if (explainOnly)
        {
            foreach (var c in HazardCase.All)
            {
                var query = c.Resolve(mineId, number, today);
                var (_, commands) = await ef.CaptureAsync(c, query, today);
                Console.WriteLine($"\n== {c.Name} ({c.Path}?{query})");
                Console.WriteLine(await raw.ExplainAsync(commands));
            }

            return 0;
        }

        var floor = await TimeAsync(() => client.GetAsync("health", bearer: false), options.Runs);
        Console.WriteLine($"\nclient + HTTP floor (GET /health): p50 {Stats.Ms(floor.P50)} ms, p95 {Stats.Ms(floor.P95)} ms — included in every API figure below\n");
        Add("floor.p50", floor.P50);

        Console.WriteLine($"{"query (as " + options.User + ")",-26} {"rows",7} | {"API p50",7} {"p95",6} {"p99",6} | {"server p50",10} {"p95",6} | {"raw p50",7} {"p95",6} {"p99",6} | " +
                          $"{"API/raw p50",11} {"p95",5} | {"server/raw p50",14} {"p95",5} | {"EF in-process",19} | other work");
        bool? previous = null;
        var worst = new Dictionary<bool, WorstCases>();
        var worstOther = 0;
        foreach (var c in HazardCase.All.Where(c => options.Only is null || c.Name.Contains(options.Only, StringComparison.OrdinalIgnoreCase)))
        {
            if (previous != c.Stats)
            {
                Console.WriteLine($"-- GET /{c.Path} (target p95 ≤ {c.TargetMs:0} ms{(c.Stats ? "" : ", ≤ 2× raw SQL")})");
                previous = c.Stats;
            }

            var query = c.Resolve(mineId, number, today);
            var path = c.Path + (query.Length > 0 ? "?" + query : "");
            var first = await client.GetAsync(path);
            if (first.Status != HttpStatusCode.OK)
            {
                _errors++;
                Console.WriteLine($"{c.Name,-26} API answered {(int)first.Status}: {Encoding.UTF8.GetString(first.Body)}");
                continue;
            }

            var apiAnswer = ApiAnswer(c, first.Body);
            var (efAnswer, commands) = await ef.CaptureAsync(c, query, today);
            var rawAnswer = HazardSql.Answer(c, (await raw.RunAsync(commands)).Results);
            var verdict = "";
            if (apiAnswer != efAnswer || (!c.Stats && !c.Searches && apiAnswer != rawAnswer))
            {
                _errors++;
                verdict = "  MISMATCH (see below)";
            }

            var runs = c.Stats ? statsRuns : options.Runs;
            var (r, tries) = await _machine.LeastDisturbedAsync(() => MeasureAsync(client, raw, ef, c, path, query, today, commands, runs), m => m.Other);
            var ratio50 = r.Api.P50 / r.Raw.P50;
            var ratio95 = r.Api.P95 / r.Raw.P95;
            var serverRatio50 = r.Server.P50 / r.Raw.P50;
            var serverRatio95 = r.Server.P95 / r.Raw.P95;
            var rows = Regex.Match(apiAnswer, @"^(?:total|rows) (\d+)").Groups[1].Value;
            Console.WriteLine($"{c.Name,-26} {rows,7} | {Stats.Ms(r.Api.P50),7} {Stats.Ms(r.Api.P95),6} {Stats.Ms(r.Api.P99),6} | {Stats.Ms(r.Server.P50),10} {Stats.Ms(r.Server.P95),6} | " +
                              $"{Stats.Ms(r.Raw.P50),7} {Stats.Ms(r.Raw.P95),6} {Stats.Ms(r.Raw.P99),6} | {ratio50,10:0.00}× {ratio95,4:0.00}× | {serverRatio50,13:0.00}× {serverRatio95,4:0.00}× | " +
                              $"p50 {Stats.Ms(r.Ef.P50),5} p95 {Stats.Ms(r.Ef.P95),5} | {r.Other,3}%{(tries > 1 ? $" ({tries} tries)" : "")}{verdict}");
            if (verdict.Length > 0)
            {
                Console.WriteLine($"    API: {Short(apiAnswer)}\n    raw: {Short(rawAnswer)}\n    EF:  {Short(efAnswer)}");
            }

            var key = $"case.{(c.Stats ? "stats" : "list")}.{c.Name}";
            Add(key + ".api.p50", r.Api.P50);
            Add(key + ".api.p95", r.Api.P95);
            Add(key + ".api.p99", r.Api.P99);
            Add(key + ".server.p50", r.Server.P50);
            Add(key + ".server.p95", r.Server.P95);
            Add(key + ".raw.p50", r.Raw.P50);
            Add(key + ".raw.p95", r.Raw.P95);
            Add(key + ".ef.p95", r.Ef.P95);
            Add(key + ".other", r.Other);
            if (!worst.TryGetValue(c.Stats, out var w))
            {
                worst[c.Stats] = w = new WorstCases();
            }

            w.Add(c.Name, r.Api, r.Server, r.Raw);
            worstOther = Math.Max(worstOther, r.Other);
        }

        Console.WriteLine("(times in ms as the client sees them, and \"server\": the app's own time for the same requests, its Server-Timing header; API, raw SQL (EF's statements replayed through ADO.NET on one open connection) and EF in process " +
                          "are interleaved request by request; \"rows\": the total of a list, the county × month rows of the stats; \"other work\": CPU taken by other " +
                          "processes meanwhile, in % of one core; a query measured while other work took more than 15% is measured again, up to BENCH_TRIES (3) tries)");
        foreach (var (stats, w) in worst)
        {
            var name = stats ? "stats" : "list";
            _summary.AddRange(w.Summary(name));
        }

        Add("other.max", worstOther);
        if (options.ExportRuns > 0)
        {
            // --export-runs 0: the lists and stats only (bench/hazards.sh's steady-state pass).
            await PagesAsync();
            await ExportAsync(client, raw, today);
        }

        Add("errors", _errors);
        _summary.Add(("loadavg.end", Machine.LoadAverage()));
        if (options.SummaryPath is { } summaryPath)
        {
            await File.WriteAllLinesAsync(summaryPath, _summary.Select(s => $"{s.Key}\t{s.Value}"));
        }

        return _errors == 0 ? 0 : 2;
    }

    /// <summary>The overview page /hazards (statistics of 12 months, open and overdue counts, listed hazards, 条例第70条) as the bench user and as the demo city.</summary>
    private async Task PagesAsync()
    {
        Console.WriteLine($"\n{"overview page /hazards (cookie, sequential)",-44} {"p50",6} {"p95",6} {"p99",6} {"KB",5} other work   (target: cockpit p95 ≤ 300 ms)");
        foreach (var who in new[] { options.User, "city", "county.qilin" })
        {
            using var pageClient = new AppClient(options.Url);
            try
            {
                await pageClient.CookieLoginAsync(who, options.Password);
            }
            catch (InvalidOperationException)
            {
                continue; // not a demo account of this database
            }

            var size = 0;
            var ((page, other), tries) = await _machine.LeastDisturbedAsync(async () =>
            {
                var before = _machine.Take();
                var s = await TimeAsync(async () =>
                {
                    var r = await pageClient.GetAsync("hazards", bearer: false);
                    if (r.Status != HttpStatusCode.OK)
                    {
                        _errors++;
                    }

                    size = r.Body.Length;
                    return r;
                }, statsRuns);
                return (s, Machine.OtherPercent(before, _machine.Take()));
            }, m => m.Item2);
            Console.WriteLine($"{"/hazards as " + who,-44} {Stats.Ms(page.P50),6} {Stats.Ms(page.P95),6} {Stats.Ms(page.P99),6} {size / 1024,5} {other,3}%{(tries > 1 ? $" ({tries} tries)" : "")}");
            Add($"page.{who}.p50", page.P50);
            Add($"page.{who}.p95", page.P95);
            Add($"page.{who}.p99", page.P99);
            Add($"page.{who}.other", other);
        }
    }

    /// <summary>
    /// The export of the hazards found since the day that makes at least 100,000 rows (the newest ones), one warm-up
    /// and <see cref="RunOptions.ExportRuns"/> timed runs; the app's resident memory sampled every 50 ms meanwhile.
    /// </summary>
    private async Task ExportAsync(AppClient client, HazardSql raw, DateOnly today)
    {
        // Counted in SQL: the API counts a ledger only up to 10,000 (Paging.CountCap).
        var connection = await raw.ConnectionAsync();
        async Task<int> TotalSince(DateOnly from)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM hazards WHERE found_at >= @start";
            var start = command.CreateParameter();
            start.ParameterName = "@start";
            start.Value = ChinaTime.StartOfDay(from);
            command.Parameters.Add(start);
            command.CommandTimeout = 120;
            return Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        var days = 30;
        var total = await TotalSince(today.AddDays(-days));
        for (var i = 0; i < 3 && total > 0 && (total < 100_000 || total > 104_000); i++)
        {
            days = Math.Max(1, (int)Math.Ceiling(days * 100_000.0 / total));
            total = await TotalSince(today.AddDays(-days));
        }

        while (total < 100_000 && days < 800)
        {
            days++;
            total = await TotalSince(today.AddDays(-days));
        }

        var path = $"api/v1/hazards/export.xlsx?from={today.AddDays(-days):yyyy-MM-dd}";
        var (rssBefore, _) = Memory();
        long peak = 0;
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, Memory().Rss);
                await Task.Delay(50);
            }
        });
        var times = new List<double>();
        byte[] workbook = [];
        await _machine.WaitQuietAsync();
        var before = _machine.Take();
        for (var i = 0; i <= options.ExportRuns; i++)
        {
            var r = await client.GetAsync(path);
            if (r.Status != HttpStatusCode.OK)
            {
                _errors++;
                Console.WriteLine($"export answered {(int)r.Status}");
                break;
            }

            if (i > 0)
            {
                times.Add(r.Ms);
            }

            workbook = r.Body;
        }

        var other = Machine.OtherPercent(before, _machine.Take());
        await stop.CancelAsync();
        await sampler;
        if (times.Count == 0)
        {
            return;
        }

        var rows = CountRows(workbook) - 1;
        var median = times.Order().ElementAt(times.Count / 2);
        Console.WriteLine($"\nexport (GET /{path}, {options.ExportRuns} runs after 1 warm-up; target ≤ 10 s, bounded memory): median {median:0} ms " +
                          $"(min {times.Min():0}, max {times.Max():0}), {rows} rows (the ledger says {total}), {workbook.Length / 1024} KB, " +
                          $"app resident memory {rssBefore / 1024} MB before, {peak / 1024} MB at most during the exports, other work {other}%");
        if (rows != total)
        {
            _errors++;
            Console.WriteLine($"  MISMATCH: the workbook has {rows} data rows, the ledger {total}");
        }

        Add("export.median.ms", median);
        Add("export.max.ms", times.Max());
        Add("export.rows", rows);
        Add("export.rss.before.mb", rssBefore / 1024.0);
        Add("export.rss.peak.mb", peak / 1024.0);
        Add("export.other", other);
    }

    private async Task<Measured> MeasureAsync(AppClient client, HazardSql raw, HazardEf ef, HazardCase c, string path, string query, DateOnly today,
        List<SentCommand> commands, int runs)
    {
        var serverFrom = client.ServerMs.Count;
        var before = _machine.Take();
        var warmup = Math.Min(options.Warmup, Math.Max(2, runs / 10));
        var samples = await Interleaved.MeasureAsync(warmup, runs, Math.Min(options.Block, runs),
            () => client.TimeOkAsync(path, () => _errors++),
            async () => (await raw.RunAsync(commands)).Ms,
            async () => (await ef.RunAsync(c, query, today)).Ms);
        return new Measured(Stats.Of(samples[0]), Stats.Of(client.LastServerMs(serverFrom, samples[0].Count)), Stats.Of(samples[1]), Stats.Of(samples[2]),
            Machine.OtherPercent(before, _machine.Take()), 1);
    }

    private async Task<Stats> TimeAsync(Func<Task<(double Ms, HttpStatusCode Status, byte[] Body)>> request, int runs)
    {
        var sample = new List<double>();
        for (var i = -Math.Max(2, Math.Min(options.Warmup, runs / 10)); i < runs; i++)
        {
            var r = await request();
            if (i >= 0)
            {
                sample.Add(r.Ms);
            }
        }

        return Stats.Of(sample);
    }

    /// <summary>Volumes, the mine with the most hazards, and the number of a hazard of the newest month (for q=number).</summary>
    private static async Task<(string Volumes, long MineId, string Number)> DataAsync(HazardSql raw)
    {
        var connection = await raw.ConnectionAsync();
        async Task<object?> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 120;
            return await command.ExecuteScalarAsync();
        }

        var count = Convert.ToInt64(await Scalar("SELECT count(*) FROM hazards"), CultureInfo.InvariantCulture);
        var open = Convert.ToInt64(await Scalar("SELECT count(*) FROM hazards WHERE state <> 5"), CultureInfo.InvariantCulture);
        var major = Convert.ToInt64(await Scalar("SELECT count(*) FROM hazards WHERE level = 2"), CultureInfo.InvariantCulture);
        var mines = Convert.ToInt64(await Scalar("SELECT count(*) FROM mines"), CultureInfo.InvariantCulture);
        var mineId = Convert.ToInt64(await Scalar("SELECT mine_id FROM hazards GROUP BY mine_id ORDER BY count(*) DESC, mine_id LIMIT 1"), CultureInfo.InvariantCulture);
        var number = (string)(await Scalar("SELECT number FROM hazards ORDER BY found_at DESC, id DESC LIMIT 1 OFFSET 1000"))!;
        return ($"{count:N0} hazards ({open:N0} open, {major:N0} major) at {mines:N0} mines", mineId, number);
    }

    private static string ApiAnswer(HazardCase c, byte[] body)
    {
        var json = JsonDocument.Parse(body).RootElement;
        if (!c.Stats)
        {
            return HazardAnswer.List(json.GetProperty("total").GetInt32(), json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
        }

        int Int(string name) => json.GetProperty(name).GetInt32();
        return HazardAnswer.Stats(json.GetProperty("rows").GetArrayLength(), Int("found"), Int("closed"), Int("overdue"), Int("major"), Int("openMajor"), Int("listed"));
    }

    private static int CountRows(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        var sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        return RowElement().Matches(reader.ReadToEnd()).Count;
    }

    private (long Rss, long Hwm) Memory()
    {
        if (options.Pid is not { } pid || !File.Exists($"/proc/{pid}/status"))
        {
            return (0, 0);
        }

        long Field(string[] lines, string name) =>
            long.Parse(lines.First(l => l.StartsWith(name, StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        var status = File.ReadAllLines($"/proc/{pid}/status");
        return (Field(status, "VmRSS:"), Field(status, "VmHWM:"));
    }

    private static string Short(string answer) => answer.Length <= 300 ? answer : answer[..300] + "…";

    private void Add(string key, double value) => _summary.Add((key, value.ToString("0.###", CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"<(?:\w+:)?row[\s>]")]
    private static partial Regex RowElement();
}
