using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Workflow;

/// <summary>One step of an item's history as pages and the API show it, with its attachments.</summary>
public sealed record TimelineView(DateTime At, string Action, string? FromState, string? ToState, string ActorName, string? Note, IReadOnlyList<AttachmentInfo> Attachments);

public static class Timelines
{
    /// <summary>The whole history of one item, oldest first (the caller has already checked the item is in scope).</summary>
    public static async Task<List<TimelineView>> LoadAsync(AppDbContext db, string subject, long id, CancellationToken ct)
    {
        var entries = await db.Timeline.AsNoTracking().Where(t => t.SubjectType == subject && t.SubjectId == id).OrderBy(t => t.At).ThenBy(t => t.Id).ToListAsync(ct);
        var attachments = await db.Attachments.AsNoTracking().Where(a => a.OwnerType == subject && a.OwnerId == id).ToDictionaryAsync(a => a.Id, ct);
        return entries.Select(e => new TimelineView(e.At, e.Action, e.FromState, e.ToState, e.ActorName, e.Note,
            (e.AttachmentIds ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(long.Parse)
                .Where(attachments.ContainsKey).Select(a => AttachmentApi.Info(attachments[a])).ToList())).ToList();
    }
}
