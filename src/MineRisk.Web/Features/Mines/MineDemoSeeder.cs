using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Demo;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// The demo registry, reproducible from the seed: 220 mines in 曲靖 (city), 1,000 with more of 云南 (province), 4,300 with
/// the coal provinces (nation), with regions and county regulators generated for the larger scales. The mix follows
/// seed 000 (about 111 of 曲靖's 220 mines to close or merge) and DOMAIN §2; a few mines break the licence, personnel
/// and capacity rules so the flags show. Bulk data, so the audit trail records one event instead of every row.
/// </summary>
public sealed class MineDemoSeeder(AppDbContext db, DeadlineService deadlines, TimeProvider clock, IOptions<MineOptions> options) : IDemoSeeder
{
    public const string DemoEnterprise = "富源县宏发煤业有限公司";

    private const int Batch = 500;

    public int Order => 10;

    private static readonly DemoAccount EnterpriseAccount = new("enterprise.demo", "周海军", Roles.Enterprise, DemoEnterprise);

    /// <summary>Upper-level regulators, only at the scales whose data reaches beyond the demo city.</summary>
    private static readonly DemoAccount ProvinceAccount = new("province", "孙立新", Roles.CityRegulator, "云南省应急管理厅");

    private static readonly DemoAccount NationAccount = new("nation", "郑国平", Roles.CityRegulator, "国家矿山安全监察局");

    public IEnumerable<DemoAccount> AccountsFor(DemoScale scale) =>
        scale >= DemoScale.Province ? [EnterpriseAccount, ProvinceAccount, NationAccount] : [EnterpriseAccount];

    private sealed record CountyPlan(string Code, string Name, List<string> Townships, int Mines);

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var rnd = context.Random;
        var audit = db.AuditEnabled;
        db.AuditEnabled = false;
        try
        {
            var plans = await PlanCountiesAsync(context.Scale, rnd, ct);
            var (companies, demoCompany) = await SeedEnterprisesAsync(plans, rnd, ct);
            await SeedMinesAsync(plans, companies, demoCompany, rnd, ct);
            var demoOrg = new Organisation { Name = DemoEnterprise, Kind = OrganisationKind.Enterprise, RegionCode = "530325", EnterpriseId = demoCompany.Id };
            db.Organisations.Add(demoOrg);
            await db.SaveChangesAsync(ct);
            await context.CreateUserAsync(EnterpriseAccount, demoOrg.Id, ct);
            if (context.Scale >= DemoScale.Province)
            {
                var province = new Organisation { Name = ProvinceAccount.Organisation, Kind = OrganisationKind.EmergencyBureau, RegionCode = "530000" };
                var nation = new Organisation { Name = NationAccount.Organisation, Kind = OrganisationKind.EmergencyBureau, RegionCode = RegionCodes.Nation };
                db.Organisations.AddRange(province, nation);
                await db.SaveChangesAsync(ct);
                await context.CreateUserAsync(ProvinceAccount, province.Id, ct);
                await context.CreateUserAsync(NationAccount, nation.Id, ct);
            }
        }
        finally
        {
            db.AuditEnabled = audit;
        }

