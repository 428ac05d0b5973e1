using System.ComponentModel.DataAnnotations;

namespace MineRisk.Web.Features.Hazards;

/// <summary>隐患等级 (DOMAIN §3): 一般 can be fixed at once; 重大 is one of the 判定标准's items.</summary>
public enum HazardLevel
{
    [Display(Name = "一般隐患")] General = 1,
    [Display(Name = "重大隐患")] Major = 2,
}

/// <summary>Where a hazard was found (DOMAIN §3).</summary>
public enum HazardSource
{
    [Display(Name = "企业自查")] SelfCheck = 1,
    [Display(Name = "监管检查")] Inspection = 2,
    [Display(Name = "举报")] Report = 3,
    [Display(Name = "监测预警")] Monitoring = 4,
    [Display(Name = "上级督办")] Supervision = 5,
}

/// <summary>
/// 登记 → 定级 → 整改中 → 待验收 → 已销号 (验收不通过 and 重新打开 go back to 整改中). 已销号 stays the highest value:
/// queries select open hazards as <c>State &lt; Closed</c>, a range the (state, due_on) index can read (<c>!=</c> cannot).
/// </summary>
public enum HazardState
{
    [Display(Name = "已登记")] Registered = 1,
    [Display(Name = "已定级")] Graded = 2,
    [Display(Name = "整改中")] Rectifying = 3,
    [Display(Name = "待验收")] AwaitingVerification = 4,
    [Display(Name = "已销号")] Closed = 5,
}

public enum HazardAction
{
    [Display(Name = "定级")] Grade = 1,
    [Display(Name = "治理方案")] Plan = 2,
    [Display(Name = "开始整改")] Start = 3,
    [Display(Name = "提交验收")] Submit = 4,
    [Display(Name = "验收")] Verify = 5,
    [Display(Name = "重新打开")] Reopen = 6,
    [Display(Name = "延期")] Extend = 7,
    [Display(Name = "挂牌督办")] List = 8,
    [Display(Name = "销牌")] Delist = 9,
}

/// <summary>整改前 / 整改后 photos.</summary>
public enum PhotoStage
{
    [Display(Name = "整改前")] Before = 1,
    [Display(Name = "整改后")] After = 2,
}

/// <summary>What a 回马枪 revisit found for one closed hazard.</summary>
public enum RevisitOutcome
{
    [Display(Name = "待复查")] Pending = 0,
    [Display(Name = "整改到位")] Confirmed = 1,
    [Display(Name = "重新打开")] Reopened = 2,
}
