using System.Globalization;
using System.IO.Compression;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace MineRisk.Bench;

public sealed record RunOptions(string Url, Provider Provider, string ConnectionString, string User, string Password, int Runs, int Warmup,
    int ExportRuns, int? Pid, int? DbPid, string? SummaryPath, string? Only = null, int Block = 1);

/// <summary>
/// The sequential part of bench/mines.sh: every list query through the API and as raw SQL, the list page, the export
/// of every mine, and the app's resident memory. One client, one request at a time.
/// </summary>
public sealed partial class Runner(RunOptions options)
{
    private readonly List<(string Key, string Value)> _summary = [];
    private readonly Machine _machine = new(options.Pid, options.DbPid);
    private long _maxRssKb;
    private int _errors;

    private sealed record CaseResult(Stats Api, Stats Server, Stats Raw, Stats Count, Stats Page, Stats LikeEf, Stats Ef, int Other, int Tries = 1);

    public async Task<int> RunAsync()
    {
        using var client = new AppClient(options.Url);
        await client.LoginAsync(options.User, options.Password);
        await client.CookieLoginAsync(options.User, options.Password);
        var me = JsonDocument.Parse((await client.GetAsync("api/v1/me")).Body).RootElement.GetProperty("scope");
        var scope = Scope.ForRegion(me.GetProperty("regionCode").GetString()!,
            me.GetProperty("enterpriseId").ValueKind == JsonValueKind.Number ? me.GetProperty("enterpriseId").GetInt64() : null);
        var raw = new RawSql(options.Provider, options.ConnectionString, scope);
        var ef = new EfList(options.Provider, options.ConnectionString, scope);
        Console.WriteLine($"MineRisk mines bench · {options.Provider} · {options.Url} · as {options.User} (scope [{scope.Low}, {scope.High}))"
                          + $" · {options.Runs} runs after {options.Warmup} warm-up · {DateTime.Now:yyyy-MM-dd HH:mm} · loadavg {Machine.LoadAverage()}");

        // The floor: what the client, HTTP and Kestrel cost on their own (an anonymous endpoint that returns "ok").
        var floor = await TimeRequestsAsync(() => client.GetAsync("health", bearer: false));
        Console.WriteLine($"\nclient + HTTP floor (GET /health): p50 {Stats.Ms(floor.P50)} ms, p95 {Stats.Ms(floor.P95)} ms — included in every API figure below\n");
        Add("floor.p50", floor.P50);
        Add("floor.p95", floor.P95);

        Console.WriteLine($"{"list query (as " + options.User + ")",-22} {"total",5} | {"API p50",7} {"p95",6} {"p99",6} | {"server p50",10} {"p95",6} | {"raw p50",7} {"p95",6} {"p99",6} " +
                          $"({"count",5} + {"page",5}) | {"API/raw p50",11} {"p95",5} | {"server/raw p50",14} {"p95",5} | {"raw as EF opens",15} | {"EF in-process",13} | other work");
        var worst = new WorstCases();
        var worstOther = 0;
        foreach (var listCase in ListCase.All)
        {
            var path = "api/v1/mines" + (listCase.Query.Length > 0 ? "?" + listCase.Query : "");
            var first = await client.GetAsync(path);
            if (first.Status != HttpStatusCode.OK)
            {
                _errors++;
                Console.WriteLine($"{listCase.Name,-22} API answered {(int)first.Status}: {Encoding.UTF8.GetString(first.Body)}");
                continue;
            }

            var filter = listCase.Filter;
            var check = await raw.ListAsync(filter);
            var verdict = Compare(first.Body, check.Total, check.Rows);
            var (r, tries) = await _machine.LeastDisturbedAsync(() => MeasureCaseAsync(client, raw, ef, path, filter), m => m.Other);
            r = r with { Tries = tries };
            var ratio50 = r.Api.P50 / r.Raw.P50;
            var ratio95 = r.Api.P95 / r.Raw.P95;
            var serverRatio50 = r.Server.P50 / r.Raw.P50;
            var serverRatio95 = r.Server.P95 / r.Raw.P95;
            Console.WriteLine($"{listCase.Name,-22} {check.Total,5} | {Stats.Ms(r.Api.P50),7} {Stats.Ms(r.Api.P95),6} {Stats.Ms(r.Api.P99),6} | " +
                              $"{Stats.Ms(r.Server.P50),10} {Stats.Ms(r.Server.P95),6} | " +
                              $"{Stats.Ms(r.Raw.P50),7} {Stats.Ms(r.Raw.P95),6} {Stats.Ms(r.Raw.P99),6} " +
                              $"({Stats.Ms(r.Count.P50),5} + {Stats.Ms(r.Page.P50),5}) | {ratio50,10:0.00}× {ratio95,4:0.00}× | {serverRatio50,13:0.00}× {serverRatio95,4:0.00}× | " +
                              $"p50 {Stats.Ms(r.LikeEf.P50),5} p95 {Stats.Ms(r.LikeEf.P95),5} | p50 {Stats.Ms(r.Ef.P50),5} p95 {Stats.Ms(r.Ef.P95),5} | " +
                              $"{r.Other,3}%{(r.Tries > 1 ? $" ({r.Tries} tries)" : "")}{verdict}");
            var key = "case." + listCase.Name;
            Add(key + ".api.p50", r.Api.P50);
            Add(key + ".api.p95", r.Api.P95);
            Add(key + ".server.p50", r.Server.P50);
            Add(key + ".server.p95", r.Server.P95);
            Add(key + ".raw.p50", r.Raw.P50);
            Add(key + ".raw.p95", r.Raw.P95);
            Add(key + ".rawef.p50", r.LikeEf.P50);
            Add(key + ".ef.p50", r.Ef.P50);
            Add(key + ".ef.p95", r.Ef.P95);
            Add(key + ".other", r.Other);
            worst.Add(listCase.Name, r.Api, r.Server, r.Raw);
            worstOther = Math.Max(worstOther, r.Other);
            SampleRss();
        }

        Console.WriteLine("(times in ms as the client sees them, and \"server\": the app's own time for the same requests, its Server-Timing header; the four measurements of a query are interleaved request by request; " +
                          "\"other work\": CPU taken by other processes on the machine meanwhile, in % of one core; each query is measured after other work has been under 15% for 2 s (waiting up to BENCH_QUIET_WAIT s), and one measured while other work took more than 15% is measured again, up to BENCH_TRIES (3) tries: the least disturbed try is shown)");
        Add("list.other.max", worstOther);
        _summary.AddRange(worst.Summary("list"));
        if (options.ExportRuns == 0)
        {
            // --export-runs 0: the list queries only (bench/mines.sh's steady-state pass).
            return await FinishAsync();
        }

        // The list page (Razor, cookie): the same list plus the filter bar (whose region picker lists every region in
        // scope) and the layout. Other scopes and a small list tell the picker's cost from the list's.
        Console.WriteLine($"\n{"/mines page (cookie, sequential)",-40} {"p50",6} {"p95",6} {"p99",6} {"KB",5} {"<option>s",9} other work");
        foreach (var (who, query) in new[] { (options.User, ""), (options.User, "?regionCode=530325"), ("city", ""), ("county.qilin", "") })
        {
            using var pageClient = who == options.User ? null : new AppClient(options.Url);
            var c = pageClient ?? client;
            if (pageClient is not null)
            {
                try
                {
                    await pageClient.CookieLoginAsync(who, options.Password);
                }
                catch (InvalidOperationException)
                {
                    continue; // not a demo account of this database
                }
            }

            var ((page, other, _), _) = await _machine.LeastDisturbedAsync(async () =>
            {
                var before = _machine.Take();
                var stats = await TimeAsync(async () =>
                {
                    var r = await c.GetAsync("mines" + query, bearer: false);
                    if (r.Status != HttpStatusCode.OK)
                    {
                        throw new InvalidOperationException($"/mines{query} as {who} answered {(int)r.Status}");
                    }

                    return r.Ms;
                });
                return (stats, Machine.OtherPercent(before, _machine.Take()), 0);
            }, m => m.Item2);
            var html = Encoding.UTF8.GetString((await c.GetAsync("mines" + query, bearer: false)).Body);
            var optionCount = html.Split("<option").Length - 1;
            Console.WriteLine($"{"as " + who + " /mines" + query,-40} {Stats.Ms(page.P50),6} {Stats.Ms(page.P95),6} {Stats.Ms(page.P99),6} {Encoding.UTF8.GetByteCount(html) / 1024,5} {optionCount,9} {other,5}%");
            if (who == options.User && query.Length == 0)
            {
                Add("page.p50", page.P50);
                Add("page.p95", page.P95);
                Add("page.kb", Encoding.UTF8.GetByteCount(html) / 1024.0);
            }

            SampleRss();
        }

        await ExportAsync(client, raw);

        var (rss, hwm) = Memory();
        _maxRssKb = Math.Max(_maxRssKb, rss);
        if (options.Pid is not null)
        {
            Console.WriteLine($"\napp resident memory: {rss / 1024} MB now, {_maxRssKb / 1024} MB the most seen during this bench, {hwm / 1024} MB peak since start (VmHWM, includes seeding)");
            Add("rss.bench.max.mb", _maxRssKb / 1024.0);
            Add("rss.hwm.mb", hwm / 1024.0);
        }

        return await FinishAsync();
    }

