using System.Globalization;
using MineRisk.Bench;

// Usage (bench/mines.sh runs it):
//   MineRisk.Bench run     --url URL --provider sqlite|postgres --connection CS [--user nation] [--password P]
//                          [--runs 300] [--warmup 30] [--export-runs 5] [--pid APP_PID] [--db-pid POSTMASTER_PID] [--summary FILE]
//                          [--block 1]  runs of one query in a row before the next (1: isolated requests; 25: steady state)
//   MineRisk.Bench token   --url URL [--user U]        prints a bearer token (for wrk)
//   MineRisk.Bench cookie  --url URL [--user U]        prints the Cookie header of a form sign-in (for wrk)
//   MineRisk.Bench explain --url URL --provider P --connection CS   prints the plans of every list query
//   MineRisk.Bench sql --provider P --connection CS --sql "SELECT ..." [--params "a=1;b=x"] [--repeat 20]   runs SQL (';'-separated statements) as given,
//                          prints the last statement's rows and the median time of each statement (for investigations)
//   MineRisk.Bench stability         (as run, with the stability queries: bench/stability.sh) [--only "conflicts: city"]
//   MineRisk.Bench stability-explain --url URL --provider P --connection CS   the plans of every stability query
//   MineRisk.Bench stability-sql     --url URL --provider P --connection CS   the SQL EF sends for each (StabilitySql's source)
//   MineRisk.Bench hazards [--stats-runs 30]  (as run, with the hazard ledger, stats, overview page and export: bench/hazards.sh;
//                          --export-runs 0: the ledger and stats only; --only TEXT: the cases whose name contains TEXT)
//   MineRisk.Bench hazards-explain   (as run)   the plans of every hazard query (the statements EF sends)
// For SQLite, --connection is a connection string ("Data Source=/path/minerisk.db") or just the file's path.
var hasCommand = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal);
var command = hasCommand ? args[0] : "run";
var named = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (var i = hasCommand ? 1 : 0; i + 1 < args.Length; i += 2)
{
    named[args[i].TrimStart('-')] = args[i + 1];
}

string Arg(string name, string? fallback = null) =>
    named.TryGetValue(name, out var value) ? value : fallback ?? throw new ArgumentException($"--{name} is required");
int Number(string name, int fallback) => named.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

if (command == "sql")
{
    var sqlProvider = Arg("provider").StartsWith("postgres", StringComparison.OrdinalIgnoreCase) ? Provider.Postgres : Provider.Sqlite;
    var statements = Arg("sql").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    await using var connection = new RawSql(sqlProvider, Arg("connection"), new Scope("", "~", null)).Connect();
    await connection.OpenAsync();
    var repeat = Number("repeat", 1);
    // --params "low=;high=~;all=true": bound as they would be by the app (true/false → bool, digits → long, else text).
    var sqlParameters = Arg("params", "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=', 2)).Select(p => (p[0],
        p[1] is "true" or "false" ? (object)bool.Parse(p[1]) : long.TryParse(p[1], CultureInfo.InvariantCulture, out var n) ? n : p[1])).ToList();
    foreach (var (statement, index) in statements.Select((s, i) => (s, i)))
    {
        var times = new List<double>();
        var lines = new List<string>();
        for (var i = 0; i < repeat; i++)
        {
            lines.Clear();
            var watch = System.Diagnostics.Stopwatch.StartNew();
            await using var dbCommand = RawSql.Command(connection, statement, sqlParameters);
            await using var reader = await dbCommand.ExecuteReaderAsync();
            do
            {
                while (await reader.ReadAsync())
                {
                    lines.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(c => reader.IsDBNull(c) ? "NULL" : Convert.ToString(reader.GetValue(c), CultureInfo.InvariantCulture))));
                }
            }
            while (await reader.NextResultAsync());
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        Console.WriteLine($"-- statement {index + 1}: median {Stats.Ms(times.Order().ElementAt(times.Count / 2))} ms of {repeat}, {lines.Count} rows");
        if (index == statements.Length - 1 || lines.Count <= 40)
        {
            lines.Take(200).ToList().ForEach(Console.WriteLine);
        }
    }

    return 0;
}

