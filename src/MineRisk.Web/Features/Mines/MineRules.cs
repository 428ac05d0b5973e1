using MineRisk.Web.Platform;

namespace MineRisk.Web.Features.Mines;

public enum FlagLevel
{
    Info,
    Warning,
    Danger,
}

/// <summary>A rule a mine does not meet, shown on its page with the rule and where it comes from.</summary>
public sealed record MineFlag(FlagLevel Level, string Title, string Rule, string Source);

/// <summary>
/// The checks of DOMAIN §2 that the registry can make from its own data: licences (证照超期 is one of the 五超),
/// key personnel (seed 001), and capacity (seed 001). Other modules flag mines on their own pages and sections.
/// </summary>
public static class MineRules
{
    public const string Seed001 = "《2022年煤矿安全专项整治行动实施方案》（背景材料 001）";

    public static readonly IReadOnlyList<KeyPosition> Leaders =
        [KeyPosition.MineManager, KeyPosition.SafetyDeputy, KeyPosition.ProductionDeputy, KeyPosition.MechanicalDeputy, KeyPosition.ChiefEngineer];

    public static readonly IReadOnlyList<KeyPosition> Technicians =
        [KeyPosition.MiningTechnician, KeyPosition.TunnellingTechnician, KeyPosition.VentilationTechnician, KeyPosition.WaterTechnician, KeyPosition.MechanicalTechnician, KeyPosition.SurveyTechnician];

    private const string LeaderRule = "矿长、安全副矿长、生产副矿长、机电副矿长和总工程师必须专职，具备煤矿相关专业大专及以上学历、三年以上煤矿相关工作经验。";

    private const string TechnicianRule = "负责采煤、掘进、通风和瓦斯防治、防治水、机电运输、地质测量的专业技术人员每项不少于 1 名，不得在煤矿之间兼职，具备煤矿相关专业中专及以上学历或注册安全工程师资格，二年以上煤矿安全生产相关工作经验。";

    public static IReadOnlyList<MineFlag> Check(Mine mine, IReadOnlyList<MineLicence> licences, IReadOnlyList<KeyPerson> persons,
        IReadOnlySet<string> idNumbersAtOtherMines, DateOnly today, int licenceWarnDays)
    {
        var flags = new List<MineFlag>();
        var active = mine.Status != MineStatus.Closed;
        if (active)
        {
            CheckLicences(licences, today, licenceWarnDays, flags);
            CheckPersons(persons, idNumbersAtOtherMines, flags);
            if (mine.ApprovedCapacity is { } capacity and < 9)
            {
                flags.Add(new MineFlag(FlagLevel.Warning, $"核定产能 {capacity:0.##} 万吨/年，低于 9 万吨/年", "9 万吨/年以下煤矿分类处置，不具备安全生产条件的煤矿一律停止生产建设。", Seed001));
            }

            if (mine.Status is MineStatus.UnderConstruction or MineStatus.TechnicalUpgrade && mine.DesignCapacity is { } design and < 30)
            {
                flags.Add(new MineFlag(FlagLevel.Warning, $"新建或改扩建煤矿设计产能 {design:0.##} 万吨/年，低于 30 万吨/年", "不再核准新建、改扩建产能低于 30 万吨/年的煤矿，以及开采深度超过 600 米的其他新建、改扩建煤矿。", Seed001));
            }

            if (mine.Status is MineStatus.UnderConstruction or MineStatus.TechnicalUpgrade && mine.MiningDepth is > 600)
            {
                flags.Add(new MineFlag(FlagLevel.Warning, $"新建或改扩建煤矿开采深度 {mine.MiningDepth} 米，超过 600 米", "不再核准新建、改扩建产能低于 30 万吨/年的煤矿，以及开采深度超过 600 米的其他新建、改扩建煤矿。", Seed001));
            }
        }

        return flags;
    }

    private static void CheckLicences(IReadOnlyList<MineLicence> licences, DateOnly today, int warnDays, List<MineFlag> flags)
    {
        const string rule = "煤矿须持有效的采矿许可证、安全生产许可证和营业执照；证照超期属“五超”之一。";
        foreach (var kind in Enum.GetValues<LicenceKind>())
        {
            var licence = licences.FirstOrDefault(l => l.Kind == kind);
            if (licence is null)
            {
                flags.Add(new MineFlag(FlagLevel.Warning, $"未登记{kind.Label()}", rule, Seed001));
            }
            else if (licence.ExpiresOn < today)
            {
                flags.Add(new MineFlag(FlagLevel.Danger, $"{kind.Label()}已于 {licence.ExpiresOn:yyyy-MM-dd} 到期（证照超期）", rule, Seed001));
            }
            else if (licence.ExpiresOn <= today.AddDays(warnDays))
            {
                flags.Add(new MineFlag(FlagLevel.Warning, $"{kind.Label()}将于 {licence.ExpiresOn:yyyy-MM-dd} 到期（{licence.ExpiresOn.DayNumber - today.DayNumber} 天后）", rule, Seed001));
            }
        }
    }

    private static void CheckPersons(IReadOnlyList<KeyPerson> persons, IReadOnlySet<string> elsewhere, List<MineFlag> flags)
    {
        foreach (var position in Leaders)
        {
            var holders = persons.Where(p => p.Position == position).ToList();
            if (holders.Count == 0)
            {
                flags.Add(new MineFlag(FlagLevel.Danger, $"未配备{position.Label()}", LeaderRule, Seed001));
            }

            foreach (var p in holders)
            {
                var problems = new List<string>();
                if (!p.FullTime)
                {
                    problems.Add("非专职");
                }

                if (p.Education < Education.College || !p.MiningMajor)
                {
                    problems.Add($"学历为{p.Education.Label()}{(p.MiningMajor ? "" : "、非煤矿相关专业")}，须煤矿相关专业大专及以上");
                }

                if (p.YearsExperience < 3)
                {
                    problems.Add($"煤矿工作经验 {p.YearsExperience} 年，须三年以上");
                }

                if (problems.Count > 0)
                {
                    flags.Add(new MineFlag(FlagLevel.Danger, $"{position.Label()}{p.Name}：{string.Join("；", problems)}", LeaderRule, Seed001));
                }
            }
        }

        foreach (var position in Technicians)
        {
            var holders = persons.Where(p => p.Position == position).ToList();
            if (holders.Count == 0)
            {
                flags.Add(new MineFlag(FlagLevel.Danger, $"未配备{position.Label()}", TechnicianRule, Seed001));
            }

            foreach (var p in holders)
            {
                var problems = new List<string>();
                if ((p.Education < Education.Secondary || !p.MiningMajor) && !p.RegisteredSafetyEngineer)
                {
                    problems.Add("须煤矿相关专业中专及以上学历或注册安全工程师");
                }

                if (p.YearsExperience < 2)
                {
                    problems.Add($"相关工作经验 {p.YearsExperience} 年，须二年以上");
                }

                if (p.IdNumber is { Length: > 0 } id && elsewhere.Contains(id))
                {
                    problems.Add("同时登记在其他煤矿，专业技术人员不得在煤矿之间兼职");
                }

                if (problems.Count > 0)
                {
                    flags.Add(new MineFlag(FlagLevel.Danger, $"{position.Label()}{p.Name}：{string.Join("；", problems)}", TechnicianRule, Seed001));
                }
            }
        }
    }
}
