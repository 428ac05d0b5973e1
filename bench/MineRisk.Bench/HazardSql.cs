using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using Npgsql;

namespace MineRisk.Bench;

/// <summary>One statement EF sent, with its parameters as EF typed them (to be replayed as raw SQL).</summary>
public sealed record SentCommand(string Sql, IReadOnlyList<DbParameter> Parameters);

/// <summary>
/// The hazard API's own query code (HazardQuery, HazardViews, as HazardApi.ListAsync and StatsAsync call it) run in
/// this process on a new AppDbContext per call, configured as DatabaseSetup configures it: the API without HTTP,
/// authentication and JSON. <see cref="CaptureAsync"/> also records every statement EF sends, with its parameters,
/// for <see cref="HazardSql"/> to replay: "the same query as raw SQL" is then exactly the text EF generates.
/// </summary>
public sealed class HazardEf
{
    private readonly DbContextOptions<AppDbContext> _options;
    private readonly Recorder _recorder = new();
    private readonly Scope _scope;

    public HazardEf(Provider provider, string connectionString, Scope scope)
    {
        _scope = scope;
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        if (provider == Provider.Postgres)
        {
            builder.UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(60));
        }
        else
        {
            builder.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());
        }

        builder.AddInterceptors(_recorder);
        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
        _options = builder.Options;
    }

    /// <summary>Runs a case once while recording what EF sends; returns the answer and the statements.</summary>
    public async Task<(string Answer, List<SentCommand> Commands)> CaptureAsync(HazardCase c, string query, DateOnly today)
    {
        _recorder.Sent = [];
        try
        {
            var (_, answer) = await RunAsync(c, query, today);
            return (answer, _recorder.Sent);
        }
        finally
        {
            _recorder.Sent = null;
        }
    }

    /// <summary>Runs one case; returns its time in ms and its answer (<see cref="HazardAnswer"/>).</summary>
    public async Task<(double Ms, string Answer)> RunAsync(HazardCase c, string query, DateOnly today)
    {
        var watch = Stopwatch.StartNew();
        await using var db = new AppDbContext(_options)
        {
            Scope = new UserScope(_scope.Low, _scope.High, _scope.EnterpriseId, null, false, "bench"),
        };
        if (c.Stats)
        {
            var (region, from, to) = HazardCase.ParseStats(query, today);
            var stats = await HazardViews.StatsAsync(db, region, from, to, today, CancellationToken.None);
            return (watch.Elapsed.TotalMilliseconds, HazardAnswer.Stats(stats.Rows.Count, stats.Found, stats.Closed, stats.Overdue, stats.Major, stats.OpenMajor, stats.Listed));
        }

        var (hazardQuery, page, pageSize) = HazardCase.ParseList(query);
        var paging = Paging.From(page, pageSize);
        var result = await HazardViews.ListAsync(db, hazardQuery, paging, today, CancellationToken.None); // as HazardApi.ListAsync
        return (watch.Elapsed.TotalMilliseconds, HazardAnswer.List(result.Total, result.Items.Select(i => i.Id)));
    }

    private sealed class Recorder : DbCommandInterceptor
    {
        public List<SentCommand>? Sent { get; set; }

        public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ReaderExecutingAsync(command, eventData, result, cancellationToken);
        }

        public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData,
            InterceptionResult<object> result, CancellationToken cancellationToken = default)
        {
            Record(command);
            return base.ScalarExecutingAsync(command, eventData, result, cancellationToken);
        }

        private void Record(DbCommand command) => Sent?.Add(new SentCommand(command.CommandText, command.Parameters.Cast<DbParameter>().Select(Copy).ToList()));

        private static DbParameter Copy(DbParameter p) => p switch
        {
            NpgsqlParameter n => n.Clone(),
            SqliteParameter s => new SqliteParameter(s.ParameterName, s.Value), // typed by its value, as EF's own
            _ => throw new NotSupportedException(p.GetType().Name),
        };
    }
}

/// <summary>
/// The statements EF sent for a case (<see cref="HazardEf.CaptureAsync"/>), replayed through ADO.NET on one open
/// connection, every row read: the floor of what any code could do with the same SQL.
/// </summary>
public sealed class HazardSql(Provider provider, string connectionString) : IAsyncDisposable
{
    private DbConnection? _connection;

