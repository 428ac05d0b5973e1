namespace MineRisk.Web.Platform.Shell;

/// <summary>A module of DESIGN §1 as the navigation shows it.</summary>
public sealed record ModuleInfo(string Key, string Name, string Icon, string Path, string Description, bool Built)
{
    /// <summary>Where the navigation leads: the module's page, or the page that says what is coming.</summary>
    public string Href => Built ? Path : $"/soon/{Key}";
}

/// <summary>The modules in navigation order. A module flips <c>Built</c> when its pages exist.</summary>
public static class ModuleCatalog
{
    public static readonly IReadOnlyList<ModuleInfo> All =
    [
        new("mines", "一矿一档", "bi-building", "/mines", "煤矿名录与一矿一档：证照与到期提醒、关键岗位人员资格、处置方案（一矿一方案）、状态与产能变更历史、Excel 导入导出。", true),
        new("stability", "维稳", "bi-shield-check", "/stability", "一矿一评估（高/中/低）、不稳定因素台账（挂号→化解→销号，包案领导）、一矿一专班与巡查日志、十到位清单、每月汇总。", true),
        new("hazards", "隐患排查治理", "bi-exclamation-triangle", "/hazards", "隐患登记、定级、整改、验收、销号全过程；重大隐患治理方案与挂牌督办；回马枪复查；企业自查自改自报；重大隐患季度报告。", true),
        new("petitions", "信访", "bi-envelope-paper", "/petitions", "来信、来访、网上信访登记，法定办理期限，答复、复查、复核，重复访识别，领导接访日，批次/人次统计。", false),
        new("incidents", "突发事件", "bi-lightning", "/incidents", "群体性事件、个人极端事件、生产安全事故：到场与报告时限、专报、善后、损失评估、原因分析；“五个零”目标跟踪。", false),
        new("inspections", "监管执法", "bi-clipboard-check", "/inspections", "年度与月度执法计划、矿×月全覆盖、四不两直与回马枪检查、发现问题转隐患、行政处罚与文号、严重失信名单。", false),
        new("monitoring", "监测预警", "bi-activity", "/monitoring", "安全监控与人员位置数据文件接入，测点实时状态，超限、断电、断线、超员报警，报警处置与转隐患。", true),
        new("cockpit", "驾驶舱与报表", "bi-speedometer2", "/cockpit", "全市驾驶舱（ECharts），日报、月报、专报（Word），各台账 Excel 导出。", false),
    ];

    public static ModuleInfo? Find(string key) => All.FirstOrDefault(m => m.Key == key);
}
