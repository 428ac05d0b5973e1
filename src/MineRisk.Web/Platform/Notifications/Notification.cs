using System.ComponentModel.DataAnnotations;
using MineRisk.Web.Platform.Audit;

namespace MineRisk.Web.Platform.Notifications;

public enum NotificationKind
{
    [Display(Name = "临期提醒")] DueSoon = 1,
    [Display(Name = "超期提醒")] Overdue = 2,
    [Display(Name = "上级督办")] Supervision = 3,
    [Display(Name = "任务指派")] Assigned = 4,
    [Display(Name = "系统消息")] System = 5,
}

/// <summary>A message in one user's in-app inbox (站内消息).</summary>
[NotAudited("消息是派生的提醒：产生它的指派、期限升级等动作本身已记入审计；已读标记不是业务记录。")]
public sealed class Notification
{
    public long Id { get; init; }

    public long UserId { get; init; }

    public NotificationKind Kind { get; init; }

    public required string Title { get; init; }

    public string? Body { get; init; }

    public string? Link { get; init; }

    public long? DeadlineId { get; init; }

    public DateTime CreatedAt { get; init; }

    public DateTime? ReadAt { get; set; }
}
