using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Demo;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// Demo data of the stability module, consistent with itself: every mine assessed (曲靖's mix: about 40 高, 48 中,
/// 132 低 of 220, seed 000), conflicts at DESIGN §3 volumes (2,000 for a city, 10,000 a province, 50,000 the nation)
/// with most of them on 高 mines, a task force with weekly patrols for nearly every 高/中 mine (a few gaps on purpose),
/// and the 十到位 checklists. Bulk data: one audit event, not one per row.
/// </summary>
public sealed class StabilityDemoSeeder(AppDbContext db, DeadlineService deadlines, TimeProvider clock) : IDemoSeeder
{
    public int Order => 20;

    public IEnumerable<DemoAccount> AccountsFor(DemoScale scale) => [];

    private sealed record MineRow(long Id, string Name, string RegionCode, long? EnterpriseId, MineStatus Status, Disposition Disposition);

    private static readonly string[] Patrollers = ["驻矿安监员", "乡镇干部", "县煤炭局干部"];

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var rnd = new Random(context.Random.Next());
        var now = clock.GetUtcNow().UtcDateTime;
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(now));
        var audit = db.AuditEnabled;
        db.AuditEnabled = false;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var template = await db.Set<AssessmentTemplate>().Include(t => t.Dimensions).Include(t => t.VetoRules).OrderByDescending(t => t.Version).FirstAsync(ct);
            var mines = await db.Set<Mine>().IgnoreQueryFilters().OrderBy(m => m.Id)
                .Select(m => new MineRow(m.Id, m.Name, m.RegionCode, m.EnterpriseId, m.Status, m.Disposition)).ToListAsync(ct);
            var users = await db.Users.IgnoreQueryFilters().Where(u => u.IsDemo).ToDictionaryAsync(u => u.UserName!, ct);
            var orgRegions = await db.Organisations.IgnoreQueryFilters().ToDictionaryAsync(o => o.Id, o => o.RegionCode, ct);
            var city = users["city"];
            var countyUsers = users.Values.Where(u => u.UserName!.StartsWith("county.", StringComparison.Ordinal))
                .ToDictionary(u => orgRegions[u.OrganisationId!.Value], u => u);
            var conflictTarget = context.Scale switch { DemoScale.Nation => 50_000, DemoScale.Province => 10_000, _ => 2_000 };
            var grades = Grades(mines, rnd);
            var weights = mines.Sum(m => Weight(grades[m.Id]));
            var numbers = new Dictionary<string, long>();
            string Number(string prefix, string region, DateTime at)
            {
                var key = $"{prefix}-{region[..6]}-{ChinaTime.ToChina(at).Year}";
                numbers[key] = numbers.GetValueOrDefault(key) + 1;
                return $"{key}-{numbers[key]:000000}";
            }

            var conflictCount = 0;
            foreach (var batch in mines.Chunk(200))
            {
                var pendingDeadlines = new List<(Conflict Conflict, string MineName)>();
                foreach (var mine in batch)
                {
                    var grade = grades[mine.Id];
                    var assessor = countyUsers.GetValueOrDefault(mine.RegionCode[..6]) ?? city;
                    var approver = assessor == city ? users["admin"] : city;
                    var leader = assessor;
                    var leaderRegion = orgRegions[leader.OrganisationId!.Value];
                    AddAssessments(mine, grade, template, assessor, orgRegions[assessor.OrganisationId!.Value], approver, rnd, now, Number);
                    var count = (int)Math.Round(conflictTarget * Weight(grade) / (double)weights * (0.6 + (rnd.NextDouble() * 0.8)));
                    for (var i = 0; i < count; i++)
                    {
                        var conflict = NewConflict(mine, grade, leader.Id, leader.DisplayName, leaderRegion, city, rnd, now, today, Number);
                        db.Add(conflict);
                        if (conflict.IsOpen)
                        {
                            pendingDeadlines.Add((conflict, mine.Name));
                        }

                        conflictCount++;
                    }

                    if (grade is RiskGrade.High or RiskGrade.Medium)
                    {
                        AddTaskForce(mine, grade, rnd, now, today);
                        AddTenItems(mine, rnd, now, city.DisplayName);
                    }
                }

                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                var opened = new List<(Conflict Conflict, Deadline Deadline)>();
                foreach (var (conflict, mineName) in pendingDeadlines)
                {
                    var deadline = Deadline.Open(ConflictService.Subject, conflict.Id, $"{conflict.Number} {mineName}{conflict.Category.Label()}矛盾化解", conflict,
                        conflict.RegisteredAt, DeadlineService.EndOf(conflict.DueOn), deadlines.Policy, conflict.LeaderUserId, mineId: conflict.MineId,
                        link: $"/stability/conflicts/{conflict.Id}");
                    db.Add(deadline);
                    opened.Add((conflict, deadline));
                    db.Timeline.Add(Entry(conflict, "挂号", null, ConflictState.Registered, conflict.RegisteredByName, conflict.RegisteredAt, conflict.Description));
                }

                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                foreach (var (conflict, deadline) in opened)
                {
                    conflict.DeadlineId = deadline.Id; // closing the conflict completes this deadline
                }

                db.ChangeTracker.DetectChanges();
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }

            // Each mine takes the grade of its newest approved assessment, as an approval does.
            await db.Set<Mine>().IgnoreQueryFilters().ExecuteUpdateAsync(u => u
                .SetProperty(m => m.RiskGrade, m => db.Set<Assessment>().IgnoreQueryFilters()
                    .Where(a => a.MineId == m.Id && a.State == AssessmentState.Approved).OrderByDescending(a => a.ApprovedAt).Select(a => (RiskGrade?)a.Grade).FirstOrDefault())
                .SetProperty(m => m.RiskAssessedAt, m => db.Set<Assessment>().IgnoreQueryFilters()
                    .Where(a => a.MineId == m.Id && a.State == AssessmentState.Approved).Max(a => a.ApprovedAt)), ct);
            foreach (var (key, last) in numbers)
            {
                db.Add(new NumberSequence { Key = key, Last = last });
            }

            db.ChangeTracker.DetectChanges();
            await db.SaveChangesAsync(ct);
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = true;
            db.AuditEnabled = audit;
        }

        db.AuditEvent(new Platform.Audit.AuditEvent("生成演示数据", "演示数据：稳定风险评估、不稳定因素台账、工作专班", "维稳"));
        await db.SaveChangesAsync(ct);
    }

    private static int Weight(RiskGrade grade) => grade switch { RiskGrade.High => 25, RiskGrade.Medium => 12, _ => 3 };

    /// <summary>40 高, 48 中 and 132 低 per 220 mines (seed 000), 高 more likely among mines to close or merge.</summary>
    private static Dictionary<long, RiskGrade> Grades(List<MineRow> mines, Random rnd)
    {
        var ordered = mines.OrderByDescending(m => (m.Disposition == Disposition.Retain ? 0 : 1.0) + rnd.NextDouble()).ToList();
        var high = (int)Math.Round(mines.Count * 40 / 220.0);
        var medium = (int)Math.Round(mines.Count * 48 / 220.0);
        return ordered.Select((m, i) => (m.Id, Grade: i < high ? RiskGrade.High : i < high + medium ? RiskGrade.Medium : RiskGrade.Low))
            .ToDictionary(x => x.Id, x => x.Grade);
    }

    private void AddAssessments(MineRow mine, RiskGrade grade, AssessmentTemplate template, Platform.Auth.AppUser assessor, string assessorRegion,
        Platform.Auth.AppUser approver, Random rnd, DateTime now, Func<string, string, DateTime, string> number)
    {
        // An earlier assessment for some mines (the trend), then the current approved one.
        var history = rnd.NextDouble() < 0.35 ? 2 : 1;
        for (var h = history; h >= 1; h--)
        {
            var target = h == 1 ? grade : (RiskGrade)Math.Clamp((int)grade + (rnd.Next(2) == 0 ? 1 : -1), 1, 3);
            var scores = ScoresFor(target, template, rnd);
            var created = now.AddDays(-(h == 1 ? rnd.Next(5, 25) : rnd.Next(120, 200)));
            var assessment = new Assessment
            {
                Number = number("PG", mine.RegionCode, created),
                MineId = mine.Id,
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                TemplateId = template.Id,
                AssessorId = assessor.Id,
                AssessorName = assessor.DisplayName,
                AssessorRegionCode = assessorRegion,
                CreatedAt = created,
                Notes = "依据一矿一摸排结果评估。",
            };
            assessment.SetScores(template, scores, null, new Dictionary<string, Evidence>(), created);
            SystemActor actorAssessor = new(assessor.Id, assessor.DisplayName, assessorRegion, [Roles.CountyRegulator]);
            assessment.Act(AssessmentAction.Submit, template, actorAssessor.AsCurrentUser(), null, created.AddHours(2));
            var approverRegion = approver.UserName == "admin" ? "530300" : "530300";
            var role = approver.UserName == "admin" ? Roles.Admin : Roles.CityRegulator;
            assessment.Act(AssessmentAction.Approve, template, new SystemActor(approver.Id, approver.DisplayName, approverRegion, [role]).AsCurrentUser(), null, created.AddDays(1));
            db.Add(assessment);
        }
    }

    /// <summary>Scores that give roughly the wanted grade.</summary>
    private static Dictionary<string, double> ScoresFor(RiskGrade grade, AssessmentTemplate template, Random rnd)
    {
        var (low, high) = grade switch { RiskGrade.High => (6, 9), RiskGrade.Medium => (3, 6), _ => (0, 3) };
        var scores = template.Dimensions.ToDictionary(d => d.Key, _ => (double)rnd.Next(low, high + 1));
        var (score, computed, _) = template.Grade(scores);
        // Nudge until the computed grade is the wanted one (the veto rules may raise it).
        var guard = 0;
        while (computed != grade && guard++ < 40)
        {
            var key = template.Dimensions[rnd.Next(template.Dimensions.Count)].Key;
            scores[key] = Math.Clamp(scores[key] + (computed > grade ? -1 : 1), 0, 10);
            (score, computed, _) = template.Grade(scores);
        }

        _ = score;
        return scores;
    }

    private static Conflict NewConflict(MineRow mine, RiskGrade grade, long leaderId, string leaderName, string leaderRegion, Platform.Auth.AppUser registrar,
        Random rnd, DateTime now, DateOnly today, Func<string, string, DateTime, string> number)
    {
        var category = grade == RiskGrade.High
            ? Pick(rnd, [ConflictCategory.WageArrears, ConflictCategory.WageArrears, ConflictCategory.Resettlement, ConflictCategory.AssetsDebt, ConflictCategory.Loans, ConflictCategory.MineVillage, ConflictCategory.Legal])
            : Pick(rnd, Enum.GetValues<ConflictCategory>());
        var registered = now.AddDays(-rnd.Next(1, 365)).AddMinutes(-rnd.Next(0, 600));
        var persons = category switch
        {
            ConflictCategory.WageArrears => rnd.Next(3, 30),
            ConflictCategory.Resettlement => rnd.Next(5, 80),
            ConflictCategory.MineVillage or ConflictCategory.Water or ConflictCategory.HouseDamage => rnd.Next(10, 300),
            _ => rnd.Next(1, 20),
        };
        double? amount = category switch
        {
            ConflictCategory.WageArrears => Math.Round(persons * (0.8 + (rnd.NextDouble() * 2.4)), 1),
            ConflictCategory.AssetsDebt or ConflictCategory.Loans => Math.Round(50 + (rnd.NextDouble() * 2000), 1),
            ConflictCategory.Compensation or ConflictCategory.HouseDamage => Math.Round(5 + (rnd.NextDouble() * 200), 1),
            ConflictCategory.Resettlement => Math.Round(persons * 1.5, 1),
            _ => null,
        };
        var due = DateOnly.FromDateTime(ChinaTime.ToChina(registered)).AddDays(rnd.Next(30, 120));
        var conflict = new Conflict
        {
            Number = number("WW", mine.RegionCode, registered),
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            Category = category,
            Description = Describe(category, mine.Name, persons, amount),
            Amount = amount,
            Persons = persons,
            RiskGrade = grade,
            LeaderUserId = leaderId,
            LeaderName = leaderName,
            LeaderRegionCode = leaderRegion,
            ResponsibleUnit = "县煤炭工业局、乡镇人民政府",
            ResponsiblePerson = "镇分管领导",
            Measures = Measures(category),
            DueOn = due,
            RegisteredById = registrar.Id,
            RegisteredByName = registrar.DisplayName,
            RegisteredAt = registered,
            UpdatedAt = registered,
            Version = 1,
        };
        // Older ones are mostly closed; the higher the grade, the more stay open.
        var closeChance = (registered < now.AddDays(-90) ? 0.8 : 0.35) * (grade == RiskGrade.High ? 0.6 : 1);
        var roll = rnd.NextDouble();
        var leader = new SystemActor(leaderId, leaderName, leaderRegion, [Roles.CountyRegulator]).AsCurrentUser();
        var worker = new SystemActor(registrar.Id + 100000, "乡镇干部", mine.RegionCode, [Roles.TownshipRegulator]).AsCurrentUser();
        var at = registered.AddDays(1);
        if (roll < closeChance + 0.4)
        {
            conflict.Act(ConflictAction.Start, null, worker, at);
            conflict.LatestProgress = "已约谈企业负责人，督促制定化解方案。";
        }

        if (roll < closeChance + 0.05)
        {
            conflict.Act(ConflictAction.Claim, "已按协议化解，当事人签字确认。", worker, at.AddDays(rnd.Next(10, 60)));
        }

        if (roll < closeChance)
        {
            conflict.Act(ConflictAction.Close, "经核实矛盾已化解，予以销号。", leader, at.AddDays(rnd.Next(61, 80)) < now ? at.AddDays(rnd.Next(61, 80)) : now);
            conflict.LatestProgress = "已销号。";
        }

        // Most open items past their first deadline have been given a later one; about one in five is really overdue.
        if (conflict.IsOpen && conflict.DueOn < today && rnd.NextDouble() < 0.8)
        {
            conflict.DueOn = today.AddDays(rnd.Next(3, 60));
        }

        return conflict;
    }

    private void AddTaskForce(MineRow mine, RiskGrade grade, Random rnd, DateTime now, DateOnly today)
    {
        if (rnd.NextDouble() < 0.05)
        {
            return; // a compliance gap: a 高/中 mine without a task force
        }

        var force = new TaskForce
        {
            MineId = mine.Id,
            RegionCode = mine.RegionCode,
            EnterpriseId = mine.EnterpriseId,
            Name = $"{mine.Name}工作专班",
            LeaderName = Pick(rnd, ["张", "李", "王", "杨", "赵", "周", "吴"]) + Pick(rnd, ["明", "华", "军", "勇", "涛", "伟"]) + Pick(rnd, ["", "东", "林", "平"]),
            LeaderTitle = grade == RiskGrade.High ? Pick(rnd, ["副县长", "县委常委", "副区长"]) : Pick(rnd, ["县煤炭工业局局长", "县应急管理局局长"]),
            WatchTarget = mine.Status == MineStatus.Closed ? "已关闭矿井井口、封闭设施" : "矿井井口、主要运输通道、炸药库",
            WatchUntil = today.AddMonths(rnd.Next(3, 12)),
            WatchDuty = "严防明停暗开、昼停夜开、违法违规组织生产，发现异常立即报告并制止。",
            CreatedAt = now.AddDays(-rnd.Next(60, 300)),
            Members =
            [
                new TaskForceMember { Name = Pick(rnd, ["段", "普", "保", "缪"]) + Pick(rnd, ["红兵", "云飞", "春生"]), Organisation = "县应急管理局", Role = "驻矿安监员" },
                new TaskForceMember { Name = Pick(rnd, ["马", "朱", "胡"]) + Pick(rnd, ["学文", "玉坤", "家旺"]), Organisation = "县煤炭工业局", Role = "组员" },
                new TaskForceMember { Name = Pick(rnd, ["何", "罗", "高"]) + Pick(rnd, ["正华", "绍云", "明亮"]), Organisation = "乡镇人民政府", Role = "组员" },
            ],
        };
        db.Add(force);
        // Weekly patrols for the last eight weeks; about one task force in ten stopped two weeks ago (a gap).
        var stopped = rnd.NextDouble() < 0.1 ? 14 : 0;
        for (var week = 0; week < 8; week++)
        {
            var date = today.AddDays(-(week * 7) - stopped - rnd.Next(0, 3));
            var signs = rnd.NextDouble() < 0.03;
            db.Add(new PatrolLog
            {
                TaskForce = force,
                MineId = mine.Id,
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                Date = date,
                Patroller = Pick(rnd, Patrollers),
                Observation = signs ? "夜间发现井口有灯光、运煤车辆出入痕迹，疑似明停暗开，已报告并责令停止。" : "井口封闭完好，无人员出入，未发现生产迹象。",
                IllegalProductionSigns = signs,
                At = ChinaTime.StartOfDay(date).AddHours(10),
            });
        }
    }

    private void AddTenItems(MineRow mine, Random rnd, DateTime now, string by)
    {
        foreach (var item in Enum.GetValues<TenItem>())
        {
            db.Add(new TenItemCheck
            {
                MineId = mine.Id,
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                Item = item,
                Done = rnd.NextDouble() < 0.8,
                UpdatedByName = by,
                UpdatedAt = now.AddDays(-rnd.Next(1, 60)),
            });
        }
    }

    private static TimelineEntry Entry(Conflict c, string action, ConflictState? from, ConflictState to, string actor, DateTime at, string? note) => new()
    {
        SubjectType = ConflictService.Subject,
        SubjectId = c.Id,
        RegionCode = c.RegionCode,
        EnterpriseId = c.EnterpriseId,
        Action = action,
        FromState = from?.Label(),
        ToState = to.Label(),
        ActorName = actor,
        At = at,
        Note = note,
    };

    private static string Describe(ConflictCategory category, string mine, int persons, double? amount) => category switch
    {
        ConflictCategory.WageArrears => $"{mine}拖欠 {persons} 名职工工资共 {amount:0.#} 万元，职工多次到矿部讨要。",
        ConflictCategory.Resettlement => $"{mine}关闭后 {persons} 名职工待安置，要求落实经济补偿和社保接续。",
        ConflictCategory.AssetsDebt => $"{mine}欠供应商、施工方货款工程款共 {amount:0.#} 万元，债权人要求清偿。",
        ConflictCategory.Loans => $"{mine}向社会人员借款 {amount:0.#} 万元到期未还，涉及 {persons} 名出借人。",
        ConflictCategory.Legal => $"{mine}涉及 {persons} 起民事诉讼及执行案件，处置方案可能被诉。",
        ConflictCategory.MineVillage => $"{mine}与周边村民因占地、道路、用工问题发生矛盾，涉及 {persons} 人。",
        ConflictCategory.Water => $"{mine}开采影响周边村组饮用水源，{persons} 名群众饮水困难。",
        ConflictCategory.HouseDamage => $"{mine}周边 {persons} 户房屋出现裂缝，群众要求鉴定赔偿约 {amount:0.#} 万元。",
        ConflictCategory.Pollution => $"{mine}矸石堆放、排水影响周边农田，{persons} 名群众反映强烈。",
        ConflictCategory.Compensation => $"{mine}整合补偿款 {amount:0.#} 万元未到位，投资人不满。",
        _ => $"{mine}其他不稳定因素，涉及 {persons} 人。",
    };

    private static string Measures(ConflictCategory category) => category switch
    {
        ConflictCategory.WageArrears => "督促企业制定清偿计划，优先保障农民工工资；必要时启用应急周转金。",
        ConflictCategory.Resettlement => "落实职工分流安置方案，开展转岗培训，依法支付经济补偿。",
        ConflictCategory.MineVillage or ConflictCategory.Water or ConflictCategory.HouseDamage or ConflictCategory.Pollution => "组织矿村协商，委托第三方鉴定，落实补偿和治理措施。",
        _ => "包案领导牵头，依法依规分类化解，定期通报进展。",
    };

    private static T Pick<T>(Random rnd, IReadOnlyList<T> list) => list[rnd.Next(list.Count)];
}

/// <summary>An actor for workflow steps of demo data (who the demo says did them), outside any request.</summary>
internal sealed record SystemActor(long Id, string Name, string RegionCode, string[] Roles)
{
    public CurrentUser AsCurrentUser()
    {
        var identity = new System.Security.Claims.ClaimsIdentity("demo");
        identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.NameIdentifier, Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Name, Name));
        identity.AddClaim(new System.Security.Claims.Claim(ScopeClaims.DisplayName, Name));
        identity.AddClaim(new System.Security.Claims.Claim(ScopeClaims.Region, RegionCode));
        foreach (var role in Roles)
        {
            identity.AddClaim(new System.Security.Claims.Claim(System.Security.Claims.ClaimTypes.Role, role));
        }

        return CurrentUser.For(new System.Security.Claims.ClaimsPrincipal(identity));
    }
}
