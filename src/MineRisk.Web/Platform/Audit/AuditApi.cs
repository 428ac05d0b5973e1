using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Audit;

public sealed record AuditItem(long Id, DateTime At, string UserName, string Action, string EntityName, string? EntityId, string? Summary, string? Before, string? After, string Hash)
{
    /// <summary>The fields of a before/after JSON object as text, for display (long values shortened).</summary>
    public static IReadOnlyList<(string Key, string Value)> Fields(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
            {
                return [("值", json)];
            }

            return document.RootElement.EnumerateObject()
                .Select(p => (p.Name, p.Value.ValueKind switch
                {
                    System.Text.Json.JsonValueKind.Null => "（空）",
                    System.Text.Json.JsonValueKind.String => Shorten(p.Value.GetString() ?? ""),
                    _ => Shorten(p.Value.GetRawText()),
                }))
                .ToList();
        }
        catch (System.Text.Json.JsonException)
        {
            return [("值", Shorten(json))];
        }
    }

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}

/// <summary>Filters of the audit list (page and API share them).</summary>
public sealed record AuditFilter(string? User, string? Action, string? Entity, string? Q, DateOnly? From, DateOnly? To)
{
    public IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> query)
    {
        if (!string.IsNullOrWhiteSpace(User))
        {
            query = query.Where(e => e.UserName.Contains(User.Trim()));
        }

        if (!string.IsNullOrWhiteSpace(Action))
        {
            query = query.Where(e => e.Action == Action);
        }

        if (!string.IsNullOrWhiteSpace(Entity))
        {
            query = query.Where(e => e.EntityName == Entity || e.EntityType == Entity);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            query = query.Where(e => e.Summary!.Contains(Q.Trim()) || e.EntityId == Q.Trim());
        }

        if (From is { } from)
        {
            var start = ChinaTime.StartOfDay(from);
            query = query.Where(e => e.At >= start);
        }

        if (To is { } to)
        {
            var end = ChinaTime.StartOfDay(to.AddDays(1));
            query = query.Where(e => e.At < end);
        }

        return query;
    }
}

public static class AuditApi
{
    public static void MapAuditApi(this RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").RequireAuthorization(PlatformSetup.AdminPolicy);
        audit.MapGet("/", ListAsync).WithSummary("审计记录（分页、筛选）");
        audit.MapGet("/verify", VerifyAsync).WithSummary("核验审计链：{ok, entries} 或 {ok:false, firstBrokenId}");
    }

    private static async Task<PagedResult<AuditItem>> ListAsync(AppDbContext db, string? user, string? action, string? entity, string? q,
        DateOnly? from, DateOnly? to, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize, 50);
        var query = new AuditFilter(user, action, entity, q, from, to).Apply(db.AuditEntries.AsNoTracking());
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(e => new AuditItem(e.Id, e.At, e.UserName, e.Action, e.EntityName, e.EntityId, e.Summary, e.Before, e.After, e.Hash))
            .ToListAsync(ct);
        return new PagedResult<AuditItem>(items, total, paging.Page, paging.PageSize);
    }

    private static async Task<IResult> VerifyAsync(AuditVerifier verifier, AppDbContext db, CancellationToken ct)
    {
        var result = await verifier.VerifyAsync(ct);
        db.AuditEvent(new AuditEvent("核验审计链", result.Ok ? $"核验通过，共 {result.Entries} 条" : $"核验发现问题：{result.Reason}"));
        await db.SaveChangesAsync(ct);
        return result.Ok
            ? Results.Ok(new { ok = true, entries = result.Entries, headHash = result.HeadHash })
            : Results.Ok(new { ok = false, firstBrokenId = result.FirstBrokenId, entries = result.Entries, reason = result.Reason });
    }
}