        var count = await db.Set<Mine>().CountAsync(ct);
        db.AuditEvent(new Platform.Audit.AuditEvent("生成演示数据", $"演示数据：煤矿 {count} 座（规模 {context.Scale}）", "煤矿"));
        await db.SaveChangesAsync(ct);
    }

    // ---- regions ------------------------------------------------------------------------------------------

    private async Task<List<CountyPlan>> PlanCountiesAsync(DemoScale scale, Random rnd, CancellationToken ct)
    {
        var regions = await db.Regions.IgnoreQueryFilters().ToListAsync(ct);
        List<string> TownshipsOf(string county) => regions.Where(r => r.ParentCode == county).Select(r => r.Code).OrderBy(c => c).ToList();
        string NameOf(string code) => regions.Single(r => r.Code == code).Name;
        var plans = MineDemoData.QujingMines.Select(c => new CountyPlan(c.Key, NameOf(c.Key), TownshipsOf(c.Key), c.Value)).ToList();
        if (scale == DemoScale.City)
        {
            return plans;
        }

        // Province: 昭通's two demo counties and five more 云南 cities, 780 mines more.
        var extra = new List<CountyPlan>
        {
            new("530627", NameOf("530627"), TownshipsOf("530627"), 0),
            new("530629", NameOf("530629"), TownshipsOf("530629"), 0),
        };
        foreach (var city in MineDemoData.YunnanCities)
        {
            extra.AddRange(await GenerateCityAsync(city[..6], city[6..], "530000", 3, rnd, regions, ct));
        }

        plans.AddRange(Spread(extra, 1000 - 220));
        if (scale == DemoScale.Nation)
        {
            var national = new List<(List<CountyPlan> Counties, int Share)>();
            foreach (var (province, share, cities) in MineDemoData.Provinces)
            {
                var counties = new List<CountyPlan>();
                foreach (var city in cities)
                {
                    counties.AddRange(await GenerateCityAsync(city[..6], city[6..], province, 4, rnd, regions, ct));
                }

                national.Add((counties, share));
            }

            var totalShare = national.Sum(n => n.Share);
            var remaining = 4300 - 1000;
            for (var i = 0; i < national.Count; i++)
            {
                var mines = i == national.Count - 1 ? remaining : 3300 * national[i].Share / totalShare;
                remaining -= mines;
                plans.AddRange(Spread(national[i].Counties, mines));
            }
        }

        await db.SaveChangesAsync(ct);
        return plans;
    }

    private static IEnumerable<CountyPlan> Spread(List<CountyPlan> counties, int mines)
    {
        for (var i = 0; i < counties.Count; i++)
        {
            yield return counties[i] with { Mines = (mines / counties.Count) + (i < mines % counties.Count ? 1 : 0) };
        }
    }

    /// <summary>A city with generated counties (4 townships each) and their regulators, unless it exists already.</summary>
    private async Task<List<CountyPlan>> GenerateCityAsync(string code, string name, string province, int countyCount, Random rnd, List<Region> regions, CancellationToken ct)
    {
        var provinceName = regions.Single(r => r.Code == province).Name;
        if (regions.All(r => r.Code != code))
        {
            var city = new Region { Code = code, Name = name, Level = RegionLevel.City, ParentCode = province, FullName = provinceName + name };
            regions.Add(city);
            db.Regions.Add(city);
            db.Organisations.Add(new Organisation { Name = $"{name}应急管理局", Kind = OrganisationKind.EmergencyBureau, RegionCode = code });
        }

        var cityFull = regions.Single(r => r.Code == code).FullName;
        var plans = new List<CountyPlan>();
        var used = regions.Where(r => r.ParentCode == code).Select(r => r.Name).ToHashSet();
        for (var i = 0; i < countyCount; i++)
        {
            var countyCode = code[..4] + (21 + i).ToString("00", System.Globalization.CultureInfo.InvariantCulture);
            string countyName;
            do
            {
                countyName = Pick(rnd, MineDemoData.CountyFirst) + Pick(rnd, MineDemoData.CountySecond) + "县";
            }
            while (!used.Add(countyName));

            var county = new Region { Code = countyCode, Name = countyName, Level = RegionLevel.County, ParentCode = code, FullName = cityFull + countyName };
            regions.Add(county);
            db.Regions.Add(county);
            db.Organisations.Add(new Organisation { Name = $"{name}{countyName}应急管理局", Kind = OrganisationKind.EmergencyBureau, RegionCode = countyCode });
            var townships = new List<string>();
            var townNames = new HashSet<string>();
            for (var t = 0; t < 4; t++)
            {
                string townName;
                do
                {
                    townName = Pick(rnd, MineDemoData.Places) + Pick(rnd, MineDemoData.TownSuffixes);
                }
                while (!townNames.Add(townName));

                var township = new Region { Code = $"{countyCode}{101 + t}", Name = townName, Level = RegionLevel.Township, ParentCode = countyCode, FullName = county.FullName + townName };
                regions.Add(township);
                db.Regions.Add(township);
                townships.Add(township.Code);
            }

            plans.Add(new CountyPlan(countyCode, countyName, townships, 0));
        }

        await Task.CompletedTask;
        _ = ct;
        return plans;
    }

    // ---- enterprises --------------------------------------------------------------------------------------

    private async Task<(Dictionary<string, List<Enterprise>> ByCounty, Enterprise Demo)> SeedEnterprisesAsync(List<CountyPlan> plans, Random rnd, CancellationToken ct)
    {
        var groups = MineDemoData.GroupNames.Select(n => new Enterprise { Name = n, Kind = EnterpriseKind.Group, CreditCode = CreditCode(rnd, "530300") }).ToList();
        db.AddRange(groups);
        await db.SaveChangesAsync(ct);
        var names = new HashSet<string>();
        var byCounty = new Dictionary<string, List<Enterprise>>();
        Enterprise? demo = null;
        foreach (var plan in plans.Where(p => p.Mines > 0))
        {
            // About one company per 1.4 mines: most own one mine, some two or three.
            var list = new List<Enterprise>();
            var count = Math.Max(1, (int)Math.Ceiling(plan.Mines / 1.4));
            for (var i = 0; i < count; i++)
            {
                string name;
                if (demo is null && plan.Code == "530325")
                {
                    name = DemoEnterprise;
                }
                else
                {
                    do
                    {
                        name = $"{plan.Name}{Pick(rnd, MineDemoData.CompanyWords)}{Pick(rnd, MineDemoData.Places)}煤业有限公司";
                    }
                    while (names.Contains(name));
                }

                names.Add(name);
                var company = new Enterprise
                {
                    Name = name,
                    Kind = EnterpriseKind.Company,
                    GroupId = plan.Code.StartsWith("5303", StringComparison.Ordinal) && rnd.NextDouble() < 0.4 ? groups[rnd.Next(groups.Count)].Id : null,
                    CreditCode = CreditCode(rnd, plan.Code),
                    LegalRepresentative = PersonName(rnd),
                    Phone = $"0874-{rnd.Next(3000000, 8999999)}",
                };
                demo ??= name == DemoEnterprise ? company : null;
                list.Add(company);
            }

            db.AddRange(list);
            byCounty[plan.Code] = list;
        }

        await db.SaveChangesAsync(ct);
        return (byCounty, demo!);
    }

    // ---- mines ------------------------------------------------------------------------------------------------

    private async Task SeedMinesAsync(List<CountyPlan> plans, Dictionary<string, List<Enterprise>> companies, Enterprise demoCompany, Random rnd, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(now));
        var organisations = await db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == OrganisationKind.EmergencyBureau)
            .ToDictionaryAsync(o => o.RegionCode, o => o.Id, ct);
        var townNames = await db.Regions.IgnoreQueryFilters().Where(r => r.Level == RegionLevel.Township).ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        var sharedTechnicians = new List<(string IdNumber, string Name)>();
        var mineNames = new HashSet<string>();
        var pending = new List<Mine>();
        foreach (var plan in plans.Where(p => p.Mines > 0))
        {
            var serial = 0;
            var dispositions = Deal(rnd, plan.Mines, (Disposition.Retain, 109), (Disposition.Merge, 41), (Disposition.CloseExit, 70));
            var centre = MineDemoData.Centres.TryGetValue(plan.Code, out var c) ? c : (104.0 + (rnd.NextDouble() * 8) - 4, 30.0 + (rnd.NextDouble() * 8) - 4);
            var demoMinesLeft = plan.Code == "530325" ? 3 : 0;
            for (var i = 0; i < plan.Mines; i++)
            {
                var disposition = dispositions[i];
                var township = plan.Townships[rnd.Next(plan.Townships.Count)];
                string name;
                do
                {
                    name = $"{townNames[township]}{Pick(rnd, MineDemoData.Places)}煤矿";
                    if (mineNames.Contains(name))
                    {
                        name = name.Replace("煤矿", rnd.Next(2) == 0 ? "煤矿二井" : "一井", StringComparison.Ordinal);
                    }
                }
                while (!mineNames.Add(name));

                var enterprise = demoMinesLeft-- > 0 ? demoCompany : companies[plan.Code][rnd.Next(companies[plan.Code].Count)];
                var status = StatusFor(disposition, rnd);
                var approved = CapacityFor(disposition, rnd);
                var mine = new Mine
                {
                    Code = $"{plan.Code}{++serial + 100:000000}",
                    Name = name,
                    EnterpriseId = enterprise.Id,
                    RegionCode = township,
                    Address = $"{townNames[township]}{Pick(rnd, MineDemoData.Places)}村",
                    Longitude = Math.Round(centre.Item1 + ((rnd.NextDouble() - 0.5) * 0.4), 5),
                    Latitude = Math.Round(centre.Item2 + ((rnd.NextDouble() - 0.5) * 0.4), 5),
                    Status = status,
                    Disposition = disposition,
                    ApprovedCapacity = approved,
                    DesignCapacity = rnd.NextDouble() < 0.7 ? approved : approved + 15,
                    MiningMethod = approved >= 45 ? (rnd.NextDouble() < 0.7 ? MiningMethod.FullyMechanized : MiningMethod.Mechanized)
                        : (MiningMethod)rnd.Next(2, 5),
                    GasLevel = Weighted(rnd, (GasLevel.Low, 35), (GasLevel.High, 40), (GasLevel.Outburst, 25)),
                    HydroType = Weighted(rnd, (HydroType.Simple, 30), (HydroType.Medium, 50), (HydroType.Complex, 18), (HydroType.VeryComplex, 2)),
                    RockBurst = rnd.NextDouble() < 0.05,
                    Combustion = Weighted(rnd, (CombustionTendency.Easy, 15), (CombustionTendency.Prone, 35), (CombustionTendency.NotProne, 50)),
                    Standardization = disposition == Disposition.Retain
                        ? Weighted(rnd, (StandardizationLevel.Level1, 5), (StandardizationLevel.Level2, 50), (StandardizationLevel.Level3, 35), (StandardizationLevel.Substandard, 10))
                        : Weighted(rnd, (StandardizationLevel.Level3, 50), (StandardizationLevel.Substandard, 50)),
                    ShiftPersonnelLimit = Math.Min(300, (int)(40 + (approved * 1.2))),
                    MiningDepth = rnd.Next(180, 720),
                    Version = 1,
                    CreatedAt = now,
                    UpdatedAt = now.AddDays(-rnd.Next(0, 400)),
                };
                if (status != MineStatus.Closed)
                {
                    AddLicences(mine, enterprise, rnd, today);
                    AddPersons(mine, rnd, sharedTechnicians);
                }

                pending.Add(mine);
                if (pending.Count == Batch)
                {
                    await SaveBatchAsync(pending, organisations, rnd, today, ct);
                }
            }
        }

        await SaveBatchAsync(pending, organisations, rnd, today, ct);
    }

    private async Task SaveBatchAsync(List<Mine> mines, Dictionary<string, long> organisations, Random rnd, DateOnly today, CancellationToken ct)
    {
        if (mines.Count == 0)
        {
            return;
        }

        db.AddRange(mines);
        await db.SaveChangesAsync(ct);
        var licenceDeadlines = new List<(MineLicence Licence, Deadline Deadline)>();
        var plans = new List<(Mine Mine, DispositionPlan Plan)>();
        foreach (var mine in mines)
        {
            var org = organisations.GetValueOrDefault(mine.RegionCode[..6]);
            foreach (var licence in mine.Licences)
            {
                licenceDeadlines.Add((licence, deadlines.Open(MineWriter.LicenceSubject, licence.Id, $"{mine.Name}{licence.Kind.Label()}到期换证", licence,
                    DeadlineService.EndOf(licence.ExpiresOn), organisationId: org, mineId: mine.Id, link: $"/mines/{mine.Id}",
                    warnBefore: TimeSpan.FromDays(options.Value.LicenceWarnDays))));
            }

            if (mine.Disposition != Disposition.Retain)
            {
                var plan = PlanFor(mine, rnd, today);
                db.Add(plan);
                plans.Add((mine, plan));
            }
        }

        await db.SaveChangesAsync(ct);
        foreach (var (licence, deadline) in licenceDeadlines)
        {
            licence.DeadlineId = deadline.Id;
        }

        var milestoneDeadlines = new List<(Milestone Milestone, Deadline Deadline)>();
        foreach (var (mine, plan) in plans)
        {
            var org = organisations.GetValueOrDefault(mine.RegionCode[..6]);
            foreach (var m in plan.Milestones.Where(m => m.State != MilestoneState.Done))
            {
                milestoneDeadlines.Add((m, deadlines.Open(MineWriter.MilestoneSubject, m.Id, $"{mine.Name}处置方案：{m.Name}", m, DeadlineService.EndOf(m.DueOn),
                    organisationId: org, mineId: mine.Id, link: $"/mines/{mine.Id}#plan")));
            }
        }

        await db.SaveChangesAsync(ct);
        foreach (var (milestone, deadline) in milestoneDeadlines)
        {
            milestone.DeadlineId = deadline.Id;
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        mines.Clear();
    }

    private static DispositionPlan PlanFor(Mine mine, Random rnd, DateOnly today)
    {
        var plan = new DispositionPlan
        {
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            Category = mine.Disposition,
            Summary = mine.Disposition == Disposition.CloseExit
                ? "按照全省煤炭产业高质量发展三年行动计划，依法关闭退出；妥善安置职工，清偿拖欠工资，封闭井筒并做好闭坑后盯守。"
                : "按照“先整合重组、后改造升级”的原则整合重组，组织“夹缝资源”论证，整合后升级改造。",
            SurvivingEntity = mine.Disposition == Disposition.Merge ? "整合主体煤矿（见方案）" : null,
            CreatedAt = mine.CreatedAt,
        };
        var names = DispositionPlan.TemplateFor(mine.Disposition);
        var start = today.AddDays(-rnd.Next(60, 300));
        var done = mine.Status == MineStatus.Closed ? names.Count : rnd.Next(0, names.Count);
        for (var i = 0; i < names.Count; i++)
        {
            var milestone = new Milestone
            {
                MineId = mine.Id,
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                Seq = i + 1,
                Name = names[i],
                DueOn = start.AddDays(60 * (i + 1)),
            };
            var at = ChinaTime.StartOfDay(start.AddDays(55 * (i + 1)));
            if (i < done)
            {
                milestone.Act(MilestoneAction.Start, null, at.AddDays(-30));
                milestone.Act(MilestoneAction.Complete, "已按方案完成，资料已归档。", at);
            }
            else if (i == done)
            {
                milestone.Act(MilestoneAction.Start, null, at.AddDays(-30));
            }

            plan.Milestones.Add(milestone);
        }

        return plan;
    }

    private static void AddLicences(Mine mine, Enterprise enterprise, Random rnd, DateOnly today)
    {
        foreach (var kind in Enum.GetValues<LicenceKind>())
        {
            // About 8 % expired, 7 % expiring within two months, the rest valid for one to five years.
            var roll = rnd.NextDouble();
            var expires = roll < 0.08 ? today.AddDays(-rnd.Next(1, 300)) : roll < 0.15 ? today.AddDays(rnd.Next(1, 60)) : today.AddDays(rnd.Next(90, 1800));
            mine.Licences.Add(new MineLicence
            {
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                Kind = kind,
                Number = kind switch
                {
                    LicenceKind.MiningRight => $"C{mine.Code[..2]}00002{rnd.Next(2008, 2024)}{rnd.Next(10000000, 99999999)}",
                    LicenceKind.SafetyProduction => $"（{ProvinceShort(mine.Code[..2])}）MK安许证字〔{rnd.Next(2019, 2026)}〕{rnd.Next(1, 9999):0000}",
                    _ => enterprise.CreditCode ?? "",
                },
                IssuedBy = kind switch
                {
                    LicenceKind.MiningRight => "省自然资源厅",
                    LicenceKind.SafetyProduction => "省应急管理厅",
                    _ => "县市场监督管理局",
                },
                ExpiresOn = expires,
            });
        }
    }

    private static void AddPersons(Mine mine, Random rnd, List<(string IdNumber, string Name)> shared)
    {
        var flawed = rnd.NextDouble() < 0.15; // some mines break one of seed 001's personnel rules
        var flaw = rnd.Next(5);
        foreach (var position in MineRules.Leaders.Concat(MineRules.Technicians))
        {
            var leader = MineRules.Leaders.Contains(position);
            if (flawed && flaw == 0 && position == KeyPosition.WaterTechnician)
            {
                continue; // 未配备
            }

            var person = new KeyPerson
            {
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                Position = position,
                Name = PersonName(rnd),
                IdNumber = IdNumber(rnd, mine.RegionCode[..6]),
                Education = leader ? Weighted(rnd, (Education.College, 50), (Education.Bachelor, 45), (Education.Postgraduate, 5)) : Weighted(rnd, (Education.Secondary, 40), (Education.College, 45), (Education.Bachelor, 15)),
                MiningMajor = true,
                YearsExperience = rnd.Next(leader ? 4 : 3, 30),
                FullTime = true,
                RegisteredSafetyEngineer = rnd.NextDouble() < 0.2,
            };
            if (flawed)
            {
                switch (flaw)
                {
                    case 1 when position == KeyPosition.MineManager:
                        person.FullTime = false;
                        break;
                    case 2 when position == KeyPosition.ChiefEngineer:
                        person.Education = Education.Secondary;
                        break;
                    case 3 when position == KeyPosition.SafetyDeputy:
                        person.YearsExperience = 2;
                        break;
                    case 4 when position == KeyPosition.VentilationTechnician:
                        // The same technician registered at two mines (兼职).
                        if (shared.Count > 0)
                        {
                            (person.IdNumber, person.Name) = shared[rnd.Next(shared.Count)];
                        }

                        break;
                }
            }

            if (position == KeyPosition.VentilationTechnician && rnd.NextDouble() < 0.05)
            {
                shared.Add((person.IdNumber!, person.Name));
            }

            mine.KeyPersons.Add(person);
        }
    }

    private static MineStatus StatusFor(Disposition disposition, Random rnd) => disposition switch
    {
        Disposition.Retain => Weighted(rnd, (MineStatus.Producing, 70), (MineStatus.TechnicalUpgrade, 15), (MineStatus.UnderConstruction, 8), (MineStatus.SuspendedForRectification, 7)),
        Disposition.Merge => Weighted(rnd, (MineStatus.Producing, 30), (MineStatus.TechnicalUpgrade, 20), (MineStatus.ConstructionHalted, 15), (MineStatus.SuspendedForRectification, 15), (MineStatus.LongIdle, 20)),
        _ => Weighted(rnd, (MineStatus.Closed, 35), (MineStatus.LongIdle, 35), (MineStatus.SuspendedForRectification, 15), (MineStatus.ConstructionHalted, 10), (MineStatus.Producing, 5)),
    };

    private static double CapacityFor(Disposition disposition, Random rnd) => disposition switch
    {
        Disposition.Retain => Pick(rnd, [30d, 45, 45, 60, 60, 90, 90, 120, 150, 240]),
        Disposition.Merge => Pick(rnd, [9d, 15, 15, 21, 30, 30, 45]),
        _ => Pick(rnd, [6d, 9, 9, 15, 15, 21]),
    };

    /// <summary>Deals <paramref name="count"/> values in the proportions given, shuffled (so a county's mix is the city's).</summary>
    private static List<T> Deal<T>(Random rnd, int count, params (T Value, int Weight)[] weights)
    {
        var total = weights.Sum(w => w.Weight);
        var list = new List<T>(count);
        var acc = 0.0;
        foreach (var (value, weight) in weights)
        {
            var target = acc + ((double)count * weight / total);
            while (list.Count < Math.Round(target))
            {
                list.Add(value);
            }

            acc = target;
        }

        while (list.Count < count)
        {
            list.Add(weights[0].Value);
        }

        return list.OrderBy(_ => rnd.Next()).ToList();
    }

    private static T Weighted<T>(Random rnd, params (T Value, int Weight)[] weights)
    {
        var roll = rnd.Next(weights.Sum(w => w.Weight));
        foreach (var (value, weight) in weights)
        {
            if ((roll -= weight) < 0)
            {
                return value;
            }
        }

        return weights[^1].Value;
    }

    private static T Pick<T>(Random rnd, IReadOnlyList<T> list) => list[rnd.Next(list.Count)];

    private static string PersonName(Random rnd) => Pick(rnd, MineDemoData.Surnames) + Pick(rnd, MineDemoData.GivenNames);

    private static string IdNumber(Random rnd, string county)
    {
        var birth = new DateOnly(1962, 1, 1).AddDays(rnd.Next(0, 365 * 35));
        var first17 = $"{county}{birth:yyyyMMdd}{rnd.Next(0, 1000):000}";
        return first17 + IdNumbers.CheckDigit(first17);
    }

    private static string CreditCode(Random rnd, string region)
    {
        const string chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
        return "91" + region + new string(Enumerable.Range(0, 10).Select(_ => chars[rnd.Next(chars.Length)]).ToArray());
    }

    private static string ProvinceShort(string prefix) => prefix switch
    {
        "14" => "晋", "15" => "蒙", "23" => "黑", "34" => "皖", "37" => "鲁", "41" => "豫", "51" => "川", "52" => "黔", "61" => "陕", "62" => "甘", "65" => "新", _ => "云",
    };
}
