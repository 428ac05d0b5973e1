using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using MineRisk.Web.Platform;

namespace MineRisk.Bench;

/// <summary>
/// The stability bench (bench/stability.sh, issue 4): each query of <see cref="StabilityCase.All"/> through the API,
/// as raw SQL (the statements EF sends, through ADO.NET) and through EF in process, interleaved request by request,
/// one client, one request at a time; every answer compared with the others first.
/// </summary>
public sealed class StabilityRunner(RunOptions options)
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
        var raw = new StabilitySql(options.Provider, options.ConnectionString, scope);
        var ef = new StabilityEf(options.Provider, options.ConnectionString, scope);
        var today = ChinaTime.DateOf(DateTime.UtcNow);
        var mineId = await raw.MostAssessedMineAsync();
        var volumes = await raw.VolumesAsync();
        Console.WriteLine($"MineRisk stability bench · {options.Provider} · {options.Url} · as {options.User} (scope [{scope.Low}, {scope.High}))"
                          + $" · {options.Runs} runs after {options.Warmup} warm-up · {DateTime.Now:yyyy-MM-dd HH:mm} · loadavg {Machine.LoadAverage()}");
        Console.WriteLine($"data: {volumes}; mineId = {mineId} (the mine with the most assessments)");

        var floor = await FloorAsync(client);
        Console.WriteLine($"\nclient + HTTP floor (GET /health): p50 {Stats.Ms(floor.P50)} ms, p95 {Stats.Ms(floor.P95)} ms — included in every API figure below\n");
        Add("floor.p50", floor.P50);
        Add("floor.p95", floor.P95);

        Console.WriteLine($"{"query (as " + options.User + ")",-34} {"rows",6} | {"API p50",7} {"p95",6} {"p99",6} | {"server p50",10} {"p95",6} | {"raw p50",7} {"p95",6} {"p99",6} | " +
                          $"{"API/raw p50",11} {"p95",5} | {"server/raw p50",14} {"p95",5} | {"EF in-process",19} | other work");
        var worst = new Dictionary<StabilityKind, WorstCases>();
        var worstOther = 0;
        StabilityKind? previous = null;
        foreach (var c in StabilityCase.All.Where(c => options.Only is null || $"{c.KindName}: {c.Name}".Contains(options.Only, StringComparison.OrdinalIgnoreCase)))
        {
            if (previous != c.Kind)
            {
                Console.WriteLine($"-- GET /{c.Path} (target p95 ≤ {c.TargetMs:0} ms, ≤ 2× raw SQL)");
                previous = c.Kind;
            }

            var query = c.Resolve(mineId, today);
            var path = c.Path + (query.Length > 0 ? "?" + query : "");
            var filter = StabilityFilter.Parse(c.Kind, query);
            var first = await client.GetAsync(path);
            if (first.Status != HttpStatusCode.OK)
            {
                _errors++;
                Console.WriteLine($"{c.Name,-34} API answered {(int)first.Status}: {Encoding.UTF8.GetString(first.Body)}");
                continue;
            }

            var now = DateTime.UtcNow;
            var apiAnswer = ApiAnswer(c.Kind, first.Body);
            var rawAnswer = await raw.RunAsync(c.Kind, filter, now);
            var efAnswer = (await ef.RunAsync(c.Kind, filter, now)).Answer;
            var verdict = "";
            if (apiAnswer != rawAnswer.Answer || apiAnswer != efAnswer)
            {
                _errors++;
                verdict = "  MISMATCH (see below)";
            }

            var (r, tries) = await _machine.LeastDisturbedAsync(() => MeasureAsync(client, raw, ef, c.Kind, path, filter), m => m.Other);
            r = r with { Tries = tries };
            var ratio50 = r.Api.P50 / r.Raw.P50;
            var ratio95 = r.Api.P95 / r.Raw.P95;
            var serverRatio50 = r.Server.P50 / r.Raw.P50;
            var serverRatio95 = r.Server.P95 / r.Raw.P95;
            Console.WriteLine($"{c.Name,-34} {rawAnswer.Rows,6} | {Stats.Ms(r.Api.P50),7} {Stats.Ms(r.Api.P95),6} {Stats.Ms(r.Api.P99),6} | {Stats.Ms(r.Server.P50),10} {Stats.Ms(r.Server.P95),6} | " +
                              $"{Stats.Ms(r.Raw.P50),7} {Stats.Ms(r.Raw.P95),6} {Stats.Ms(r.Raw.P99),6} | {ratio50,10:0.00}× {ratio95,4:0.00}× | {serverRatio50,13:0.00}× {serverRatio95,4:0.00}× | " +
                              $"p50 {Stats.Ms(r.Ef.P50),5} p95 {Stats.Ms(r.Ef.P95),5} | {r.Other,3}%{(r.Tries > 1 ? $" ({r.Tries} tries)" : "")}{verdict}");
            if (verdict.Length > 0)
            {
                Console.WriteLine($"    API: {Short(apiAnswer)}\n    raw: {Short(rawAnswer.Answer)}\n    EF:  {Short(efAnswer)}");
            }

            var key = $"case.{c.KindName}.{c.Name}";
            Add(key + ".api.p50", r.Api.P50);
            Add(key + ".api.p95", r.Api.P95);
            Add(key + ".api.p99", r.Api.P99);
            Add(key + ".server.p50", r.Server.P50);
            Add(key + ".server.p95", r.Server.P95);
            Add(key + ".raw.p50", r.Raw.P50);
            Add(key + ".raw.p95", r.Raw.P95);
            Add(key + ".ef.p50", r.Ef.P50);
            Add(key + ".ef.p95", r.Ef.P95);
            Add(key + ".rows", rawAnswer.Rows);
            Add(key + ".other", r.Other);
            if (!worst.TryGetValue(c.Kind, out var w))
            {
                worst[c.Kind] = w = new WorstCases();
            }

            w.Add(c.Name, r.Api, r.Server, r.Raw);
            worstOther = Math.Max(worstOther, r.Other);
        }

        Console.WriteLine("(times in ms as the client sees them, and \"server\": the app's own time for the same requests, its Server-Timing header; API, raw SQL and EF in process are interleaved request by request; \"rows\": the total of a list, " +
                          "the rows of a summary; \"other work\": CPU taken by other processes on the machine meanwhile, in % of one core; each query is measured after " +
                          "other work has been under 15% for 2 s (waiting up to BENCH_QUIET_WAIT s), and one measured while other work took more than 15% is measured " +
                          "again, up to BENCH_TRIES (3) tries: the least disturbed try is shown)");
        foreach (var (kind, w) in worst)
        {
            var name = new StabilityCase(kind, "", "").KindName;
            _summary.AddRange(w.Summary(name));
        }

        Add("other.max", worstOther);
        Add("errors", _errors);
        _summary.Add(("loadavg.end", Machine.LoadAverage()));
        if (options.SummaryPath is { } summaryPath)
        {
            await File.WriteAllLinesAsync(summaryPath, _summary.Select(s => $"{s.Key}\t{s.Value}"));
        }

        return _errors == 0 ? 0 : 2;
    }

    private async Task<Stats> FloorAsync(AppClient client)
    {
        var sample = new List<double>();
        for (var i = -options.Warmup; i < options.Runs; i++)
        {
            var r = await client.GetAsync("health", bearer: false);
            if (i >= 0)
            {
                sample.Add(r.Ms);
            }
        }

        return Stats.Of(sample);
    }

    private async Task<Measured> MeasureAsync(AppClient client, StabilitySql raw, StabilityEf ef, StabilityKind kind, string path, StabilityFilter filter)
    {
        var serverFrom = client.ServerMs.Count;
        var before = _machine.Take();
        var samples = await Interleaved.MeasureAsync(options.Warmup, options.Runs, options.Block,
            () => client.TimeOkAsync(path, () => _errors++),
            async () => (await raw.RunAsync(kind, filter, DateTime.UtcNow)).Ms,
            async () => (await ef.RunAsync(kind, filter, DateTime.UtcNow)).Ms);
        return new Measured(Stats.Of(samples[0]), Stats.Of(client.LastServerMs(serverFrom, samples[0].Count)), Stats.Of(samples[1]), Stats.Of(samples[2]),
            Machine.OtherPercent(before, _machine.Take()), 1);
    }

    /// <summary>The API's JSON as an <see cref="Answer"/>.</summary>
    private static string ApiAnswer(StabilityKind kind, byte[] body)
    {
        var json = JsonDocument.Parse(body).RootElement;
        switch (kind)
        {
            case StabilityKind.Conflicts:
            case StabilityKind.Assessments:
                return Answer.List(json.GetProperty("total").GetInt32(), json.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt64()));
            case StabilityKind.Monthly:
                return Answer.Monthly(json.GetProperty("rows").EnumerateArray().Select(r => new MonthlyRow(
                    r.GetProperty("countyCode").GetString()!,
                    Array.FindIndex(StabilityFilter.Categories, n => n == r.GetProperty("category").GetString()) + 1,
                    r.GetProperty("open").GetInt32(), r.GetProperty("new").GetInt32(), r.GetProperty("closed").GetInt32(), r.GetProperty("overdue").GetInt32(),
                    r.GetProperty("amount").GetDouble(), r.GetProperty("persons").GetInt32())));
            default:
                return Answer.Grades(json.GetProperty("high").GetInt32(), json.GetProperty("medium").GetInt32(), json.GetProperty("low").GetInt32(),
                    json.GetProperty("unassessed").GetInt32());
        }
    }

    private static string Short(string answer) => answer.Length <= 300 ? answer.Replace("\n", " | ") : answer[..300].Replace("\n", " | ") + "…";

    private void Add(string key, double value) => _summary.Add((key, value.ToString("0.###", CultureInfo.InvariantCulture)));
}
