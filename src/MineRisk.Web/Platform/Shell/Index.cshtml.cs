using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Notifications;

namespace MineRisk.Web.Platform.Shell;

public sealed class IndexModel(AppDbContext db, CurrentUser user, TimeProvider clock) : PageModel
{
    public string DisplayName => user.DisplayName;

    public string OrganisationName => user.OrganisationName;

    public string ScopeDescription => user.Scope.Description;

    public string Greeting { get; private set; } = "您好";

    public int Unread { get; private set; }

    public int Open { get; private set; }

    public int DueSoon { get; private set; }

    public int Overdue { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var hour = ChinaTime.ToChina(now).Hour;
        Greeting = hour < 12 ? "上午好" : hour < 18 ? "下午好" : "晚上好";
        Unread = await InboxApi.Mine(db, user).CountAsync(n => n.ReadAt == null, ct);
        var open = await InboxApi.OpenDeadlines(db, user).ToListAsync(ct);
        Open = open.Count;
        DueSoon = open.Count(d => d.StatusAt(now) == DeadlineStatus.DueSoon);
        Overdue = open.Count(d => d.StatusAt(now) == DeadlineStatus.Overdue);
    }
}
