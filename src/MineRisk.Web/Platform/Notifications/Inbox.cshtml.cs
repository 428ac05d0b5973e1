using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Notifications;

public sealed class InboxModel(AppDbContext db, CurrentUser user, TimeProvider clock, UnreadCounts unread) : PageModel
{
    public bool UnreadOnly { get; private set; }

    public int UnreadCount { get; private set; }

    public List<InboxItem> Items { get; private set; } = [];

    public List<DeadlineItem> Deadlines { get; private set; } = [];

    public async Task OnGetAsync(bool? unread, CancellationToken ct)
    {
        UnreadOnly = unread == true;
        var query = InboxApi.Mine(db, user);
        UnreadCount = await query.CountAsync(n => n.ReadAt == null, ct);
        if (UnreadOnly)
        {
            query = query.Where(n => n.ReadAt == null);
        }

        Items = (await query.OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(100).ToListAsync(ct))
            .Select(n => new InboxItem(n.Id, n.Kind, n.Kind.Label(), n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt != null)).ToList();
        var now = clock.GetUtcNow().UtcDateTime;
        Deadlines = (await InboxApi.OpenDeadlines(db, user).OrderBy(d => d.DueAt).Take(100).ToListAsync(ct))
            .Select(d => new DeadlineItem(d.Id, d.Title, d.Link, d.DueAt, d.StatusAt(now), d.StatusAt(now).Label())).ToList();
    }

    [AllowReadOnly]
    public async Task<IActionResult> OnPostReadAsync(long id, CancellationToken ct)
    {
        var notification = await InboxApi.Mine(db, user).SingleOrDefaultAsync(n => n.Id == id, ct);
        if (notification is null)
        {
            return NotFound();
        }

        notification.ReadAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return RedirectToPage();
    }

    [AllowReadOnly]
    public async Task<IActionResult> OnPostReadAllAsync(CancellationToken ct)
    {
        await InboxApi.ReadAllAsync(db, user, clock, unread, ct);
        return RedirectToPage();
    }
}
