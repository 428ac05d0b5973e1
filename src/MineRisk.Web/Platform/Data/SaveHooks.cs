using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace MineRisk.Web.Platform.Data;

/// <summary>
/// Rows a module derives from its entities and keeps in step with them (a roll-up of counts): on every save the context
/// shows each hook the changes about to be written; the work a hook returns runs right after they are written, in the
/// same transaction, so the derived rows commit or roll back with them. Register as a singleton.
/// </summary>
public interface ISaveHook
{
    /// <summary>Reads the pending changes (must not change them); returns what to write once they are written, or null.</summary>
    Func<AppDbContext, CancellationToken, Task>? Prepare(ChangeTracker changes);
}

/// <summary>Every registered <see cref="ISaveHook"/>, resolved once (contexts come from a pool and are bound per request).</summary>
public sealed class SaveHooks(IEnumerable<ISaveHook> hooks)
{
    public IReadOnlyList<ISaveHook> All { get; } = hooks.ToList();
}
