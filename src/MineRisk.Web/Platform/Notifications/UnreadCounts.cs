using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Notifications;

/// <summary>
/// Each user's unread-message count for the badge every page shows, kept for <see cref="Lifetime"/>: counting it on
/// every page was a statement per page view (7 % of the app's CPU under load on the mine list). A save that adds a
/// message or marks one read drops the user's count (this is an <see cref="ISaveHook"/>), and so does "mark all read"
/// (a bulk update, <see cref="Forget"/>); messages written by bulk statements (demo data) show within the lifetime.
/// </summary>
public sealed class UnreadCounts(TimeProvider clock) : ISaveHook
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(15);

    private readonly ConcurrentDictionary<long, (int Count, DateTimeOffset At)> _counts = new();

    /// <summary>The user's unread messages counted up to <paramref name="limit"/> + 1, from the copy if it is fresh.</summary>
    public async Task<int> GetAsync(AppDbContext db, long userId, int limit, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (_counts.TryGetValue(userId, out var kept) && now - kept.At < Lifetime)
        {
            return kept.Count;
        }

        var count = await db.Notifications.Where(n => n.UserId == userId && n.ReadAt == null).Take(limit + 1).CountAsync(ct);
        _counts[userId] = (count, now);
        if (_counts.Count > 10_000)
        {
            _counts.Clear(); // a bound on memory: far more users than are active within a lifetime
        }

        return count;
    }

    public void Forget(long userId) => _counts.TryRemove(userId, out _);

    public Func<AppDbContext, CancellationToken, Task>? Prepare(ChangeTracker changes)
    {
        var users = changes.Entries<Notification>()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Select(e => e.Entity.UserId).Distinct().ToList();
        if (users.Count == 0)
        {
            return null;
        }

        // Dropped before the write and again after it: a reader in between may have counted the old rows.
        users.ForEach(Forget);
        return (_, _) =>
        {
            users.ForEach(Forget);
            return Task.CompletedTask;
        };
    }
}
