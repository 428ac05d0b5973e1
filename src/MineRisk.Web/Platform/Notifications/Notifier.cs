using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Notifications;

/// <summary>Puts messages into users' inboxes (added to the caller's unit of work; the caller saves).</summary>
public sealed class Notifier(AppDbContext db, TimeProvider clock)
{
    public void Notify(IEnumerable<long> userIds, NotificationKind kind, string title, string? body = null, string? link = null, long? deadlineId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var userId in userIds.Distinct())
        {
            db.Notifications.Add(new Notification
            {
                UserId = userId,
                Kind = kind,
                Title = title,
                Body = body,
                Link = link,
                DeadlineId = deadlineId,
                CreatedAt = now,
            });
        }
    }

    /// <summary>Users of an organisation.</summary>
    public Task<List<long>> MembersOfAsync(long organisationId, CancellationToken ct) =>
        db.Users.Where(u => u.OrganisationId == organisationId).Select(u => u.Id).ToListAsync(ct);

    /// <summary>
    /// Regulators (users with a regulator role) whose organisation sits exactly at <paramref name="regionCode"/>.
    /// Whom to tell is not a read of the caller's data: an enterprise user reporting a hazard must reach the county,
    /// whose organisation its scope does not show, so the organisation filter is lifted here.
    /// </summary>
    public async Task<List<long>> RegulatorsAtAsync(string regionCode, CancellationToken ct)
    {
        var roleIds = await db.Roles.Where(r => Roles.Regulators.Contains(r.Name!)).Select(r => r.Id).ToListAsync(ct);
        return await db.Users.IgnoreQueryFilters()
            .Where(u => u.Organisation!.RegionCode == regionCode && db.UserRoles.Any(ur => ur.UserId == u.Id && roleIds.Contains(ur.RoleId)))
            .Select(u => u.Id)
            .ToListAsync(ct);
    }
}
