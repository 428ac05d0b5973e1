// The monitoring benchmarks' feed simulator and load driver (bench/monitoring.sh runs it). Commands:
//   setup       upload keys for N mines (through the API), then their CDDY, RYQY and RYXX
//   throughput  pre-generates R rounds of CDSS for K mines, PUTs them as fast as the app takes them, waits until applied
//   rawcopy     the ceiling: the same rows COPY'd straight into the same (emptied) table
//   load        a steady load (every mine every 30 s) with latency probes: upload accepted → alarm on the SSE stream / the API
//   stream      PUTs files continuously and logs every acknowledgement (for the crash test)
//   verify      checks the database against the acknowledgement log: every acknowledged file applied once, no reading twice
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using MineRisk.Feeds;
using MineRisk.FeedsSim;
using MineRisk.Web.Features.Monitoring.Simulation;
using Npgsql;
using NpgsqlTypes;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var o = Options.Parse(args);
return o.Command switch
{
    "setup" => await Commands.SetupAsync(o),
    "throughput" => await Commands.ThroughputAsync(o),
    "rawcopy" => await Commands.RawCopyAsync(o),
    "load" => await Commands.LoadAsync(o),
    "stream" => await Commands.StreamAsync(o),
    "verify" => await Commands.VerifyAsync(o),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("feeds-sim setup|throughput|rawcopy|load|stream|verify --url http://… [options] (see bench/monitoring.sh)");
    return 2;
}

namespace MineRisk.FeedsSim
{
    internal sealed record MineKey(long Id, string Code, string Name, string Key);

    internal sealed class Options
    {
        private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

        public string Command { get; private init; } = "";

        public static Options Parse(string[] args)
        {
            var o = new Options { Command = args.Length > 0 ? args[0] : "" };
            for (var i = 1; i + 1 < args.Length; i += 2)
            {
                o._values[args[i].TrimStart('-')] = args[i + 1];
            }

            return o;
        }

        public string Get(string name, string fallback) => _values.GetValueOrDefault(name, fallback);

        public int Int(string name, int fallback) => _values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public double Double(string name, double fallback) => _values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;

        public string Url => Get("url", "http://127.0.0.1:5180");
    }

