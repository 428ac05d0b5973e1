using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Shell;

/// <summary>What the layout shows on every page: the user and the unread-message count.</summary>
public sealed class ShellData(AppDbContext db, CurrentUser user)
{
    public CurrentUser User => user;

    public Task<int> UnreadAsync() =>
        user.Id is { } id ? db.Notifications.CountAsync(n => n.UserId == id && n.ReadAt == null) : Task.FromResult(0);
}
