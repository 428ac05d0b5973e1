using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MineRisk.Web.Platform.Audit;

/// <summary>
/// One step of the audit trail (全过程记录): who changed what, when, before and after. Append-only; each entry
/// holds the hash of the previous one, so an edited, inserted or deleted row breaks the chain (DESIGN §1).
/// </summary>
public sealed class AuditEntry
{
    /// <summary>Consecutive from 1, assigned under the chain lock (a gap is itself evidence of deletion).</summary>
    public long Id { get; set; }

    /// <summary>UTC, truncated to microseconds so that it survives a round trip through either database.</summary>
    public DateTime At { get; set; }

    public long? UserId { get; set; }

    public string UserName { get; set; } = "";

    /// <summary>新增 / 修改 / 删除, or an event such as 登录成功.</summary>
    public string Action { get; set; } = "";

    /// <summary>The table of the changed row (empty for events).</summary>
    public string EntityType { get; set; } = "";

    /// <summary>The Chinese name of the kind of thing, e.g. 用户.</summary>
    public string EntityName { get; set; } = "";

    public string? EntityId { get; set; }

    /// <summary>The region of the changed thing when it belongs to a jurisdiction (for scoped listing).</summary>
    public string? RegionCode { get; set; }

    public string? Summary { get; set; }

    /// <summary>JSON of the changed fields before the change (null when created).</summary>
    public string? Before { get; set; }

    /// <summary>JSON of the changed fields after the change (null when deleted).</summary>
    public string? After { get; set; }

    public string PrevHash { get; set; } = "";

    public string Hash { get; set; } = "";
}

/// <summary>The canonical form and hash of an entry (SHA-256 over a fixed-order JSON array).</summary>
public static class AuditHash
{
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    private static readonly JsonSerializerOptions Canonical = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Compute(AuditEntry e)
    {
        var fields = new object?[]
        {
            e.Id,
            e.At.ToString("yyyy-MM-ddTHH:mm:ss.ffffff", CultureInfo.InvariantCulture),
            e.UserId,
            e.UserName,
            e.Action,
            e.EntityType,
            e.EntityName,
            e.EntityId,
            e.RegionCode,
            e.Summary,
            e.Before,
            e.After,
            e.PrevHash,
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(fields, Canonical);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>Drops the sub-microsecond ticks PostgreSQL cannot store.</summary>
    public static DateTime Truncate(DateTime utc) =>
        DateTime.SpecifyKind(new DateTime(utc.Ticks - (utc.Ticks % 10)), DateTimeKind.Utc);
}