    private async Task<int> FinishAsync()
    {
        Add("errors", _errors);
        _summary.Add(("loadavg.end", Machine.LoadAverage()));
        Console.WriteLine($"loadavg at the end: {Machine.LoadAverage()}");
        if (options.SummaryPath is { } summaryPath)
        {
            await File.WriteAllLinesAsync(summaryPath, _summary.Select(s => $"{s.Key}\t{s.Value}"));
        }

        return _errors == 0 ? 0 : 2;
    }

    private async Task ExportAsync(AppClient client, RawSql raw)
    {
        var times = new List<double>();
        byte[] workbook = [];
        var before = _machine.Take();
        for (var i = 0; i <= options.ExportRuns; i++)
        {
            var r = await client.GetAsync("api/v1/mines/export.xlsx");
            if (r.Status != HttpStatusCode.OK)
            {
                _errors++;
                Console.WriteLine($"export answered {(int)r.Status}");
                return;
            }

            if (i > 0)
            {
                times.Add(r.Ms); // the first run is a warm-up
            }

            workbook = r.Body;
            SampleRss();
        }

        var other = Machine.OtherPercent(before, _machine.Take());
        var rows = CountRows(workbook) - 1;
        var rawTimes = new List<double>();
        var rawRows = 0;
        for (var i = 0; i <= options.ExportRuns; i++)
        {
            var watch = System.Diagnostics.Stopwatch.StartNew();
            rawRows = await raw.ExportRowsAsync();
            if (i > 0)
            {
                rawTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var median = Median(times);
        var rawMedian = Median(rawTimes);
        Console.WriteLine($"\nexport of every mine (GET /api/v1/mines/export.xlsx, {options.ExportRuns} runs after 1 warm-up): median {median:0} ms " +
                          $"(min {times.Min():0}, max {times.Max():0}), {rows} rows, {workbook.Length / 1024} KB, other work {other}%" +
                          $"\n  reading the same rows and licences as raw SQL (no workbook): median {Stats.Ms(rawMedian)} ms, {rawRows} rows");
        if (rows != rawRows)
        {
            _errors++;
            Console.WriteLine($"  MISMATCH: the workbook has {rows} data rows, the SQL {rawRows}");
        }

        Add("export.median.ms", median);
        Add("export.max.ms", times.Max());
        Add("export.rows", rows);
        Add("export.raw.median.ms", rawMedian);
        Add("export.other", other);
    }

    /// <summary>
    /// The API, the raw SQL (one connection), the raw SQL as EF opens connections, and EF in process, interleaved
    /// request by request so that all four see the same conditions.
    /// </summary>
    private async Task<CaseResult> MeasureCaseAsync(AppClient client, RawSql raw, EfList ef, string path, MineFilter filter)
    {
        List<(double Count, double Page)> parts = [];
        var serverFrom = client.ServerMs.Count;
        var before = _machine.Take();
        var samples = await Interleaved.MeasureAsync(options.Warmup, options.Runs, options.Block,
            () => client.TimeOkAsync(path, () => _errors++),
            async () =>
            {
                var r = await raw.ListAsync(filter);
                parts.Add((r.CountMs, r.PageMs));
                return r.TotalMs;
            },
            async () => (await raw.ListAsync(filter, likeEf: true)).TotalMs,
            () => ef.ListAsync(filter));
        var measured = parts.Skip(parts.Count - options.Runs).ToList(); // the warm-up's are the first
        return new CaseResult(Stats.Of(samples[0]), Stats.Of(client.LastServerMs(serverFrom, options.Runs)), Stats.Of(samples[1]), Stats.Of(measured.Select(p => p.Count).ToList()),
            Stats.Of(measured.Select(p => p.Page).ToList()), Stats.Of(samples[2]), Stats.Of(samples[3]), Machine.OtherPercent(before, _machine.Take()));
    }

    /// <summary>Warm-up, then the timed runs; returns the percentiles.</summary>
    private async Task<Stats> TimeAsync(Func<Task<double>> once)
    {
        for (var i = 0; i < options.Warmup; i++)
        {
            await once();
        }

        var sample = new List<double>(options.Runs);
        for (var i = 0; i < options.Runs; i++)
        {
            sample.Add(await once());
        }

        return Stats.Of(sample);
    }

    private Task<Stats> TimeRequestsAsync(Func<Task<(double Ms, HttpStatusCode Status, byte[] Body)>> request) => TimeAsync(async () =>
    {
        var r = await request();
        if (r.Status != HttpStatusCode.OK)
        {
            _errors++;
        }

        return r.Ms;
    });

    /// <summary>The API's answer and the raw SQL's must be the same rows, or the comparison means nothing.</summary>
    private string Compare(byte[] apiBody, int rawTotal, List<ListRow> rawRows)
    {
        var json = JsonDocument.Parse(apiBody).RootElement;
        var total = json.GetProperty("total").GetInt32();
        var ids = json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()).ToList();
        if (total == rawTotal && ids.SequenceEqual(rawRows.Select(r => r.Id)))
        {
            return "";
        }

        _errors++;
        return $"  MISMATCH (API total {total}, {ids.Count} rows; raw {rawTotal}, {rawRows.Count} rows)";
    }

    private static int CountRows(byte[] xlsx)
    {
        using var zip = new ZipArchive(new MemoryStream(xlsx));
        var sheet = zip.Entries.First(e => e.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) && e.FullName.EndsWith(".xml", StringComparison.Ordinal));
        using var reader = new StreamReader(sheet.Open());
        return RowElement().Matches(reader.ReadToEnd()).Count;
    }

    private void SampleRss() => _maxRssKb = Math.Max(_maxRssKb, Memory().Rss);

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

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private void Add(string key, double value) => _summary.Add((key, value.ToString("0.###", CultureInfo.InvariantCulture)));

    [GeneratedRegex(@"<(?:\w+:)?row[\s>]")]
    private static partial Regex RowElement();
}
