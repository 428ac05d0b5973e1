using System.ComponentModel.DataAnnotations;

namespace MineRisk.Web.Features.Mines;

/// <summary>生产状态 (DOMAIN §2).</summary>
public enum MineStatus
{
    [Display(Name = "正常生产")] Producing = 1,
    [Display(Name = "正常建设")] UnderConstruction = 2,
    [Display(Name = "停产整顿")] SuspendedForRectification = 3,
    [Display(Name = "停建")] ConstructionHalted = 4,
    [Display(Name = "技改")] TechnicalUpgrade = 5,
    [Display(Name = "长期停产(僵尸煤矿)")] LongIdle = 6,
    [Display(Name = "已关闭")] Closed = 7,
}

/// <summary>处置类别 (seed 000): every mine of the 整治重组 is put in one of three lists.</summary>
public enum Disposition
{
    [Display(Name = "单独保留")] Retain = 1,
    [Display(Name = "整合重组")] Merge = 2,
    [Display(Name = "关闭退出")] CloseExit = 3,
}

public enum MiningMethod
{
    [Display(Name = "综合机械化")] FullyMechanized = 1,
    [Display(Name = "机械化")] Mechanized = 2,
    [Display(Name = "普采")] Conventional = 3,
    [Display(Name = "炮采")] Blasting = 4,
    [Display(Name = "其他")] Other = 5,
}

/// <summary>瓦斯等级.</summary>
public enum GasLevel
{
    [Display(Name = "低瓦斯")] Low = 1,
    [Display(Name = "高瓦斯")] High = 2,
    [Display(Name = "煤与瓦斯突出")] Outburst = 3,
}

/// <summary>水文地质类型.</summary>
public enum HydroType
{
    [Display(Name = "简单")] Simple = 1,
    [Display(Name = "中等")] Medium = 2,
    [Display(Name = "复杂")] Complex = 3,
    [Display(Name = "极复杂")] VeryComplex = 4,
}

/// <summary>煤层自然发火倾向.</summary>
public enum CombustionTendency
{
    [Display(Name = "容易自燃")] Easy = 1,
    [Display(Name = "自燃")] Prone = 2,
    [Display(Name = "不易自燃")] NotProne = 3,
}

/// <summary>安全生产标准化等级 (DOMAIN §2).</summary>
public enum StandardizationLevel
{
    [Display(Name = "一级")] Level1 = 1,
    [Display(Name = "二级")] Level2 = 2,
    [Display(Name = "三级")] Level3 = 3,
    [Display(Name = "未达标")] Substandard = 4,
}

public enum LicenceKind
{
    [Display(Name = "采矿许可证")] MiningRight = 1,
    [Display(Name = "安全生产许可证")] SafetyProduction = 2,
    [Display(Name = "营业执照")] Business = 3,
}

/// <summary>关键岗位 (seed 001): five full-time leaders and six kinds of professional technician.</summary>
public enum KeyPosition
{
    [Display(Name = "矿长")] MineManager = 1,
    [Display(Name = "安全副矿长")] SafetyDeputy = 2,
    [Display(Name = "生产副矿长")] ProductionDeputy = 3,
    [Display(Name = "机电副矿长")] MechanicalDeputy = 4,
    [Display(Name = "总工程师")] ChiefEngineer = 5,
    [Display(Name = "采煤技术员")] MiningTechnician = 11,
    [Display(Name = "掘进技术员")] TunnellingTechnician = 12,
    [Display(Name = "通风和瓦斯防治技术员")] VentilationTechnician = 13,
    [Display(Name = "防治水技术员")] WaterTechnician = 14,
    [Display(Name = "机电运输技术员")] MechanicalTechnician = 15,
    [Display(Name = "地质测量技术员")] SurveyTechnician = 16,
}

/// <summary>学历, in increasing order.</summary>
public enum Education
{
    [Display(Name = "高中及以下")] HighSchool = 1,
    [Display(Name = "中专")] Secondary = 2,
    [Display(Name = "大专")] College = 3,
    [Display(Name = "本科")] Bachelor = 4,
    [Display(Name = "研究生")] Postgraduate = 5,
}

public enum EnterpriseKind
{
    [Display(Name = "煤矿企业")] Company = 1,
    [Display(Name = "集团")] Group = 2,
}

/// <summary>社会稳定风险等级 of a mine (一矿一评估), set by its newest approved assessment (DOMAIN §4).</summary>
public enum RiskGrade
{
    [Display(Name = "低")] Low = 1,
    [Display(Name = "中")] Medium = 2,
    [Display(Name = "高")] High = 3,
}
