using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Audit;

/// <summary>The result of a verification run: <c>{"ok":true,"entries":N}</c> or the first broken entry.</summary>
public sealed record AuditVerification(bool Ok, long Entries, long? FirstBrokenId, string? Reason, string? HeadHash);

/// <summary>
/// Walks the whole chain in order and recomputes every hash: an edited row (hash mismatch), a deleted or inserted
/// row (id gap or broken link) is found and named. The newest rows can only be vouched for by comparing the head
/// hash with one recorded elsewhere (see docs/OPERATIONS.md).
/// </summary>
public sealed class AuditVerifier(AppDbContext db)
{
    public async Task<AuditVerification> VerifyAsync(CancellationToken ct)
    {
        var expectedId = 1L;
        var previous = AuditHash.Genesis;
        var count = 0L;
        var entries = db.AuditEntries.IgnoreQueryFilters().AsNoTracking().OrderBy(e => e.Id).AsAsyncEnumerable();
        await foreach (var entry in entries.WithCancellation(ct))
        {
            if (entry.Id != expectedId)
            {
                return new AuditVerification(false, count, entry.Id, $"第 {expectedId} 至 {entry.Id - 1} 条记录缺失（已被删除）。", null);
            }

            if (entry.PrevHash != previous)
            {
                return new AuditVerification(false, count, entry.Id, $"第 {entry.Id} 条记录的前序哈希与第 {entry.Id - 1} 条不符（链被改动）。", null);
            }

            if (AuditHash.Compute(entry) != entry.Hash)
            {
                return new AuditVerification(false, count, entry.Id, $"第 {entry.Id} 条记录的内容与其哈希不符（记录被修改）。", null);
            }

            previous = entry.Hash;
            expectedId++;
            count++;
        }

        return new AuditVerification(true, count, null, null, count == 0 ? null : previous);
    }
}