    internal static class Api
    {
        public static HttpClient Client(string url, int connections) => new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = TimeSpan.FromMinutes(30),
        })
        { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(120) };

        /// <summary>Signs in as <c>--user</c> (whose jurisdiction must hold the mines), or as <paramref name="user"/>.</summary>
        public static async Task<HttpClient> LoginAsync(Options o, string? user = null, int connections = 16)
        {
            var client = Client(o.Url, connections);
            var response = await client.PostAsJsonAsync("/api/v1/auth/login", new { userName = user ?? o.Get("user", "admin"), password = o.Get("password", "Demo#2026") });
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return client;
        }

        public static async Task<(HttpStatusCode Status, long? FileId, string Body)> PutAsync(HttpClient client, string name, byte[] bytes, string key, CancellationToken ct = default)
        {
            using var request = new HttpRequestMessage(HttpMethod.Put, "/api/v1/feeds/" + name) { Content = new ByteArrayContent(bytes) };
            request.Headers.Add("X-Upload-Key", key);
            using var response = await client.SendAsync(request, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            long? id = null;
            if (body.StartsWith('{'))
            {
                using var json = JsonDocument.Parse(body);
                if (json.RootElement.TryGetProperty("fileId", out var f) && f.ValueKind == JsonValueKind.Number)
                {
                    id = f.GetInt64();
                }
            }

            return (response.StatusCode, id, body);
        }

        public static async Task<JsonElement> StatsAsync(HttpClient admin) =>
            await admin.GetFromJsonAsync<JsonElement>("/api/v1/monitoring/intake");

        public static async Task<List<MineKey>> ReadKeysAsync(Options o)
        {
            var lines = await File.ReadAllLinesAsync(o.Get("keys", "bench/results/monitoring/keys.tsv"));
            return lines.Where(l => l.Length > 0).Select(l => l.Split('\t')).Select(f => new MineKey(long.Parse(f[0], CultureInfo.InvariantCulture), f[1], f[2], f[3])).ToList();
        }

        /// <summary>Waits until the applier has applied <paramref name="readings"/> readings and <paramref name="files"/> files more than <paramref name="baseline"/>.</summary>
        public static async Task<DateTime> WaitAppliedAsync(HttpClient admin, JsonElement baseline, long readings, long files, TimeSpan timeout)
        {
            var until = DateTime.UtcNow + timeout;
            var r0 = baseline.GetProperty("appliedReadings").GetInt64();
            var f0 = baseline.GetProperty("appliedFiles").GetInt64();
            while (true)
            {
                var s = await StatsAsync(admin);
                var now = DateTime.UtcNow;
                if (s.GetProperty("appliedReadings").GetInt64() - r0 >= readings && s.GetProperty("appliedFiles").GetInt64() - f0 >= files)
                {
                    return now;
                }

                if (now > until)
                {
                    throw new TimeoutException($"未在 {timeout} 内全部入库：{s}");
                }

                await Task.Delay(100);
            }
        }
    }

    internal static class Stats
    {
        public static double Percentile(List<double> values, double p)
        {
            if (values.Count == 0)
            {
                return double.NaN;
            }

            var sorted = values.Order().ToList();
            var rank = (int)Math.Ceiling(p / 100 * sorted.Count) - 1;
            return sorted[Math.Clamp(rank, 0, sorted.Count - 1)];
        }

        public static string Summary(List<double> ms) => ms.Count == 0 ? "n=0"
            : $"n={ms.Count} p50={Percentile(ms, 50):0.0} p95={Percentile(ms, 95):0.0} p99={Percentile(ms, 99):0.0} max={ms.Max():0.0} ms";

        public static long RssMb(int pid) =>
            pid <= 0 || !File.Exists($"/proc/{pid}/status") ? 0
                : long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;

        public static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "";
    }

    internal static class Commands
    {
        public static FeedSimulation Simulation(IEnumerable<MineKey> mines, Options o, double events) =>
            new(mines.Select(m => (m.Code, m.Name)), o.Int("points", 300), o.Int("seed", 20261122), events, o.Int("people", 90));

        public static async Task<int> SetupAsync(Options o)
        {
            var admin = await Api.LoginAsync(o);
            var wanted = o.Int("mines", 0);
            var mines = new List<(long Id, string Code, string Name)>();
            for (var page = 1; ; page++)
            {
                var json = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/mines?pageSize=200&page={page}&sort=code");
                var items = json.GetProperty("items").EnumerateArray().ToList();
                mines.AddRange(items.Select(m => (m.GetProperty("id").GetInt64(), m.GetProperty("code").GetString()!, m.GetProperty("name").GetString()!)));
                if (items.Count < 200 || (wanted > 0 && mines.Count >= wanted))
                {
                    break;
                }
            }

            if (wanted > 0)
            {
                mines = mines.Take(wanted).ToList();
            }

            var watch = Stopwatch.StartNew();
            var keys = new ConcurrentBag<MineKey>();
            await Parallel.ForEachAsync(mines, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (m, ct) =>
            {
                var response = await admin.PostAsJsonAsync($"/api/v1/mines/{m.Id}/upload-keys", new { note = "基准测试" }, ct);
                response.EnsureSuccessStatusCode();
                var key = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("key").GetString()!;
                keys.Add(new MineKey(m.Id, m.Code, m.Name, key));
            });
            var ordered = keys.OrderBy(k => k.Code, StringComparer.Ordinal).ToList();
            var path = o.Get("keys", "bench/results/monitoring/keys.tsv");
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            await File.WriteAllLinesAsync(path, ordered.Select(k => $"{k.Id}\t{k.Code}\t{k.Name}\t{k.Key}"));
            Console.WriteLine($"upload keys: {ordered.Count} in {watch.Elapsed.TotalSeconds:0.0} s → {path}");

            var stats = await Api.LoginAsync(o, "admin");
            var baseline = await Api.StatsAsync(stats);
            var sim = Simulation(ordered, o, 0);
            var feeds = Api.Client(o.Url, 16);
            var now = DateTimeOffset.UtcNow.AddMinutes(-2);
            watch.Restart();
            var failures = 0;
            await Parallel.ForEachAsync(sim.Mines.Zip(ordered), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (pair, ct) =>
            {
                var (mine, key) = pair;
                foreach (var (name, bytes) in new[] { FeedSimulation.Cddy(mine, now), FeedSimulation.Ryqy(mine, now), FeedSimulation.Ryxx(mine, now) })
                {
                    var (status, _, body) = await Api.PutAsync(feeds, name, bytes, key.Key, ct);
                    if (status is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
                    {
                        Interlocked.Increment(ref failures);
                        Console.Error.WriteLine($"{name}: {(int)status} {body}");
                    }
                }
            });
            await Api.WaitAppliedAsync(stats, baseline, 0, 3L * ordered.Count - failures, TimeSpan.FromMinutes(120));
            Console.WriteLine($"definitions: {ordered.Count} mines × {o.Int("points", 300)} points (CDDY, RYQY, RYXX) applied in {watch.Elapsed.TotalSeconds:0.0} s, {failures} refused");
            return failures == 0 ? 0 : 1;
        }

        public static async Task<int> ThroughputAsync(Options o)
        {
            var keys = (await Api.ReadKeysAsync(o)).Take(o.Int("mines", 1000)).ToList();
            var rounds = o.Int("rounds", 10);
            var concurrency = o.Int("concurrency", 16);
            var admin = await Api.LoginAsync(o, "admin");
            var sim = Simulation(keys, o, o.Double("events", 0.002));

            // Everything is generated before the clock starts: the timed part is the app's work only.
            var start = DateTimeOffset.UtcNow.AddSeconds(-60 - (rounds * 30));
            var files = new List<(string Name, byte[] Bytes, string Key)>(rounds * keys.Count);
            long readings = 0;
            for (var r = 0; r < rounds; r++)
            {
                foreach (var (mine, key) in sim.Mines.Zip(keys))
                {
                    var (name, bytes) = sim.Cdss(mine, start.AddSeconds(r * 30));
                    files.Add((name, bytes, key.Key));
                    readings += mine.Points.Count;
                }
            }

            var megabytes = files.Sum(f => (long)f.Bytes.Length) / 1024.0 / 1024.0;
            Console.WriteLine($"generated {files.Count} CDSS files, {readings:N0} readings, {megabytes:0.0} MB; load average {Stats.Load()}");
            var client = Api.Client(o.Url, concurrency);
            var baseline = await Api.StatsAsync(admin);
            var queue = new ConcurrentQueue<(string Name, byte[] Bytes, string Key)>(files);
            var latencies = new ConcurrentBag<double>();
            var refused = 0;
            long refusedReadings = 0;
            var watch = Stopwatch.StartNew();
            var started = DateTime.UtcNow;
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                while (queue.TryDequeue(out var f))
                {
                    var t = Stopwatch.GetTimestamp();
                    var (status, _, body) = await Api.PutAsync(client, f.Name, f.Bytes, f.Key);
                    latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if (status == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(200);
                        queue.Enqueue(f); // back-pressure: send again later
                    }
                    else if (status != HttpStatusCode.Accepted)
                    {
                        Interlocked.Increment(ref refused);
                        Interlocked.Add(ref refusedReadings, ((FeedDocument<CdssReading>)FeedFile.Read(f.Name, f.Bytes)).Count);
                        Console.Error.WriteLine($"{f.Name}: {(int)status} {body}");
                    }
                }
            }));
            readings -= refusedReadings;
            var acceptedIn = watch.Elapsed;
            var done = await Api.WaitAppliedAsync(admin, baseline, readings, files.Count - refused, TimeSpan.FromMinutes(30));
            var total = (done - started).TotalSeconds;
            var rate = readings / total;
            var stats = await Api.StatsAsync(admin);
            var lines = new[]
            {
                $"end to end: {readings:N0} readings in {files.Count} files ({keys.Count} mines × {sim.Mines[0].Points.Count} points × {rounds} rounds) stored in {total:0.00} s = {rate:N0} readings/s",
                $"accepted (202) in {acceptedIn.TotalSeconds:0.00} s = {readings / acceptedIn.TotalSeconds:N0} readings/s; PUT latency {Stats.Summary([.. latencies])}; refused {refused}",
                $"applier: {Applier(baseline, stats)}; load average {Stats.Load()}; app RSS {Stats.RssMb(o.Int("app-pid", 0))} MB",
                GroupCommits(baseline, stats),
            };
            foreach (var line in lines)
            {
                Console.WriteLine(line);
            }

            if (o.Get("out", "") is { Length: > 0 } outFile)
            {
                await File.WriteAllTextAsync(outFile, rate.ToString("0", CultureInfo.InvariantCulture));
            }

            return refused == 0 ? 0 : 1;
        }

        /// <summary>Intake's group commits between two samples of its statistics: how many, how big, how long archiving and committing took.</summary>
        public static string Applier(JsonElement before, JsonElement after)
        {
            double D(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetDouble() : 0;
            var batches = D(after, "batches") - D(before, "batches");
            return batches <= 0 ? "no batches"
                : $"{batches:0} batches of {(D(after, "appliedReadings") - D(before, "appliedReadings")) / batches:N0} readings; per batch {(D(after, "applyMs") - D(before, "applyMs")) / batches:0.0} ms " +
                  $"around the readings (claim, other files, alarms and status rows), {(D(after, "writeMs") - D(before, "writeMs")) / batches:0.0} ms writing the readings (on PostgreSQL judged as they stream), " +
                  $"{(D(after, "batchCommitMs") - D(before, "batchCommitMs")) / batches:0.0} ms commit";
        }

        public static string GroupCommits(JsonElement before, JsonElement after)
        {
            double D(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetDouble() : 0;
            var groups = D(after, "groups") - D(before, "groups");
            return groups <= 0 ? "group commits: none"
                : $"group commits: {groups:0} of {(D(after, "groupFiles") - D(before, "groupFiles")) / groups:0.0} files on average; archive (write, flush, rename) " +
                  $"{(D(after, "archiveMs") - D(before, "archiveMs")) / groups:0.0} ms, database commit {(D(after, "commitMs") - D(before, "commitMs")) / groups:0.0} ms per group";
        }

        /// <summary>
        /// The ceiling of DESIGN §4: the rows the end-to-end run stored, read back, the table emptied, and the same rows COPY'd
        /// (binary) into it from this process — as 20,000-row transactions like the applier's, and as one COPY.
        /// </summary>
        public static async Task<int> RawCopyAsync(Options o)
        {
            var cs = o.Get("pg", "");
            await using var connection = new NpgsqlConnection(cs);
            await connection.OpenAsync();
            var rows = new List<Row>();
            await using (var read = new NpgsqlCommand("SELECT mine_id, point_id, data_time, value, status, region_code, enterprise_id, file_id FROM readings ORDER BY file_id", connection))
            await using (var reader = await read.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add(new Row(reader.GetInt64(0), reader.GetInt64(1), reader.GetFieldValue<DateTime>(2), reader.IsDBNull(3) ? null : reader.GetDouble(3),
                        reader.GetInt16(4), reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetInt64(6), reader.GetInt64(7)));
                }
            }

            Console.WriteLine($"raw COPY of the same {rows.Count:N0} rows into the same table (emptied first); load average {Stats.Load()}");
            var best = 0.0;
            foreach (var batch in new[] { o.Int("batch", 20_000), rows.Count })
            {
                await Exec(connection, "TRUNCATE readings");
                await Exec(connection, "CHECKPOINT");
                var watch = Stopwatch.StartNew();
                for (var i = 0; i < rows.Count; i += batch)
                {
                    await using var tx = await connection.BeginTransactionAsync();
                    await using (var importer = await connection.BeginBinaryImportAsync("COPY readings (mine_id, point_id, data_time, value, status, region_code, enterprise_id, file_id) FROM STDIN (FORMAT BINARY)"))
                    {
                        foreach (var r in rows.Skip(i).Take(batch))
                        {
                            importer.StartRow();
                            importer.Write(r.MineId, NpgsqlDbType.Bigint);
                            importer.Write(r.PointId, NpgsqlDbType.Bigint);
                            importer.Write(r.DataTime, NpgsqlDbType.TimestampTz);
                            if (r.Value is { } v) { importer.Write(v, NpgsqlDbType.Double); } else { importer.WriteNull(); }
                            importer.Write(r.Status, NpgsqlDbType.Smallint);
                            importer.Write(r.RegionCode, NpgsqlDbType.Varchar);
                            if (r.EnterpriseId is { } e) { importer.Write(e, NpgsqlDbType.Bigint); } else { importer.WriteNull(); }
                            importer.Write(r.FileId, NpgsqlDbType.Bigint);
                        }

                        await importer.CompleteAsync();
                    }

                    await tx.CommitAsync();
                }

                var rate = rows.Count / watch.Elapsed.TotalSeconds;
                best = Math.Max(best, rate);
                Console.WriteLine($"raw COPY, {(batch == rows.Count ? "one transaction" : $"{batch:N0} rows per transaction")}: {watch.Elapsed.TotalSeconds:0.00} s = {rate:N0} rows/s");
            }

            if (o.Get("e2e", "") is { Length: > 0 } e2eFile && File.Exists(e2eFile))
            {
                var e2e = double.Parse(await File.ReadAllTextAsync(e2eFile), CultureInfo.InvariantCulture);
                Console.WriteLine($"end to end {e2e:N0} readings/s = {e2e / best:P0} of the best raw COPY ({best:N0} rows/s)");
            }

            return 0;
        }

        private static async Task Exec(NpgsqlConnection c, string sql)
        {
            await using var command = new NpgsqlCommand(sql, c) { CommandTimeout = 600 };
            await command.ExecuteNonQueryAsync();
        }

        private sealed record Row(long MineId, long PointId, DateTime DataTime, double? Value, short Status, string RegionCode, long? EnterpriseId, long FileId);

        /// <summary>
        /// A steady load: every regular mine sends a CDSS every <c>interval</c> seconds (spread evenly), and probe mines send a
        /// reading above its alarm threshold every <c>probe-every</c> seconds: the time from the 202 to the alarm on the SSE stream,
        /// and to the alarm in <c>GET /api/v1/alarms</c>, is the alarm latency.
        /// </summary>
        public static async Task<int> LoadAsync(Options o)
        {
            var all = await Api.ReadKeysAsync(o);
            var probeCount = o.Int("probes", 20);
            var regular = all.Take(Math.Min(o.Int("mines", all.Count), all.Count - probeCount)).ToList();
            var probes = all.Skip(all.Count - probeCount).ToList();
            var interval = TimeSpan.FromSeconds(o.Double("interval", 30));
            var duration = TimeSpan.FromSeconds(o.Double("duration", 600));
            var probeEvery = TimeSpan.FromSeconds(o.Double("probe-every", 2));
            var concurrency = o.Int("concurrency", 32);
            var appPid = o.Int("app-pid", 0);
            var admin = await Api.LoginAsync(o);            // --user: sees every mine of the load (SSE, alarm list)
            var statsClient = await Api.LoginAsync(o, "admin");
            var client = Api.Client(o.Url, concurrency + 8);
            var sim = Simulation(regular, o, o.Double("events", 0.002));
            var probeSim = Simulation(probes, o, 0);
            var probeByMine = probes.Zip(probeSim.Mines).ToDictionary(p => p.First.Id, p => (Key: p.First, Mine: p.Second));
            var perRound = regular.Count * o.Int("points", 300);
            Console.WriteLine($"load: {regular.Count} mines × {o.Int("points", 300)} points every {interval.TotalSeconds:0} s = {perRound / interval.TotalSeconds:N0} readings/s for {duration.TotalMinutes:0.#} min, " +
                              $"{probes.Count} probe mines, a probe every {probeEvery.TotalSeconds:0.#} s; load average {Stats.Load()}");

            using var stop = new CancellationTokenSource();
            var raised = new ConcurrentDictionary<long, TaskCompletionSource<DateTime>>();
            var sse = Task.Run(() => ListenAsync(admin, raised, stop.Token));

            var sendQueue = Channel.CreateUnbounded<Func<Task>>();
            var putLatency = new ConcurrentBag<double>();
            long sentReadings = 0, sentFiles = 0, errors = 0, busy = 0;
            var senders = Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
            {
                await foreach (var job in sendQueue.Reader.ReadAllAsync())
                {
                    await job();
                }
            })).ToList();

            async Task<(HttpStatusCode, long?)> Send(string name, byte[] bytes, string key, int count)
            {
                var t = Stopwatch.GetTimestamp();
                try
                {
                    var (status, id, body) = await Api.PutAsync(client, name, bytes, key);
                    putLatency.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                    if (status == HttpStatusCode.Accepted)
                    {
                        Interlocked.Add(ref sentReadings, count);
                        Interlocked.Increment(ref sentFiles);
                    }
                    else if (status == HttpStatusCode.ServiceUnavailable)
                    {
                        Interlocked.Increment(ref busy);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                        Console.Error.WriteLine($"{name}: {(int)status} {body}");
                    }

                    return (status, id);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Console.Error.WriteLine($"{name}: {e.Message}");
                    return (0, null);
                }
            }

            var sseLatency = new ConcurrentBag<double>();
            var apiLatency = new ConcurrentBag<double>();
            var missed = 0;
            var probeTasks = new List<Task>();
            async Task ProbeAsync(long mineId)
            {
                var (key, mine) = probeByMine[mineId];
                var code = mine.Points[0].Definition.PointCode;
                var wait = raised[mineId] = new TaskCompletionSource<DateTime>(TaskCreationOptions.RunContinuationsAsynchronously);
                FeedSimulation.Force(mine, code, 1.3);
                var (name, bytes) = probeSim.Cdss(mine, DateTimeOffset.UtcNow);
                var (status, _) = await Send(name, bytes, key.Key, mine.Points.Count);
                var acknowledged = DateTime.UtcNow;
                if (status != HttpStatusCode.Accepted)
                {
                    raised.TryRemove(mineId, out _);
                    return;
                }

                var api = Task.Run(async () =>
                {
                    while (DateTime.UtcNow - acknowledged < TimeSpan.FromSeconds(30))
                    {
                        var json = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/alarms?mineId={mineId}&active=true&type=overLimit&pageSize=1");
                        if (json.GetProperty("total").GetInt32() > 0)
                        {
                            return DateTime.UtcNow;
                        }

                        await Task.Delay(20);
                    }

                    return (DateTime?)null;
                });
                var winner = await Task.WhenAny(wait.Task, Task.Delay(TimeSpan.FromSeconds(30)));
                if (winner == wait.Task)
                {
                    sseLatency.Add((wait.Task.Result - acknowledged).TotalMilliseconds);
                }
                else
                {
                    Interlocked.Increment(ref missed);
                }

                if (await api is { } seen)
                {
                    apiLatency.Add((seen - acknowledged).TotalMilliseconds);
                }

                raised.TryRemove(mineId, out _);
                // Back to normal, so the next probe of this mine raises a new alarm.
                FeedSimulation.Force(mine, code, 0.2);
                // A file's name carries its upload second (a second or two after its data): 3 s later, the name differs from
                // the probe's (the same name with other content is refused as a conflict, and the probe point stayed high).
                await Task.Delay(3100);
                var back = probeSim.Cdss(mine, DateTimeOffset.UtcNow);
                await Send(back.Name, back.Content, key.Key, mine.Points.Count);
            }

            // Clear the probe points first (earlier runs may have left their alarms open).
            foreach (var (key, mine) in probeByMine.Values)
            {
                FeedSimulation.Force(mine, mine.Points[0].Definition.PointCode, 0.2);
                var f = probeSim.Cdss(mine, DateTimeOffset.UtcNow.AddSeconds(-2));
                await Send(f.Name, f.Content, key.Key, mine.Points.Count);
            }

            var baseline = await Api.StatsAsync(statsClient);
            var samples = new List<string>();
            var started = DateTime.UtcNow;
            var next = regular.Select((m, i) => started + (interval * i / regular.Count)).ToArray();
            var nextProbe = started + TimeSpan.FromSeconds(5);
            var probeIndex = 0;
            var nextSample = started + TimeSpan.FromSeconds(10);
            long maxPending = 0, maxRss = 0;
            while (DateTime.UtcNow - started < duration)
            {
                var now = DateTime.UtcNow;
                for (var i = 0; i < regular.Count; i++)
                {
                    if (next[i] <= now)
                    {
                        next[i] += interval;
                        var (mine, key) = (sim.Mines[i], regular[i]);
                        var (name, bytes) = sim.Cdss(mine, new DateTimeOffset(now, TimeSpan.Zero));
                        await sendQueue.Writer.WriteAsync(() => Send(name, bytes, key.Key, mine.Points.Count));
                    }
                }

                if (now >= nextProbe && probes.Count > 0)
                {
                    nextProbe += probeEvery;
                    var mineId = probes[probeIndex++ % probes.Count].Id;
                    if (!raised.ContainsKey(mineId))
                    {
                        probeTasks.Add(Task.Run(() => ProbeAsync(mineId)));
                    }
                }

                if (now >= nextSample)
                {
                    nextSample += TimeSpan.FromSeconds(10);
                    var s = await Api.StatsAsync(statsClient);
                    var pending = s.GetProperty("pendingReadings").GetInt64();
                    maxPending = Math.Max(maxPending, pending);
                    var rss = Stats.RssMb(appPid);
                    maxRss = Math.Max(maxRss, rss);
                    var line = $"{(now - started).TotalSeconds,5:0}s applied {s.GetProperty("appliedReadings").GetInt64() - baseline.GetProperty("appliedReadings").GetInt64(),12:N0} readings, " +
                               $"pending {pending,8:N0}, lag {s.GetProperty("lastLagMs").GetDouble(),6:0} ms, alarm p99 so far {Stats.Percentile([.. sseLatency], 99),6:0} ms, RSS {rss} MB, load {Stats.Load()}";
                    samples.Add(line);
                    Console.WriteLine(line);
                }

                await Task.Delay(20);
            }

            var elapsed = (DateTime.UtcNow - started).TotalSeconds;
            sendQueue.Writer.Complete();
            await Task.WhenAll(senders);
            await Task.WhenAll(probeTasks);
            stop.Cancel();
            Console.WriteLine($"sent {sentFiles:N0} files, {sentReadings:N0} readings accepted in {elapsed:0} s = {sentReadings / elapsed:N0} readings/s; errors {errors}, busy (503) {busy}");
            Console.WriteLine($"PUT latency {Stats.Summary([.. putLatency])}");
            Console.WriteLine($"alarm latency, accepted → SSE event:     {Stats.Summary([.. sseLatency])}; missed {missed}");
            Console.WriteLine($"alarm latency, accepted → visible in API: {Stats.Summary([.. apiLatency])}");
            Console.WriteLine($"max pending readings {maxPending:N0}; max app RSS {maxRss} MB; load average at end {Stats.Load()}");
            var final = await Api.StatsAsync(statsClient);
            Console.WriteLine($"applier: {Applier(baseline, final)}");
            Console.WriteLine(GroupCommits(baseline, final));
            return errors == 0 && missed == 0 ? 0 : 1;
        }

        private static async Task ListenAsync(HttpClient admin, ConcurrentDictionary<long, TaskCompletionSource<DateTime>> raised, CancellationToken ct)
        {
            try
            {
                using var response = await admin.GetAsync("/api/v1/alarms/stream", HttpCompletionOption.ResponseHeadersRead, ct);
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
                var alarm = false;
                while (await reader.ReadLineAsync(ct) is { } line)
                {
                    if (line.StartsWith("event:", StringComparison.Ordinal))
                    {
                        alarm = line == "event: alarm";
                    }
                    else if (alarm && line.StartsWith("data:", StringComparison.Ordinal))
                    {
                        var at = DateTime.UtcNow;
                        using var json = JsonDocument.Parse(line[5..]);
                        var e = json.RootElement;
                        if (e.GetProperty("change").GetString() == "raised" && e.GetProperty("type").GetString() == "overLimit"
                            && raised.TryGetValue(e.GetProperty("mineId").GetInt64(), out var wait))
                        {
                            wait.TrySetResult(at);
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
            }
        }

        /// <summary>PUTs CDSS files of the keyed mines one after another (retrying each until answered) and logs each acknowledgement.</summary>
        public static async Task<int> StreamAsync(Options o)
        {
            var keys = (await Api.ReadKeysAsync(o)).Take(o.Int("mines", 50)).ToList();
            var sim = Simulation(keys, o, 0.01);
            var client = Api.Client(o.Url, 8);
            client.Timeout = TimeSpan.FromSeconds(5);
            var duration = TimeSpan.FromSeconds(o.Double("duration", 60));
            var log = new StreamWriter(o.Get("acks", "bench/results/monitoring/acks.tsv"), append: false) { AutoFlush = true };
            var start = DateTimeOffset.UtcNow.AddSeconds(-duration.TotalSeconds * 2);
            var step = 0;
            var watch = Stopwatch.StartNew();
            long acked = 0, duplicates = 0, retries = 0;
            var gate = new object();
            await Parallel.ForEachAsync(Enumerable.Range(0, int.MaxValue).TakeWhile(_ => watch.Elapsed < duration), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            {
                (string Name, byte[] Content) file;
                MineKey key;
                int count;
                lock (gate)
                {
                    var m = step % keys.Count;
                    var round = step / keys.Count;
                    step++;
                    key = keys[m];
                    count = sim.Mines[m].Points.Count;
                    file = sim.Cdss(sim.Mines[m], start.AddSeconds(round * 2));
                }

                while (true)
                {
                    try
                    {
                        var (status, id, _) = await Api.PutAsync(client, file.Name, file.Content, key.Key, ct);
                        if (status is HttpStatusCode.Accepted or HttpStatusCode.OK)
                        {
                            lock (log)
                            {
                                log.WriteLine($"{id}\t{file.Name}\t{count}\t{(status == HttpStatusCode.OK ? "duplicate" : "accepted")}");
                            }

                            Interlocked.Increment(ref status == HttpStatusCode.OK ? ref duplicates : ref acked);
                            return;
                        }

                        Console.Error.WriteLine($"{file.Name}: {(int)status}");
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The app is down (killed): the same file again once it is back.
                    }

                    Interlocked.Increment(ref retries);
                    await Task.Delay(250, ct);
                }
            });
            await log.DisposeAsync();
            Console.WriteLine($"stream: {acked} files acknowledged (202), {duplicates} answered duplicate (200) after a retry, {retries} retries while the app was away");
            return 0;
        }

        /// <summary>Every acknowledged file applied exactly once, with all its readings, and no reading stored twice.</summary>
        public static async Task<int> VerifyAsync(Options o)
        {
            var acks = (await File.ReadAllLinesAsync(o.Get("acks", "bench/results/monitoring/acks.tsv"))).Where(l => l.Length > 0).Select(l => l.Split('\t'))
                .Select(f => (Id: long.Parse(f[0], CultureInfo.InvariantCulture), Name: f[1], Count: int.Parse(f[2], CultureInfo.InvariantCulture))).ToList();
            var byId = acks.GroupBy(a => a.Id).ToDictionary(g => g.Key, g => g.First());
            System.Data.Common.DbConnection connection = o.Get("pg", "") is { Length: > 0 } pg ? new NpgsqlConnection(pg) : new Microsoft.Data.Sqlite.SqliteConnection(o.Get("sqlite", ""));
            await connection.OpenAsync();
            async Task<List<object[]>> Query(string sql)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                command.CommandTimeout = 600;
                await using var reader = await command.ExecuteReaderAsync();
                var rows = new List<object[]>();
                while (await reader.ReadAsync())
                {
                    var row = new object[reader.FieldCount];
                    reader.GetValues(row);
                    rows.Add(row);
                }

                return rows;
            }

            // The restarted app may still be applying what it acknowledged before the kill: wait for it (at most 2 minutes).
            for (var i = 0; i < 240 && Convert.ToInt64((await Query("SELECT COUNT(*) FROM feed_files WHERE status = 1"))[0][0], CultureInfo.InvariantCulture) > 0; i++)
            {
                await Task.Delay(500);
            }

            var status = (await Query("SELECT id, status FROM feed_files WHERE type = 2")).ToDictionary(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture), r => Convert.ToInt32(r[1], CultureInfo.InvariantCulture));
            var counts = (await Query("SELECT file_id, COUNT(*) FROM readings GROUP BY file_id")).ToDictionary(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture), r => Convert.ToInt64(r[1], CultureInfo.InvariantCulture));
            var twice = Convert.ToInt64((await Query("SELECT COUNT(*) FROM (SELECT point_id, data_time FROM readings GROUP BY point_id, data_time HAVING COUNT(*) > 1) d"))[0][0], CultureInfo.InvariantCulture);
            var notApplied = byId.Keys.Count(id => status.GetValueOrDefault(id) != 2);
            var wrongCount = byId.Values.Count(a => counts.GetValueOrDefault(a.Id) != a.Count);
            var unacknowledged = status.Count(s => s.Value == 2 && !byId.ContainsKey(s.Key));
            Console.WriteLine($"verify: {byId.Count} acknowledged files; not applied {notApplied}; with a wrong number of readings {wrongCount}; " +
                              $"readings stored twice {twice}; applied files never acknowledged to the sender {unacknowledged} (accepted just before the kill, answered duplicate on retry)");
            var ok = notApplied == 0 && wrongCount == 0 && twice == 0;
            Console.WriteLine(ok ? "verify: OK — every acknowledged file applied exactly once" : "verify: FAILED");
            return ok ? 0 : 1;
        }
    }
}
