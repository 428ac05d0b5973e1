using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// A version of the 一矿一评估 scoring template: dimensions with weights (summing to 100) and guidance, grade cut-offs and
/// veto rules. No national thresholds exist (DOMAIN §4), so all of this is data. A template never changes once created:
/// an administrator makes a new version, and every assessment keeps the version it was made with.
/// </summary>
[DisplayName("评估模板")]
public sealed class AssessmentTemplate
{
    public long Id { get; init; }

    public int Version { get; init; }

    public required string Name { get; init; }

    /// <summary>A score at or above this is 高.</summary>
    public double HighThreshold { get; init; } = 60;

    /// <summary>A score at or above this (and below <see cref="HighThreshold"/>) is 中.</summary>
    public double MediumThreshold { get; init; } = 35;

    public string? Note { get; init; }

    public DateTime CreatedAt { get; init; }

    public required string CreatedByName { get; init; }

    public List<TemplateDimension> Dimensions { get; init; } = [];

    public List<VetoRule> VetoRules { get; init; } = [];

    /// <summary>Score = Σ weight × score / 10 (0–100); grade by the cut-offs, then raised by any veto rule that fires.</summary>
    public (double Score, RiskGrade Grade, string? Veto) Grade(IReadOnlyDictionary<string, double> scores)
    {
        var total = Math.Round(Dimensions.Sum(d => d.Weight * scores.GetValueOrDefault(d.Key) / 10.0), 1);
        var grade = total >= HighThreshold ? RiskGrade.High : total >= MediumThreshold ? RiskGrade.Medium : RiskGrade.Low;
        string? veto = null;
        foreach (var rule in VetoRules.OrderByDescending(r => r.RaisesTo))
        {
            if (scores.GetValueOrDefault(rule.DimensionKey) >= rule.AtLeastScore && rule.RaisesTo > grade)
            {
                var name = Dimensions.FirstOrDefault(d => d.Key == rule.DimensionKey)?.Name ?? rule.DimensionKey;
                veto = $"「{name}」评分达到 {rule.AtLeastScore:0.#}，等级至少为{rule.RaisesTo.Label()}";
                grade = rule.RaisesTo;
            }
        }

        return (total, grade, veto);
    }

    /// <summary>Field → message for a template that cannot be used (weights must sum to 100, keys unique).</summary>
    public Dictionary<string, string[]> Validate()
    {
        var errors = new Dictionary<string, string[]>();
        if (Dimensions.Count == 0)
        {
            errors["dimensions"] = ["模板至少需要一个评估维度。"];
        }
        else if (Math.Abs(Dimensions.Sum(d => d.Weight) - 100) > 0.001)
        {
            errors["dimensions"] = [$"各维度权重之和应为 100，现为 {Dimensions.Sum(d => d.Weight):0.##}。"];
        }

        var duplicate = Dimensions.GroupBy(d => d.Key).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            errors["dimensions"] = [$"维度代码「{duplicate.Key}」重复。"];
        }

        if (Dimensions.Any(d => d.Weight <= 0 || string.IsNullOrWhiteSpace(d.Name) || string.IsNullOrWhiteSpace(d.Key)))
        {
            errors["weights"] = ["每个维度都须有代码、名称和大于 0 的权重。"];
        }

        if (MediumThreshold <= 0 || HighThreshold <= MediumThreshold || HighThreshold > 100)
        {
            errors["thresholds"] = ["分级界限应满足 0 < 中 < 高 ≤ 100。"];
        }

        if (VetoRules.Any(r => Dimensions.All(d => d.Key != r.DimensionKey) || r.AtLeastScore is < 0 or > 10))
        {
            errors["vetoRules"] = ["否决规则须引用本模板的维度，触发分值在 0～10 之间。"];
        }

