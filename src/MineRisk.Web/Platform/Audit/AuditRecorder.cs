using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Audit;

/// <summary>An event to record that is not a row change (a sign-in, an export, a verification run).</summary>
public sealed record AuditEvent(string Action, string Summary, string EntityName = "", string? EntityId = null, string? RegionCode = null, object? Data = null);

/// <summary>
/// Turns the change tracker's pending changes into audit entries and appends them to the hash chain inside the
/// same transaction as the changes themselves: a change is never stored without its audit entry.
/// </summary>
internal static class AuditRecorder
{
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Identity's internal columns that change on every save and mean nothing to a reader.</summary>
    private static readonly HashSet<string> Ignored = ["ConcurrencyStamp", "SecurityStamp", "NormalizedUserName", "NormalizedEmail", "NormalizedName"];

    private static readonly HashSet<string> Redacted = ["PasswordHash"];

    private static readonly ConcurrentDictionary<Type, (bool Audited, string Name)> Types = new();

    private static readonly Dictionary<Type, string> IdentityNames = new()
    {
        [typeof(IdentityUserRole<long>)] = "用户角色",
        [typeof(IdentityUserClaim<long>)] = "用户声明",
        [typeof(IdentityUserLogin<long>)] = "外部登录",
        [typeof(IdentityUserToken<long>)] = "用户令牌",
        [typeof(IdentityRoleClaim<long>)] = "角色声明",
    };

    internal sealed class Pending(EntityEntry entry, string action, string name, Dictionary<string, object?>? before)
    {
        public EntityEntry Entry { get; } = entry;

        public string Action { get; } = action;

        public string Name { get; } = name;

        public Dictionary<string, object?>? Before { get; } = before;

        public HashSet<string> ModifiedProperties { get; } = [];
    }

    /// <summary>Snapshots what is about to change (before values must be read before the save).</summary>
    public static List<Pending> Capture(ChangeTracker tracker)
    {
        var pending = new List<Pending>();
        foreach (var entry in tracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted))
            {
                continue;
            }

            var (audited, name) = Describe(entry.Metadata.ClrType);
            if (!audited)
            {
                continue;
            }

            switch (entry.State)
            {
                case EntityState.Added:
                    pending.Add(new Pending(entry, "新增", name, null));
                    break;
                case EntityState.Deleted:
                    pending.Add(new Pending(entry, "删除", name, Values(entry, original: true, only: null)));
                    break;
                default:
                    var modified = entry.Properties.Where(p => p.IsModified && !Ignored.Contains(p.Metadata.Name)).Select(p => p.Metadata.Name).ToHashSet();
                    if (modified.Count == 0)
                    {
                        continue;
                    }

                    var item = new Pending(entry, "修改", name, Values(entry, original: true, only: modified));
                    item.ModifiedProperties.UnionWith(modified);
                    pending.Add(item);
                    break;
            }
        }

        return pending;
    }

    /// <summary>Builds the entries once the changes are saved (so generated keys are known).</summary>
    public static List<AuditEntry> Complete(List<Pending> pending, IEnumerable<AuditEvent> events, long? userId, string userName, DateTime nowUtc)
    {
        var at = AuditHash.Truncate(nowUtc);
        var result = new List<AuditEntry>(pending.Count);
        foreach (var p in pending)
        {
            var after = p.Action switch
            {
                "新增" => Values(p.Entry, original: false, only: null),
                "修改" => Values(p.Entry, original: false, only: p.ModifiedProperties),
                _ => null,
            };
            var key = KeyOf(p.Entry);
            var regionCode = p.Entry.Entity is IScoped scoped ? scoped.RegionCode : null;
            result.Add(new AuditEntry
            {
                At = at,
                UserId = userId,
                UserName = userName,
                Action = p.Action,
                EntityType = p.Entry.Metadata.GetTableName() ?? p.Entry.Metadata.ClrType.Name,
                EntityName = p.Name,
                EntityId = key,
                RegionCode = regionCode,
                Summary = $"{p.Action}{p.Name} {Caption(p.Entry) ?? key}".Trim(),
                Before = p.Before is null ? null : JsonSerializer.Serialize(p.Before, Json),
                After = after is null ? null : JsonSerializer.Serialize(after, Json),
            });
        }

        foreach (var e in events)
        {
            result.Add(new AuditEntry
            {
                At = at,
                UserId = userId,
                UserName = userName,
                Action = e.Action,
                EntityName = e.EntityName,
                EntityId = e.EntityId,
                RegionCode = e.RegionCode,
                Summary = e.Summary,
                After = e.Data is null ? null : JsonSerializer.Serialize(e.Data, Json),
            });
        }

        return result;
    }

    /// <summary>
    /// Appends entries to the chain: takes the chain lock (PostgreSQL: a transaction-scoped advisory lock; SQLite:
    /// the write lock the enclosing IMMEDIATE transaction already holds), reads the head, links and stores.
    /// </summary>
    public static async Task AppendAsync(AppDbContext db, List<AuditEntry> entries, Func<CancellationToken, Task<int>> save, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(73100001)", ct);
        }

        var head = await db.AuditEntries.IgnoreQueryFilters().AsNoTracking()
            .OrderByDescending(e => e.Id)
            .Select(e => new { e.Id, e.Hash })
            .FirstOrDefaultAsync(ct);
        var lastId = head?.Id ?? 0;
        var lastHash = head?.Hash ?? AuditHash.Genesis;
        foreach (var entry in entries)
        {
            entry.Id = ++lastId;
            entry.PrevHash = lastHash;
            entry.Hash = AuditHash.Compute(entry);
            lastHash = entry.Hash;
        }

        db.AuditEntries.AddRange(entries);
        await save(ct);
    }

    private static (bool Audited, string Name) Describe(Type type) => Types.GetOrAdd(type, static t =>
    {
        if (t == typeof(AuditEntry) || t.GetCustomAttribute<NotAuditedAttribute>() is not null)
        {
            return (false, "");
        }

        if (IdentityNames.TryGetValue(t, out var identityName))
        {
            return (true, identityName);
        }

        return (true, t.GetCustomAttribute<DisplayNameAttribute>()?.DisplayName ?? t.Name);
    });

    private static Dictionary<string, object?> Values(EntityEntry entry, bool original, HashSet<string>? only)
    {
        var values = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            if (Ignored.Contains(name) || (only is not null && !only.Contains(name)))
            {
                continue;
            }

            if (Redacted.Contains(name) || property.Metadata.PropertyInfo?.GetCustomAttribute<AuditRedactAttribute>() is not null)
            {
                values[name] = "***";
                continue;
            }

            var value = original ? property.OriginalValue : property.CurrentValue;
            values[name] = value switch
            {
                DateTime d => d.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
                Enum e => e.ToString(),
                _ => value,
            };
        }

        return new Dictionary<string, object?>(values);
    }

    private static string? KeyOf(EntityEntry entry)
    {
        var key = entry.Metadata.FindPrimaryKey();
        if (key is null)
        {
            return null;
        }

        return string.Join(",", key.Properties.Select(p => Convert.ToString(entry.Property(p.Name).CurrentValue, CultureInfo.InvariantCulture)));
    }

    /// <summary>A human handle for the row in the summary (a name, code or number), when it has one.</summary>
    private static string? Caption(EntityEntry entry)
    {
        foreach (var candidate in (string[])["Number", "Code", "Name", "UserName", "Title"])
        {
            var property = entry.Metadata.FindProperty(candidate);
            if (property is not null && entry.Property(candidate).CurrentValue is string { Length: > 0 } text)
            {
                return text;
            }
        }

        return null;
    }
}
