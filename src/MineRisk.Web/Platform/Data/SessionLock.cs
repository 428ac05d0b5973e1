using System.Data;
using Microsoft.EntityFrameworkCore;

namespace MineRisk.Web.Platform.Data;

/// <summary>
/// PostgreSQL session-level advisory locks on a context's connection, for background work that one instance at a time
/// should do (deadline sweep, retention, schema upgrade). Pooled connections are not reset when returned
/// (<see cref="DatabaseSetup.PostgresConnectionString"/>), so whoever takes a lock releases it with
/// <see cref="ReleaseAllAsync"/> in a <c>finally</c> — a lock left on a pooled connection would outlive the work and stop
/// every instance's next run.
/// </summary>
public static class SessionLock
{
    /// <summary>Opens the context's connection (it stays open until closed) and tries the lock; false when another session holds it.</summary>
    public static async Task<bool> TryTakeAsync(AppDbContext db, long key, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return await db.Database.SqlQuery<bool>($"SELECT pg_try_advisory_lock({key}) AS \"Value\"").SingleAsync(ct);
    }

    /// <summary>
    /// Releases every advisory lock of the connection's session — also one granted just before a cancellation, which its
    /// taker never learned it held. Nothing to do when the connection is not open (it never got one, or it broke).
    /// </summary>
    public static async Task ReleaseAllAsync(AppDbContext db)
    {
        if (db.Database.GetDbConnection().State == ConnectionState.Open)
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock_all()", CancellationToken.None);
        }
    }
}