        return errors;
    }

    /// <summary>Template v1 of issue 4: the eleven dimensions of seed 000 with their weights, and local veto rules.</summary>
    public static AssessmentTemplate DefaultV1(DateTime now) => new()
    {
        Version = 1,
        Name = "一矿一评估社会稳定风险评估模板",
        HighThreshold = 60,
        MediumThreshold = 35,
        CreatedAt = now,
        CreatedByName = "系统初始化",
        Note = "维度与权重依据曲靖市“一矿一评估”实践（背景材料 000）；分级界限与否决规则为地方实践，可由管理员发布新版本调整。",
        Dimensions =
        [
            D(1, "assets_debt", "资产债务", 10, "资产清晰，无到期未偿债务", "有一定债务，已有偿还计划，债权人基本认可", "资不抵债或债务巨大，债权人多、诉求强烈，可能集体追讨"),
            D(2, "loans", "煤矿借贷", 10, "无民间借贷或集资", "有民间借贷，涉及人数不多，已协商还款", "涉及大量民间借贷或非法集资，债权人众多、无力偿还"),
            D(3, "economic_loss", "直接经济损失", 8, "关闭或整合不造成明显经济损失", "投资人有一定损失，补偿方案基本可以接受", "投资人损失巨大、补偿难以到位，对处置强烈抵触"),
            D(4, "resettlement", "职工安置", 12, "职工已妥善安置或无需安置", "部分职工待安置，已有安置方案", "大量职工待安置、无安置渠道，可能引发群体上访"),
            D(5, "legal", "法律风险", 8, "无未决诉讼或行政争议", "有少量未决诉讼，风险可控", "多起重大诉讼、执行案件或行政复议，处置可能被诉"),
            D(6, "safety", "安全生产隐患", 10, "无重大隐患，一般隐患已整改", "有未整改的一般隐患，或曾有重大隐患", "存在未整改的重大隐患，或明停暗开等违法行为"),
            D(7, "wage_arrears", "拖欠职工工资", 14, "无拖欠工资", "有少量拖欠，已制定清偿计划", "拖欠人数多、金额大、时间长，职工情绪激烈"),
            D(8, "merger", "兼并重组主体与被兼并企业关系", 8, "不涉及兼并重组，或双方协议清楚、关系顺畅", "双方存在分歧，正在协商", "双方矛盾尖锐、协议无法落实，可能引发冲突"),
            D(9, "mine_village", "矿村矛盾", 10, "矿村关系和谐，矿村共建良好", "有占地、道路、用工等矛盾，正在协调", "矿村矛盾尖锐，曾发生堵路、围堵等事件"),
            D(10, "livelihood", "民生问题（饮水、房屋震损）", 5, "无饮水、房屋震损等民生问题", "有饮水困难或房屋震损，已有解决方案", "饮水、房屋震损问题突出，群众反映强烈、长期未解决"),
            D(11, "petitions", "信访情况", 5, "近期无涉矿信访", "有少量信访，已按期办结", "重复访、集体访多，有越级上访苗头"),
        ],
        VetoRules =
        [
            new VetoRule { DimensionKey = "wage_arrears", AtLeastScore = 8, RaisesTo = RiskGrade.High },
            new VetoRule { DimensionKey = "resettlement", AtLeastScore = 8, RaisesTo = RiskGrade.High },
            new VetoRule { DimensionKey = "mine_village", AtLeastScore = 8, RaisesTo = RiskGrade.Medium },
            new VetoRule { DimensionKey = "petitions", AtLeastScore = 9, RaisesTo = RiskGrade.Medium },
        ],
    };

    private static TemplateDimension D(int seq, string key, string name, double weight, string g0, string g5, string g10) =>
        new() { Seq = seq, Key = key, Name = name, Weight = weight, Guidance0 = g0, Guidance5 = g5, Guidance10 = g10 };
}

/// <summary>One scored dimension of a template.</summary>
[DisplayName("评估维度")]
public sealed class TemplateDimension
{
    public long Id { get; init; }

    public long TemplateId { get; init; }

    public int Seq { get; init; }

    /// <summary>Stable code used by the API, e.g. <c>wage_arrears</c>.</summary>
    public required string Key { get; init; }

    public required string Name { get; init; }

    public double Weight { get; init; }

    public required string Guidance0 { get; init; }

    public required string Guidance5 { get; init; }

    public required string Guidance10 { get; init; }
}

/// <summary>A veto rule: a dimension scored at or above <see cref="AtLeastScore"/> makes the grade at least <see cref="RaisesTo"/>.</summary>
[DisplayName("否决规则")]
public sealed class VetoRule
{
    public long Id { get; init; }

    public long TemplateId { get; init; }

    public required string DimensionKey { get; init; }

    public double AtLeastScore { get; init; }

    public RiskGrade RaisesTo { get; init; }
}

internal sealed class AssessmentTemplateConfiguration : IEntityTypeConfiguration<AssessmentTemplate>
{
    public void Configure(EntityTypeBuilder<AssessmentTemplate> b)
    {
        b.ToTable("assessment_templates");
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.Note).HasMaxLength(1000);
        b.Property(t => t.CreatedByName).HasMaxLength(50);
        b.HasIndex(t => t.Version).IsUnique();
        b.HasMany(t => t.Dimensions).WithOne().HasForeignKey(d => d.TemplateId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(t => t.VetoRules).WithOne().HasForeignKey(r => r.TemplateId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TemplateDimensionConfiguration : IEntityTypeConfiguration<TemplateDimension>
{
    public void Configure(EntityTypeBuilder<TemplateDimension> b)
    {
        b.ToTable("assessment_template_dimensions");
        b.Property(d => d.Key).HasMaxLength(40);
        b.Property(d => d.Name).HasMaxLength(50);
        b.Property(d => d.Guidance0).HasMaxLength(300);
        b.Property(d => d.Guidance5).HasMaxLength(300);
        b.Property(d => d.Guidance10).HasMaxLength(300);
        b.HasIndex(d => new { d.TemplateId, d.Key }).IsUnique();
    }
}

internal sealed class VetoRuleConfiguration : IEntityTypeConfiguration<VetoRule>
{
    public void Configure(EntityTypeBuilder<VetoRule> b)
    {
        b.ToTable("assessment_veto_rules");
        b.Property(r => r.DimensionKey).HasMaxLength(40);
    }
}
