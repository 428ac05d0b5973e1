using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Notifications;

namespace MineRisk.Web.Platform.Shell;

/// <summary>What the layout shows on every page: the user and the unread-message count.</summary>
public sealed class ShellData(AppDbContext db, CurrentUser user, UnreadCounts counts)
{
    public CurrentUser User => user;

    /// <summary>The badge shows up to this many unread messages, then "99+": counting a regulator's thousands on every page cost more than the page's own list.</summary>
    public const int UnreadShown = 99;

    /// <summary>Unread messages, counted up to <see cref="UnreadShown"/> + 1 (kept a few seconds: <see cref="UnreadCounts"/>); 0 when the database cannot answer (the error page must render even then).</summary>
    public async Task<int> UnreadAsync()
    {
        if (user.Id is not { } id)
        {
            return 0;
        }

        try
        {
            return await counts.GetAsync(db, id, UnreadShown, CancellationToken.None);
        }
        catch (Exception ex) when (Errors.ExceptionHandling.IsDatabaseUnavailable(ex))
        {
            return 0;
        }
    }
}