var url = Arg("url");
var user = Arg("user", "nation");
var password = Arg("password", "Demo#2026");
try
{
    switch (command)
    {
        case "token":
        {
            using var client = new AppClient(url);
            await client.LoginAsync(user, password);
            Console.WriteLine(client.Token);
            return 0;
        }

        case "cookie":
        {
            using var client = new AppClient(url);
            Console.WriteLine(await client.CookieLoginAsync(user, password));
            return 0;
        }

        case "explain":
        case "run":
        case "stability":
        case "stability-explain":
        case "stability-sql":
        case "hazards":
        case "hazards-explain":
        {
            var provider = Arg("provider").ToLowerInvariant() switch
            {
                "sqlite" => Provider.Sqlite,
                "postgres" or "postgresql" => Provider.Postgres,
                var other => throw new ArgumentException($"--provider {other}: sqlite or postgres"),
            };
            var connection = Arg("connection");
            if (provider == Provider.Sqlite && !connection.Contains('='))
            {
                connection = $"Data Source={connection}";
            }
            else if (provider == Provider.Postgres)
            {
                // As the app connects (statements prepared from their second use): raw SQL and EF get what the app gets.
                connection = MineRisk.Web.Platform.Data.DatabaseSetup.PostgresConnectionString(connection);
            }

            if (command is "stability-explain" or "stability-sql")
            {
                using var client = new AppClient(url);
                await client.LoginAsync(user, password);
                var me = System.Text.Json.JsonDocument.Parse((await client.GetAsync("api/v1/me")).Body).RootElement.GetProperty("scope");
                var scope = Scope.ForRegion(me.GetProperty("regionCode").GetString()!, null);
                var raw = new StabilitySql(provider, connection, scope);
                var ef = new StabilityEf(provider, connection, scope, capture: true);
                var mineId = await raw.MostAssessedMineAsync();
                var now = DateTime.UtcNow;
                foreach (var c in StabilityCase.All)
                {
                    var query = c.Resolve(mineId, MineRisk.Web.Platform.ChinaTime.DateOf(now));
                    var filter = StabilityFilter.Parse(c.Kind, query);
                    Console.WriteLine($"== {c.KindName}: {c.Name} ({query})");
                    if (command == "stability-sql")
                    {
                        await ef.RunAsync(c.Kind, filter, now);
                    }
                    else
                    {
                        Console.WriteLine(await raw.ExplainAsync(c.Kind, filter, now));
                    }
                }

                return 0;
            }

            if (command == "explain")
            {
                using var client = new AppClient(url);
                await client.LoginAsync(user, password);
                var me = System.Text.Json.JsonDocument.Parse((await client.GetAsync("api/v1/me")).Body).RootElement.GetProperty("scope");
                var raw = new RawSql(provider, connection, Scope.ForRegion(me.GetProperty("regionCode").GetString()!, null));
                foreach (var listCase in ListCase.All)
                {
                    Console.WriteLine($"== {listCase.Name} ({listCase.Query})");
                    Console.WriteLine(await raw.ExplainAsync(listCase.Filter));
                }

                return 0;
            }

            var options = new RunOptions(url, provider, connection, user, password, Number("runs", 300), Number("warmup", 30),
                Number("export-runs", 5), named.ContainsKey("pid") ? Number("pid", 0) : null,
                named.ContainsKey("db-pid") ? Number("db-pid", 0) : null, named.GetValueOrDefault("summary"), named.GetValueOrDefault("only"),
                Number("block", 1));
            if (command.StartsWith("hazards", StringComparison.Ordinal))
            {
                return await new HazardRunner(options, Number("stats-runs", 30), explainOnly: command == "hazards-explain").RunAsync(); // bench/hazards.sh
            }

            return command == "stability" ? await new StabilityRunner(options).RunAsync() : await new Runner(options).RunAsync();
        }

        default:
            Console.Error.WriteLine($"unknown command {command}: run, token, cookie, explain, stability, stability-explain or stability-sql");
            return 1;
    }
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or ArgumentException)
{
    Console.Error.WriteLine($"MineRisk.Bench {command}: {e.Message}");
    return 1;
}
