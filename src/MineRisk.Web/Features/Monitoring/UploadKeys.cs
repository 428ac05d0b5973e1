using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Monitoring;

public sealed record UploadKeyView(long Id, string KeyId, string? Note, DateTime CreatedAt, string CreatedByName, DateTime? RevokedAt, string? RevokedByName);

/// <summary>The answer to creating a key: the only time the full key is shown.</summary>
public sealed record NewUploadKey(long Id, string KeyId, string Key, string MineCode, string Hint);

/// <summary>
/// Per-mine upload keys: <c>mrk_{keyId}_{secret}</c>, 64 random bits of id and 256 of secret. Only the SHA-256 of the secret
/// is stored. Checks are answered from a per-instance cache of every key, reloaded whole (one query) when it is older than
/// <see cref="CacheFor"/>: a revocation on this instance takes effect at once, on another one within <see cref="CacheFor"/>.
/// (A lookup per key every few seconds was a query per file at national rate, where a mine sends every 30 s.) A key not
/// in the cache, e.g. just made on another instance, is looked up by itself.
/// </summary>
public sealed class UploadKeys(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const string Header = "X-Upload-Key";

    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(10);

    private readonly SemaphoreSlim _reloading = new(1, 1);

    private ConcurrentDictionary<string, (long MineId, byte[] Hash, bool Revoked)> _cache = new(StringComparer.Ordinal);

    private DateTime _loadedAt = DateTime.MinValue;

    /// <summary>Keys revoked by this instance: refused at once, even by a reload that read the key just before.</summary>
    private readonly ConcurrentDictionary<string, bool> _revokedHere = new(StringComparer.Ordinal);

    /// <summary>Who may manage keys: administrators and regulators (not the mine itself, not read-only users).</summary>
    public static bool MayManage(CurrentUser user) => Roles.Regulators.Any(user.IsInRole);

    /// <summary>The mine a presented key belongs to, or why it is refused.</summary>
    public async Task<Result<long>> CheckAsync(string? presented, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(presented))
        {
            return new UnauthorizedError($"缺少上传密钥：请在请求头 {Header} 中提供本矿的上传密钥。");
        }

        var parts = presented.Trim().Split('_');
        if (parts.Length != 3 || parts[0] != "mrk" || parts[1].Length is 0 or > 20 || parts[2].Length is 0 or > 100)
        {
            return new UnauthorizedError("上传密钥格式不正确。");
        }

        if (clock.GetUtcNow().UtcDateTime - _loadedAt > CacheFor)
        {
            await ReloadAsync(ct);
        }

        if (!_cache.TryGetValue(parts[1], out var entry))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Scope = UserScope.System;
            var row = await db.Set<UploadKey>().AsNoTracking().Where(k => k.KeyId == parts[1])
                .Select(k => new { k.MineId, k.SecretHash, k.RevokedAt }).SingleOrDefaultAsync(ct);
            if (row is null)
            {
                return new UnauthorizedError("上传密钥无效。");
            }

            entry = (row.MineId, Convert.FromHexString(row.SecretHash), row.RevokedAt is not null);
            _cache[parts[1]] = entry;
        }

        if (!CryptographicOperations.FixedTimeEquals(Hash(parts[2]), entry.Hash))
        {
            return new UnauthorizedError("上传密钥无效。");
        }

        if (entry.Revoked || _revokedHere.ContainsKey(parts[1]))
        {
            return new UnauthorizedError("上传密钥已被吊销，请向监管部门申请新密钥。");
        }

        return entry.MineId;
    }

    /// <summary>Every key at once (one caller reloads; the others wait for it rather than query too).</summary>
    private async Task ReloadAsync(CancellationToken ct)
    {
        var started = clock.GetUtcNow().UtcDateTime;
        await _reloading.WaitAsync(ct);
        try
        {
            if (clock.GetUtcNow().UtcDateTime - _loadedAt <= CacheFor)
            {
                return; // reloaded by another caller meanwhile
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Scope = UserScope.System;
            var rows = await db.Set<UploadKey>().AsNoTracking().Select(k => new { k.KeyId, k.MineId, k.SecretHash, k.RevokedAt }).ToListAsync(ct);
            var cache = new ConcurrentDictionary<string, (long MineId, byte[] Hash, bool Revoked)>(StringComparer.Ordinal);
            foreach (var k in rows)
            {
                cache[k.KeyId] = (k.MineId, Convert.FromHexString(k.SecretHash), k.RevokedAt is not null);
            }

            _cache = cache;
            _loadedAt = started;
        }
        finally
        {
            _reloading.Release();
        }
    }

    public static async Task<List<UploadKeyView>> ListAsync(AppDbContext db, long mineId, CancellationToken ct) =>
        await db.Set<UploadKey>().AsNoTracking().Where(k => k.MineId == mineId).OrderByDescending(k => k.Id)
            .Select(k => new UploadKeyView(k.Id, k.KeyId, k.Note, k.CreatedAt, k.CreatedByName, k.RevokedAt, k.RevokedByName)).ToListAsync(ct);

    public async Task<Result<NewUploadKey>> CreateAsync(AppDbContext db, CurrentUser user, long mineId, string? note, CancellationToken ct)
    {
        var mine = await db.Set<Mine>().AsNoTracking().Where(m => m.Id == mineId).Select(m => new { m.Id, m.Code, m.RegionCode, m.EnterpriseId }).SingleOrDefaultAsync(ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        if (!MayManage(user))
        {
            return new ForbiddenError("只有系统管理员和监管部门可以管理上传密钥。");
        }

        note = note?.Trim();
        if (note is { Length: > 100 })
        {
            return ValidationError.For("note", "备注不超过 100 字。");
        }

        var keyId = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var key = new UploadKey
        {
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            KeyId = keyId,
            SecretHash = Convert.ToHexStringLower(Hash(secret)),
            Note = string.IsNullOrEmpty(note) ? null : note,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            CreatedById = user.Id,
            CreatedByName = user.DisplayName,
        };
        db.Add(key);
        await db.SaveChangesAsync(ct);
        return new NewUploadKey(key.Id, keyId, $"mrk_{keyId}_{secret}", mine.Code,
            $"密钥只显示这一次，请立即交给煤矿。上传时在请求头 {Header} 中携带：PUT /api/v1/feeds/{{文件名}}。");
    }

    public async Task<Result> RevokeAsync(AppDbContext db, CurrentUser user, long mineId, long keyId, CancellationToken ct)
    {
        var key = await db.Set<UploadKey>().SingleOrDefaultAsync(k => k.Id == keyId && k.MineId == mineId, ct);
        if (key is null)
        {
            return new NotFoundError("未找到该上传密钥，或它不在您的管辖范围内。");
        }

        if (!MayManage(user))
        {
            return new ForbiddenError("只有系统管理员和监管部门可以管理上传密钥。");
        }

        if (key.RevokedAt is not null)
        {
            return new ConflictError("该密钥已被吊销。");
        }

        key.RevokedAt = clock.GetUtcNow().UtcDateTime;
        key.RevokedByName = user.DisplayName;
        await db.SaveChangesAsync(ct);
        _revokedHere[key.KeyId] = true;
        _cache.TryRemove(key.KeyId, out _);
        return Result.Ok;
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));
}
