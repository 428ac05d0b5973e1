using System.ComponentModel.DataAnnotations;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>What an alarm is about (DOMAIN §8; issue 6 item 3).</summary>
public enum AlarmType : byte
{
    /// <summary>A reading at or beyond its point's alarm threshold (上限报警 or 下限报警).</summary>
    [Display(Name = "超限报警")] OverLimit = 1,

    /// <summary>A reading at or beyond the power-off threshold: power must be cut; cleared by 复电.</summary>
    [Display(Name = "断电")] PowerOff = 2,

    /// <summary>A point silent longer than <c>Monitoring:SilentAfter</c> while its mine still sends.</summary>
    [Display(Name = "测点断线")] PointSilent = 3,

    /// <summary>A whole mine silent longer than <c>Monitoring:SilentAfter</c>.</summary>
    [Display(Name = "矿井数据中断")] MineSilent = 4,

    /// <summary>People in an area (or the mine) above its 核定人数.</summary>
    [Display(Name = "超员")] Overcrowded = 5,

    /// <summary>People underground in a shift without a mine leader (领导带班下井).</summary>
    [Display(Name = "矿领导未带班")] LeaderAbsent = 6,

    /// <summary>A point whose configured thresholds are looser than 《煤矿安全规程》 for its location.</summary>
    [Display(Name = "阈值宽于规程")] LooseThreshold = 7,

    /// <summary>An abnormality the mine's own system reported (YCBJ) that has no platform type of its own.</summary>
    [Display(Name = "煤矿上报异常")] Reported = 8,
}

/// <summary>Who raised an alarm: the platform's own check of the readings, or the mine's system (YCBJ).</summary>
public enum AlarmSource : byte
{
    [Display(Name = "平台研判")] Platform = 1,
    [Display(Name = "煤矿上报")] Mine = 2,
}

/// <summary>Alarm lifecycle: active → acknowledged → cleared → disposed (an alarm may also clear before anyone acknowledges it).</summary>
public enum AlarmState : byte
{
    [Display(Name = "报警中")] Active = 1,
    [Display(Name = "已确认")] Acknowledged = 2,
    [Display(Name = "已解除")] Cleared = 3,
    [Display(Name = "已处置")] Disposed = 4,
}

public enum AlarmAction : byte
{
    [Display(Name = "确认")] Acknowledge = 1,

    /// <summary>The condition ended (the system's action, never a person's).</summary>
    [Display(Name = "解除")] Clear = 2,

    [Display(Name = "处置")] Dispose = 3,
}

/// <summary>Where an upload file stands.</summary>
public enum FeedStatus : byte
{
    /// <summary>Checked, archived and acknowledged; waiting to be applied (durable: applied after a crash too).</summary>
    [Display(Name = "已接收")] Accepted = 1,

    [Display(Name = "已入库")] Applied = 2,

    [Display(Name = "已拒收")] Rejected = 3,

    /// <summary>Acknowledged but could not be applied (a bug or a damaged archive): kept for an operator, never lost silently.</summary>
    [Display(Name = "处理失败")] Failed = 4,
}

/// <summary>The two doors into intake.</summary>
public enum FeedDoor : byte
{
    [Display(Name = "接口上传")] Http = 1,
    [Display(Name = "收件目录")] Inbox = 2,
}
