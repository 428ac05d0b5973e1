using System.Globalization;
using MineRisk.Bench;

// Usage (bench/mines.sh runs it):
//   MineRisk.Bench run     --url URL --provider sqlite|postgres --connection CS [--user nation] [--password P]
//                          [--runs 300] [--warmup 30] [--export-runs 5] [--pid APP_PID] [--db-pid POSTMASTER_PID] [--summary FILE]
//   MineRisk.Bench token   --url URL [--user U]        prints a bearer token (for wrk)
//   MineRisk.Bench cookie  --url URL [--user U]        prints the Cookie header of a form sign-in (for wrk)
//   MineRisk.Bench explain --url URL --provider P --connection CS   prints the plans of every list query
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
                named.ContainsKey("db-pid") ? Number("db-pid", 0) : null, named.GetValueOrDefault("summary"));
            return await new Runner(options).RunAsync();
        }

        default:
            Console.Error.WriteLine($"unknown command {command}: run, token, cookie or explain");
            return 1;
    }
}
catch (Exception e) when (e is InvalidOperationException or HttpRequestException or ArgumentException)
{
    Console.Error.WriteLine($"MineRisk.Bench {command}: {e.Message}");
    return 1;
}
