using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Notifications;

public sealed record InboxItem(long Id, NotificationKind Kind, string KindName, string Title, string? Body, string? Link, DateTime CreatedAt, bool Read);

public sealed record DeadlineItem(long Id, string Title, string? Link, DateTime DueAt, DeadlineStatus Status, string StatusName);

/// <summary>The user's own inbox: messages and open deadlines. Another user's message is simply not found.</summary>
public static class InboxApi
{
    public static void MapInboxApi(this RouteGroupBuilder api)
    {
        var inbox = api.MapGroup("/inbox");
        inbox.MapGet("/", ListAsync).WithSummary("我的消息");
        inbox.MapGet("/deadlines", DeadlinesAsync).WithSummary("我的待办期限（正常/临期/超期）");
        inbox.MapPost("/{id:long}/read", MarkReadAsync).WithMetadata(new AllowReadOnlyAttribute()).WithSummary("标记已读");
        inbox.MapPost("/read-all", MarkAllReadAsync).WithMetadata(new AllowReadOnlyAttribute()).WithSummary("全部标记已读");
    }

    public static IQueryable<Notification> Mine(AppDbContext db, CurrentUser user) =>
        db.Notifications.Where(n => n.UserId == user.Id);

    private static async Task<PagedResult<InboxItem>> ListAsync(AppDbContext db, CurrentUser user, bool? unread, int? page, int? pageSize, CancellationToken ct)
    {
        var paging = Paging.From(page, pageSize);
        var query = Mine(db, user);
        if (unread == true)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        var total = await query.CountAsync(ct);
        var rows = await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Skip(paging.Skip).Take(paging.PageSize).ToListAsync(ct);
        var items = rows.Select(n => new InboxItem(n.Id, n.Kind, n.Kind.Label(), n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null)).ToList();
        return new PagedResult<InboxItem>(items, total, paging.Page, paging.PageSize);
    }

    private static async Task<List<DeadlineItem>> DeadlinesAsync(AppDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var rows = await OpenDeadlines(db, user).OrderBy(d => d.DueAt).Take(200).ToListAsync(ct);
        return rows.Select(d => new DeadlineItem(d.Id, d.Title, d.Link, d.DueAt, d.StatusAt(now), d.StatusAt(now).Label())).ToList();
    }

    /// <summary>Open deadlines assigned to the user, or to the user's organisation when no one is assigned.</summary>
    public static IQueryable<Deadline> OpenDeadlines(AppDbContext db, CurrentUser user)
    {
        var userId = user.Id;
        var orgId = user.OrganisationId;
        return db.Deadlines.Where(d => d.CompletedAt == null
            && (d.AssigneeUserId == userId || (d.AssigneeUserId == null && orgId != null && d.OrganisationId == orgId)));
    }

    private static async Task<IResult> MarkReadAsync(long id, AppDbContext db, CurrentUser user, TimeProvider clock, CancellationToken ct)
    {
        var notification = await Mine(db, user).SingleOrDefaultAsync(n => n.Id == id, ct);
        if (notification is null)
        {
            return new NotFoundError("未找到该消息。").ToProblem();
        }

        notification.ReadAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return Results.NoContent();
    }

    private static async Task<IResult> MarkAllReadAsync(AppDbContext db, CurrentUser user, TimeProvider clock, UnreadCounts unread, CancellationToken ct) =>
        Results.Ok(new { marked = await ReadAllAsync(db, user, clock, unread, ct) });

    /// <summary>Marks every unread message of the user read (the API and the inbox page); returns how many.</summary>
    public static async Task<int> ReadAllAsync(AppDbContext db, CurrentUser user, TimeProvider clock, UnreadCounts unread, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var count = await Mine(db, user).Where(n => n.ReadAt == null).ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
        unread.Forget(user.Id ?? 0); // a bulk update: no save hook sees it
        return count;
    }
}
