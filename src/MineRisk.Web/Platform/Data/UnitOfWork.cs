using Microsoft.EntityFrameworkCore.Storage;

namespace MineRisk.Web.Platform.Data;

/// <summary>
/// A transaction around several saves that must land together — or, when the caller already has one open (e.g. an
/// import wrapping many creations), simply part of the caller's: then committing is the caller's business.
/// </summary>
public sealed class UnitOfWork : IAsyncDisposable
{
    private readonly IDbContextTransaction? _own;

    private UnitOfWork(IDbContextTransaction? own) => _own = own;

    public static async Task<UnitOfWork> BeginAsync(AppDbContext db, CancellationToken ct) =>
        new(db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null);

    public Task CommitAsync(CancellationToken ct) => _own?.CommitAsync(ct) ?? Task.CompletedTask;

    public ValueTask DisposeAsync() => _own?.DisposeAsync() ?? ValueTask.CompletedTask;
}
