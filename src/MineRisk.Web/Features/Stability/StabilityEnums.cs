using System.ComponentModel.DataAnnotations;

namespace MineRisk.Web.Features.Stability;

public enum AssessmentState
{
    [Display(Name = "草稿")] Draft = 1,
    [Display(Name = "已提交")] Submitted = 2,
    [Display(Name = "已审批")] Approved = 3,
    [Display(Name = "已退回")] Returned = 4,
}

public enum AssessmentAction
{
    [Display(Name = "提交")] Submit = 1,
    [Display(Name = "审批通过")] Approve = 2,
    [Display(Name = "退回")] Return = 3,
}

/// <summary>不稳定因素类别 (DOMAIN §4, seeds 000 and 003).</summary>
public enum ConflictCategory
{
    [Display(Name = "资产债务")] AssetsDebt = 1,
    [Display(Name = "借贷")] Loans = 2,
    [Display(Name = "欠薪")] WageArrears = 3,
    [Display(Name = "职工安置")] Resettlement = 4,
    [Display(Name = "法律纠纷")] Legal = 5,
    [Display(Name = "矿村矛盾")] MineVillage = 6,
    [Display(Name = "饮水")] Water = 7,
    [Display(Name = "房屋震损")] HouseDamage = 8,
    [Display(Name = "环境污染")] Pollution = 9,
    [Display(Name = "补偿")] Compensation = 10,
    [Display(Name = "其他")] Other = 11,
}

/// <summary>挂号 → 化解中 → 申请销号 → 已销号, with 反弹 back to 化解中.</summary>
public enum ConflictState
{
    [Display(Name = "挂号")] Registered = 1,
    [Display(Name = "化解中")] Resolving = 2,
    [Display(Name = "申请销号")] Claimed = 3,
    [Display(Name = "已销号")] Closed = 4,
}

public enum ConflictAction
{
    [Display(Name = "开始化解")] Start = 1,
    [Display(Name = "申请销号")] Claim = 2,
    [Display(Name = "销号")] Close = 3,
    [Display(Name = "驳回销号申请")] Reject = 4,
    [Display(Name = "反弹")] Rebound = 5,
}

/// <summary>“十到位” (seed 000): the ten things in place for every mine in the 整治重组.</summary>
public enum TenItem
{
    [Display(Name = "服务大局到位")] ServeOverall = 1,
    [Display(Name = "群众工作到位")] MassWork = 2,
    [Display(Name = "政策宣传到位")] PolicyPublicity = 3,
    [Display(Name = "走访调查到位")] Visits = 4,
    [Display(Name = "依法评估到位")] LawfulAssessment = 5,
    [Display(Name = "隐患消除到位")] HazardRemoval = 6,
    [Display(Name = "结果运用到位")] ResultUse = 7,
    [Display(Name = "统筹协调到位")] Coordination = 8,
    [Display(Name = "金融服务到位")] FinancialService = 9,
    [Display(Name = "应急处置到位")] EmergencyResponse = 10,
}
