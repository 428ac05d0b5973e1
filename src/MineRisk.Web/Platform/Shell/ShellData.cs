using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Shell;

/// <summary>What the layout shows on every page: the user and the unread-message count.</summary>
public sealed class ShellData(AppDbContext db, CurrentUser user)
{
    public CurrentUser User => user;

    /// <summary>Unread messages; 0 when the database cannot answer (the error page must render even then).</summary>
    public async Task<int> UnreadAsync()
    {
        if (user.Id is not { } id)
        {
            return 0;
        }

        try
        {
            return await db.Notifications.CountAsync(n => n.UserId == id && n.ReadAt == null);
        }
        catch (Exception ex) when (Errors.ExceptionHandling.IsDatabaseUnavailable(ex))
        {
            return 0;
        }
    }
}