    public async Task<DbConnection> ConnectionAsync()
    {
        if (_connection is null)
        {
            _connection = provider == Provider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);
            await _connection.OpenAsync();
            if (provider == Provider.Sqlite)
            {
                // As the app's SqlitePragmas interceptor does on every open.
                await using var pragma = _connection.CreateCommand();
                pragma.CommandText = "PRAGMA synchronous=FULL;";
                await pragma.ExecuteNonQueryAsync();
            }
        }

        return _connection;
    }

    /// <summary>Runs the statements in order; returns the time in ms and every row of every statement.</summary>
    public async Task<(double Ms, List<List<object?[]>> Results)> RunAsync(IReadOnlyList<SentCommand> commands)
    {
        var connection = await ConnectionAsync();
        var watch = Stopwatch.StartNew();
        var results = new List<List<object?[]>>(commands.Count);
        foreach (var sent in commands)
        {
            await using var command = Prepare(connection, sent.Sql, sent.Parameters);
            await using var reader = await command.ExecuteReaderAsync();
            var rows = new List<object?[]>();
            while (await reader.ReadAsync())
            {
                var values = new object?[reader.FieldCount];
                reader.GetValues(values!);
                rows.Add(values.Select(v => v is DBNull ? null : v).ToArray());
            }

            results.Add(rows);
        }

        return (watch.Elapsed.TotalMilliseconds, results);
    }

    /// <summary>The plan of each statement: EXPLAIN (ANALYZE, BUFFERS) on PostgreSQL, EXPLAIN QUERY PLAN on SQLite.</summary>
    public async Task<string> ExplainAsync(IReadOnlyList<SentCommand> commands)
    {
        var connection = await ConnectionAsync();
        var text = new System.Text.StringBuilder();
        foreach (var sent in commands)
        {
            text.AppendLine("-- " + sent.Sql.ReplaceLineEndings(" "));
            text.AppendLine("-- parameters: " + string.Join(", ", sent.Parameters.Select(p => $"{p.ParameterName}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")));
            var prefix = provider == Provider.Postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ";
            await using var command = Prepare(connection, prefix + sent.Sql, sent.Parameters);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(provider == Provider.Postgres ? reader.GetString(0) : $"{reader.GetValue(0)} {reader.GetValue(1)} {reader.GetString(3)}");
            }
        }

        return text.ToString();
    }

    /// <summary>The answer of a case from the replayed rows: a list is a count then the page (id first), as
    /// <see cref="HazardAnswer"/>. The statistics are several statements (the monthly roll-up or a grouping, the overdue
    /// grouping, county names, two counts) whose shape depends on the scope and period: their answer is only how many rows
    /// each returned, and the runner compares the statistics' API and EF answers, not this one.</summary>
    public static string Answer(HazardCase c, List<List<object?[]>> results)
    {
        static int Int(object? v) => Convert.ToInt32(v, CultureInfo.InvariantCulture);
        if (!c.Stats && !c.Searches)
        {
            // The count statement counts up to CountCap + 1 (Paging.CountAsync); the API then says CountCap ("totalCapped").
            return HazardAnswer.List(Math.Min(Int(results[0][0][0]), Paging.CountCap), results[1].Select(r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture)));
        }

        return $"statements {results.Count}; rows {string.Join("/", results.Select(r => r.Count))}";
    }

    private static DbCommand Prepare(DbConnection connection, string sql, IEnumerable<DbParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.CommandTimeout = 120;
        foreach (var p in parameters)
        {
            command.Parameters.Add(p switch
            {
                NpgsqlParameter n => n.Clone(),
                SqliteParameter s => new SqliteParameter(s.ParameterName, s.Value), // typed by its value, as EF's own
                _ => throw new NotSupportedException(p.GetType().Name),
            });
        }

        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}

/// <summary>The answer of a case as one comparable text, whoever computed it (the API's JSON, raw SQL, EF in process).</summary>
public static class HazardAnswer
{
    public static string List(int total, IEnumerable<long> ids) => $"total {total}; ids {string.Join(",", ids)}";

    public static string Stats(int rows, int found, int closed, int overdue, int major, int openMajor, int listed) =>
        $"rows {rows}; found {found} closed {closed} overdue {overdue} major {major}; open major {openMajor}; listed {listed}";
}
