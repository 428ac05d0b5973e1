using Npgsql;

namespace MineRisk.Tests.Infrastructure;

/// <summary>
/// A throw-away database for one test fixture: a SQLite file in a temp folder, or a fresh database on the PostgreSQL
/// server named by <c>MINERISK_TEST_PG</c> (set by <c>scripts/test</c>, which starts a loopback cluster).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "MINERISK_TEST_PG";

    private TestDatabase(string provider, string connectionString, string directory, string? pgName)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Directory = directory;
        PgName = pgName;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The data folder for this app instance (attachments, SQLite file).</summary>
    public string Directory { get; }

    private string? PgName { get; }

    public bool IsPostgres => Provider == "Postgres";

    public static TestDatabase Sqlite()
    {
        var dir = NewDirectory();
        return new TestDatabase("Sqlite", $"Data Source={Path.Combine(dir, "minerisk.db")};Default Timeout=30", dir, null);
    }

    public static async Task<TestDatabase> PostgresAsync()
    {
        var server = ServerConnectionString();
        var name = $"mr_test_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(server))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var builder = new NpgsqlConnectionStringBuilder(server) { Database = name };
        return new TestDatabase("Postgres", builder.ConnectionString, NewDirectory(), name);
    }

    public static string ServerConnectionString() =>
        Environment.GetEnvironmentVariable(PostgresVariable) is { Length: > 0 } cs
            ? cs
            : throw new InvalidOperationException(
                $"PostgreSQL 测试需要环境变量 {PostgresVariable}（例如 Host=127.0.0.1;Port=55432;Username=postgres）。请用 scripts/test 运行全部测试，它会自动启动一个临时 PostgreSQL。");

    public async ValueTask DisposeAsync()
    {
        if (PgName is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(ServerConnectionString());
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {PgName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a finishing host; the temp folder is cleaned by the OS.
        }
    }

    private static string NewDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "minerisk-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }
}
