using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// SQLite has one writer at a time, and a writer that finds the database locked waits in sleeps of up to 100 ms (its busy
/// handler). Intake's group commit and the applier write all the time, so on SQLite they take turns here instead, in
/// process, without sleeping. PostgreSQL needs no such thing (row locks; the gate is a no-op there).
/// </summary>
public sealed class SqliteWriteGate(DatabaseOptions database)
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<IDisposable> EnterAsync(CancellationToken ct)
    {
        if (database.Provider == DatabaseProvider.Postgres)
        {
            return Nothing.Instance;
        }

        await _gate.WaitAsync(ct);
        return new Release(_gate);
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _done;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _done, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private sealed class Nothing : IDisposable
    {
        public static readonly Nothing Instance = new();

        public void Dispose()
        {
        }
    }
}
