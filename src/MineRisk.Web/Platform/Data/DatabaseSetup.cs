using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MineRisk.Web.Platform.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Configuration section <c>Database</c>.</summary>
public sealed class DatabaseOptions
{
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Required for PostgreSQL; for SQLite defaults to <c>{Data:Directory}/minerisk.db</c>.</summary>
    public string? ConnectionString { get; set; }
}

public static class DatabaseSetup
{
    public static IServiceCollection AddDatabase(this IServiceCollection services, IConfiguration configuration, DataPaths paths)
    {
        var options = configuration.GetSection("Database").Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            options.ConnectionString = null;
        }

        services.AddSingleton(options);
        services.AddSingleton<SqlitePragmas>();
        // Pooled: a request takes a ready context instead of building one (options, internal services) each time —
        // a tenth of a small list request's CPU (bench/mines.sh). Bind gives it the request's user.
        services.AddPooledDbContextFactory<AppDbContext>((sp, db) =>
        {
            if (options.Provider == DatabaseProvider.Postgres)
            {
                var connectionString = options.ConnectionString
                    ?? throw new InvalidOperationException("使用 PostgreSQL 时必须配置 Database:ConnectionString（环境变量 MINERISK_Database__ConnectionString）。");
                db.UseNpgsql(PostgresConnectionString(connectionString), npgsql => npgsql.CommandTimeout(60));
            }
            else
            {
                var connectionString = options.ConnectionString ?? $"Data Source={Path.Combine(paths.Root, "minerisk.db")};Default Timeout=30";
                db.UseSqlite(connectionString).AddInterceptors(sp.GetRequiredService<SqlitePragmas>());
            }

            // Counts capped with Take (Paging.CountAsync, the unread badge) need no order.
            db.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning,
                CoreEventId.RowLimitingOperationWithoutOrderByWarning));
        });
        services.AddScoped(sp =>
        {
            var db = sp.GetRequiredService<IDbContextFactory<AppDbContext>>().CreateDbContext();
            db.Bind(sp.GetRequiredService<TimeProvider>(), sp.GetService<Auth.CurrentUser>(), sp.GetRequiredService<SaveHooks>().All);
            return db;
        });
        services.AddSingleton<SaveHooks>();
        services.AddScoped<SchemaUpgrader>();
        return services;
    }

    /// <summary>
    /// The configured PostgreSQL connection string with two Npgsql settings added, each unless the string sets it itself:
    /// <list type="bullet">
    /// <item><c>Max Auto Prepare=256</c>: a statement sent a second time on a connection is prepared, and from then on
    /// PostgreSQL skips parsing and planning it. EF's list queries join four to six tables, and planning them took longer
    /// than running them (the mines list's page: 2.1 ms planning, 0.3 ms execution by EXPLAIN ANALYZE, bench/mines.sh's
    /// explain output). The statements are few and fixed (parameters, not literals), so 256 per connection hold them all.</item>
    /// <item><c>No Reset On Close=true</c>: a connection returned to the pool is not reset. Npgsql's reset runs seven
    /// statements (<c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all();
    /// DISCARD SEQUENCES; DISCARD TEMP</c>) before the next use, 0.2 ms of PostgreSQL's time, and EF opens and closes its
    /// connection around every query — more than the count of a county's mines itself. The app leaves no session state
    /// behind: no <c>SET</c>, temporary tables or <c>LISTEN</c>; the session-level advisory locks (deadline sweep,
    /// retention, schema upgrade) are released by the code that takes them (<see cref="SessionLock"/>); transactions are
    /// rolled back on return either way.</item>
    /// </list>
    /// </summary>
    public static string PostgresConnectionString(string configured)
    {
        // What the text itself says (Npgsql's own builder answers ContainsKey for every keyword it knows).
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        var changed = false;
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 256;
            builder.AutoPrepareMinUsages = 2;
            changed = true;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
            changed = true;
        }

        return changed ? builder.ConnectionString : configured;
    }
}

/// <summary>
/// Per-connection SQLite settings: <c>synchronous=FULL</c> so that a committed transaction survives a crash of the
/// process or the machine (the database itself is switched to WAL once, at start). Set once per native connection:
/// Microsoft.Data.Sqlite pools them, and EF opens and closes its connection around every statement, so a list request
/// (count and page) would otherwise run the pragma twice.
/// </summary>
public sealed class SqlitePragmas : DbConnectionInterceptor
{
    private const string Sql = "PRAGMA synchronous=FULL;";

    /// <summary>The native connections already set; they leave the table when the pool lets them go.</summary>
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, string> _set = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (Unset(connection) is { } handle)
        {
            using var command = connection.CreateCommand();
            command.CommandText = Sql;
            command.ExecuteNonQuery();
            _set.AddOrUpdate(handle, Sql);
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (Unset(connection) is { } handle)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Sql;
            await command.ExecuteNonQueryAsync(cancellationToken);
            _set.AddOrUpdate(handle, Sql);
        }
    }

    /// <summary>The connection's native handle when the pragma has not been run on it yet (this interceptor serves SQLite only).</summary>
    private SQLitePCL.sqlite3? Unset(DbConnection connection)
    {
        var handle = ((Microsoft.Data.Sqlite.SqliteConnection)connection).Handle!;
        return _set.TryGetValue(handle, out _) ? null : handle;
    }
}
