using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Demo;
using MineRisk.Web.Platform.Regions;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Web.Features.Hazards;

/// <summary>
/// The hazard ledger of the demo, reproducible from the seed and consistent with the workflow of <see cref="HazardService"/>:
/// DESIGN §3 volumes (20,000 hazards a year for a city, 100,000 a province, 1,000,000 the nation) found over the twelve
/// months before the clock, most of them at producing mines and none at a closed mine after it stopped (its 停产 milestone).
/// About 3 % are 重大 (a 判定依据 of the current 判定标准 that fits the mine, production stopped in the area, reported,
/// a six-element plan, most 挂牌督办 by the county or the city with a 文号, 销牌 after verification); a few producing
/// mines have two or more found within three months (条例 第70条). Old hazards are mostly 已销号 (the verifier is never
/// the rectifier), recent ones are in every state, a few percent are open past their deadline, some came back from a
/// 回马枪 revisit. Finders, rectifiers and verifiers are the demo accounts: the enterprise account self-reports and fixes at
/// its own mines; elsewhere the nearest regulator account registers (also the self-checks, as if entering the mine's list),
/// is the rectifier the deadline is assigned to, and the account above it verifies; counties without an account are
/// represented by the regulator above them, and at the national scale the verifier above the nation's account is named.
/// <para>
/// Written in bulk (<see cref="BulkTable{T}"/>: binary COPY or one prepared INSERT, one transaction), so the nation's
/// million rows take minutes and the city is a small part of the first start (figures in docs/PERFORMANCE.md); the audit
/// trail records one event. Deadlines exist only for open hazards (the deadline engine has nothing to do for closed ones),
/// with the escalation steps already past recorded as done (without the notifications they sent then), so that a first
/// sweep does not flood the inboxes with a year of reminders.
/// Timelines (每一步办理过程): every hazard at city scale; at the larger scales the open ones, the major ones, the
/// enterprise account's and a 5 % sample of the closed ones (the rest would be millions of rows nobody reads).
/// No photos: the demo has no pictures to attach.
/// </para>
/// </summary>
public sealed partial class HazardDemoSeeder(AppDbContext db, DeadlineService deadlines, TimeProvider clock, IOptions<HazardOptions> options,
    ILogger<HazardDemoSeeder> logger) : IDemoSeeder
{
    private const int Batch = 5000;

    public int Order => 30;

    public IEnumerable<DemoAccount> AccountsFor(DemoScale scale) => [];

    /// <summary>Hazards found per year at a scale (DESIGN §3).</summary>
    public static int YearlyTarget(DemoScale scale) => scale switch { DemoScale.Nation => 1_000_000, DemoScale.Province => 100_000, _ => 20_000 };

    private DateTime _now;
    private DateOnly _today;
    private Random _rnd = null!;
    private EscalationPolicy _policy = null!;
    private IReadOnlyList<string> _categories = null!;
    private Dictionary<(int Category, int Item), (long Id, string Basis)> _criteria = null!;

    public async Task SeedAsync(DemoContext context, CancellationToken ct)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        _rnd = new Random(context.Random.Next());
        _now = clock.GetUtcNow().UtcDateTime;
        _today = ChinaTime.DateOf(_now);
        _policy = deadlines.Policy;
        _categories = options.Value.Categories;
        await LoadCriteriaAsync(ct);
        var sites = await LoadSitesAsync(ct);
        var plan = Plan(sites, YearlyTarget(context.Scale));
        var timelineSample = context.Scale == DemoScale.City ? 1.0 : 0.05;

        await db.Database.OpenConnectionAsync(ct);
        var audit = db.AuditEnabled;
        try
        {
            if (!db.IsPostgres)
            {
                // A larger page cache while the indexes of a million rows grow (per connection; restored below).
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -200000", ct);
            }

            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            using var writer = new Writer(db);
            writer.NextHazardId = await writer.Hazards.NextKeyAsync(ct);
            writer.NextDeadlineId = await writer.Deadlines.NextKeyAsync(ct);
            writer.NextRevisitId = await writer.Revisits.NextKeyAsync(ct);
            var stats = new Stats();
            var numbers = new Dictionary<string, long>();
            var pendingRevisits = new PriorityQueue<PendingRevisit, (DateTime At, long HazardId)>();
            for (var start = 0; start < plan.Length; start += Batch)
            {
                ct.ThrowIfCancellationRequested();
                var end = Math.Min(plan.Length, start + Batch);
                for (var i = start; i < end; i++)
                {
                    var p = plan[i];
                    FinishRevisitsBefore(new DateTime(p.Registered, DateTimeKind.Utc), pendingRevisits, sites, writer, numbers, stats);
                    Generate(p, sites[p.Site], writer, numbers, pendingRevisits, stats, timelineSample);
                }

                await writer.FlushAsync(ct);
            }

            FinishRevisitsBefore(DateTime.MaxValue, pendingRevisits, sites, writer, numbers, stats);
            await writer.FlushAsync(ct);
            await writer.Hazards.AfterExplicitKeysAsync(ct);
            await writer.Deadlines.AfterExplicitKeysAsync(ct);
            await writer.Revisits.AfterExplicitKeysAsync(ct);
            await HazardRollup.RebuildAsync(db, ct);
            var indexed = System.Diagnostics.Stopwatch.StartNew();
            LogIndexed(await HazardSearch.RebuildAsync(db, ct), indexed.ElapsedMilliseconds);

            db.AuditEnabled = false;
            foreach (var (key, last) in numbers)
            {
                db.Add(new NumberSequence { Key = key, Last = last });
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            db.AuditEnabled = audit;
            db.AuditEvent(new Platform.Audit.AuditEvent("生成演示数据",
                $"演示数据：隐患 {stats.Hazards} 条（重大隐患 {stats.Majors} 条），回马枪复查 {stats.Revisits} 次（规模 {context.Scale}）", "隐患"));
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            foreach (var table in writer.Tables)
            {
                await table.AnalyzeAsync(ct);
            }

            LogSeeded(stats.Hazards, stats.Majors, stats.Deadlines, stats.Timeline, stats.Revisits, watch.ElapsedMilliseconds);
        }
        finally
        {
            db.AuditEnabled = audit;
            if (!db.IsPostgres)
            {
                await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -2000", CancellationToken.None);
            }

            await db.Database.CloseConnectionAsync();
        }
    }

    // ---- what the generator knows of a mine ---------------------------------------------------------------

    /// <summary>Who did a step: a demo account, or (at the national scale, where counties have none) a named official.</summary>
    private sealed record Actor(long? Id, string Name, string? Organisation = null, string? RegionCode = null);

    private sealed class Site
    {
        public required long Id { get; init; }

        public required string Name { get; init; }

        public required string RegionCode { get; init; }

        public required string County { get; init; }

        public required string CountyName { get; init; }

        public required long? EnterpriseId { get; init; }

        public required MineStatus Status { get; init; }

        public required GasLevel Gas { get; init; }

        public required HydroType Hydro { get; init; }

        public required bool RockBurst { get; init; }

        public required CombustionTendency Combustion { get; init; }

        public required StandardizationLevel Standard { get; init; }

        public required double Capacity { get; init; }

        /// <summary>For a closed mine: when production stopped (its 停产 milestone); nothing is found there later.</summary>
        public DateTime? StoppedAt { get; init; }

        /// <summary>The regulator account nearest to the mine (its county's, else the city's, the province's, the nation's).</summary>
        public required Actor Local { get; init; }

        /// <summary>The account above <see cref="Local"/> (verifies what the local regulator fixed); a named official when there is none.</summary>
        public required Actor Upper { get; init; }

        /// <summary>Who fixes: the enterprise account at its own mines, else the local regulator (the deadline is theirs).</summary>
        public required Actor Rectifier { get; init; }

        public Actor? Enterprise { get; init; }

        /// <summary>挂牌督办 at county and at city level: who lists (their organisation and region) and later 销牌.</summary>
        public required Actor CountyIssuer { get; init; }

        public required Actor CityIssuer { get; init; }

        /// <summary>The supervising department a major hazard is reported to (安全生产法 第41条).</summary>
        public required string Bureau { get; init; }

        public required string SupervisionTeam { get; init; }

        public required string[] Panels { get; init; }

        public required string[] Levels { get; init; }

        public required Dictionary<KeyPosition, string> People { get; init; }

        public double Weight { get; set; }

        public double MajorRate { get; set; }

        public bool Candidate { get; set; }

        public bool Producing => Status == MineStatus.Producing;

        public Actor Verifier => Rectifier.Id != Local.Id ? Local : Upper;

        /// <summary>Recently closed hazards (never reopened), from which a 回马枪 draws its sample.</summary>
        public Queue<(long Id, DateTime ClosedAt)> Closed { get; } = new();
    }

    private async Task LoadCriteriaAsync(CancellationToken ct)
    {
        var standard = await db.Set<HazardStandard>().Where(s => s.Current).Select(s => new { s.Id, s.Code }).FirstAsync(ct);
        var items = await db.Set<HazardCriterion>().Where(c => c.Category!.StandardId == standard.Id)
            .Select(c => new { c.Id, c.No, CategoryNo = c.Category!.No, c.Category.Article }).ToListAsync(ct);
        _criteria = items.ToDictionary(c => (c.CategoryNo, c.No), c => (c.Id, HazardCriterion.Cite(standard.Code, c.Article, c.No)));
    }

    private async Task<List<Site>> LoadSitesAsync(CancellationToken ct)
    {
        var mines = await db.Set<Mine>().IgnoreQueryFilters().OrderBy(m => m.Id).Select(m => new
        {
            m.Id, m.Name, m.RegionCode, m.EnterpriseId, m.Status, m.GasLevel, m.HydroType, m.RockBurst, m.Combustion, m.Standardization, m.ApprovedCapacity,
        }).ToListAsync(ct);
        var stopped = await db.Set<Milestone>().IgnoreQueryFilters().Where(m => m.Seq == 1 && m.Name == "停产" && m.CompletedAt != null)
            .Select(m => new { m.MineId, m.CompletedAt }).ToListAsync(ct);
        var stoppedAt = stopped.GroupBy(s => s.MineId).ToDictionary(g => g.Key, g => g.Min(s => s.CompletedAt!.Value));
        var people = (await db.Set<KeyPerson>().IgnoreQueryFilters().Select(p => new { p.MineId, p.Position, p.Name }).ToListAsync(ct))
            .GroupBy(p => p.MineId).ToDictionary(g => g.Key, g => g.GroupBy(p => p.Position).ToDictionary(x => x.Key, x => x.First().Name));
        var regions = await db.Regions.IgnoreQueryFilters().Select(r => new { r.Code, r.Name, r.ParentCode }).ToDictionaryAsync(r => r.Code, ct);
        var bureaus = (await db.Organisations.IgnoreQueryFilters().Where(o => o.Kind == OrganisationKind.EmergencyBureau)
            .Select(o => new { o.RegionCode, o.Name }).ToListAsync(ct)).GroupBy(o => o.RegionCode).ToDictionary(g => g.Key, g => g.First().Name);
        var accounts = await db.Users.IgnoreQueryFilters().Where(u => u.IsDemo && u.Organisation != null)
            .Select(u => new { u.Id, u.UserName, u.DisplayName, Org = u.Organisation!.Name, u.Organisation.RegionCode, u.Organisation.EnterpriseId })
            .ToListAsync(ct);
        Actor? Account(string userName) => accounts.Where(a => a.UserName == userName)
            .Select(a => new Actor(a.Id, a.DisplayName, a.Org, a.RegionCode)).FirstOrDefault();
        var countyAccounts = accounts.Where(a => a.UserName!.StartsWith("county.", StringComparison.Ordinal))
            .GroupBy(a => a.RegionCode).ToDictionary(g => g.Key, g => g.Select(a => new Actor(a.Id, a.DisplayName, a.Org, a.RegionCode)).First());
        var city = Account("city")!;
        var admin = Account("admin")!;
        var province = Account("province");
        var nation = Account("nation");
        var enterprise = accounts.FirstOrDefault(a => a.UserName == "enterprise.demo");
        var demoCity = city.RegionCode!;

        var sites = new List<Site>(mines.Count);
        foreach (var m in mines)
        {
            var county = m.RegionCode[..6];
            var cityCode = regions.TryGetValue(county, out var c) ? c.ParentCode ?? county : county;
            var countyName = c?.Name ?? county;
            var cityName = regions.TryGetValue(cityCode, out var cc) ? cc.Name : cityCode;
            var inDemoCity = cityCode == demoCity;
            var local = countyAccounts.GetValueOrDefault(county)
                        ?? (inDemoCity ? city : county.StartsWith("53", StringComparison.Ordinal) && province is not null ? province : nation ?? city);
            var upper = local == city ? admin
                : countyAccounts.ContainsKey(county) ? city
                : local == province && nation is not null ? nation
                : new Actor(null, PersonName(), $"{cityName}应急管理局", cityCode);
            var own = enterprise is not null && enterprise.EnterpriseId == m.EnterpriseId ? new Actor(enterprise.Id, enterprise.DisplayName, enterprise.Org, enterprise.RegionCode) : null;
            var bureau = bureaus.GetValueOrDefault(county) ?? $"{countyName}应急管理局";
            sites.Add(new Site
            {
                Id = m.Id,
                Name = m.Name,
                RegionCode = m.RegionCode,
                County = county,
                CountyName = countyName,
                EnterpriseId = m.EnterpriseId,
                Status = m.Status,
                Gas = m.GasLevel,
                Hydro = m.HydroType,
                RockBurst = m.RockBurst,
                Combustion = m.Combustion,
                Standard = m.Standardization,
                Capacity = m.ApprovedCapacity ?? 0,
                StoppedAt = m.Status == MineStatus.Closed ? stoppedAt.GetValueOrDefault(m.Id, _now.AddYears(-2)) : null,
                Local = local,
                Upper = upper,
                Rectifier = own ?? local,
                Enterprise = own,
                CountyIssuer = countyAccounts.GetValueOrDefault(county) ?? new Actor(null, PersonName(), bureau, county),
                CityIssuer = inDemoCity ? city : new Actor(null, PersonName(), bureaus.GetValueOrDefault(cityCode) ?? $"{cityName}应急管理局", cityCode),
                Bureau = bureau,
                SupervisionTeam = inDemoCity ? $"{cityName}安委办督查组" : county.StartsWith("53", StringComparison.Ordinal) ? "云南省应急管理厅督查组" : $"国家矿山安全监察局{ProvinceName(county)}局",
                Panels = Enumerable.Range(0, 3).Select(_ => Panel()).Distinct().ToArray(),
                Levels = [$"+{_rnd.Next(80, 190) * 10}", $"+{_rnd.Next(80, 190) * 10}"],
                People = people.GetValueOrDefault(m.Id) ?? [],
            });
        }

        return sites;
    }

    private string Panel() => _rnd.NextDouble() < 0.7
        ? $"{_rnd.Next(1, 10)}{_rnd.Next(1, 4)}0{_rnd.Next(1, 7)}"
        : $"{_rnd.Next(1, 3)}{_rnd.Next(1, 10)}{_rnd.Next(1, 4)}0{_rnd.Next(1, 7)}";

    private static string ProvinceName(string county) => county[..2] switch
    {
        "14" => "山西", "15" => "内蒙古", "23" => "黑龙江", "34" => "安徽", "37" => "山东", "41" => "河南", "51" => "四川", "52" => "贵州", "61" => "陕西",
        "62" => "甘肃", "65" => "新疆", _ => "云南",
    };

    // ---- when and where hazards are found ---------------------------------------------------------------

    /// <summary>One hazard to generate: when it was found and registered, at which mine, and whether it will be graded 重大.</summary>
    private readonly record struct Planned(long Registered, long Found, int Site, int Seq, bool Major);

    /// <summary>
    /// Decides every hazard's mine, finding and registration time and level, then orders them by registration (so that
    /// ids and 隐患编号 follow time, as they would in real use). A day's expected count at a mine is proportional to the
    /// mine's weight (producing and large mines, poor standardisation) and half on rest days (the work calendar).
    /// </summary>
    private Planned[] Plan(List<Site> sites, int target)
    {
        var first = _today.AddDays(-365);
        var days = Enumerable.Range(0, 366).Select(i => first.AddDays(i)).ToArray();
        var dayFactor = days.Select(d => WorkCalendar.Default.IsWorkingDay(d) ? 1.0 : 0.5).ToArray();
        foreach (var s in sites)
        {
            s.Weight = Weight(s);
            s.MajorRate = MajorRate(s);
        }

        // Normalised over the days each mine is open, so that the expected total is the target.
        var norm = 0.0;
        foreach (var s in sites)
        {
            for (var d = 0; d < days.Length; d++)
            {
                if (s.StoppedAt is not { } stop || ChinaTime.StartOfDay(days[d]) < stop)
                {
                    norm += s.Weight * dayFactor[d];
                }
            }
        }

        var perSite = new List<List<(long Registered, long Found)>>(sites.Count);
        foreach (var s in sites)
        {
            var found = new List<(long, long)>();
            for (var d = 0; d < days.Length; d++)
            {
                var count = Poisson(target * s.Weight * dayFactor[d] / norm);
                for (var k = 0; k < count; k++)
                {
                    // Day shift mostly (inspections, the morning self-check), some at night.
                    var minutes = _rnd.NextDouble() < 0.75 ? _rnd.Next(8 * 60, 18 * 60) : _rnd.Next(0, 24 * 60);
                    var at = ChinaTime.StartOfDay(days[d]).AddMinutes(minutes).AddSeconds(_rnd.Next(60));
                    var registered = at.AddMinutes(_rnd.NextDouble() < 0.7 ? _rnd.Next(5, 120) : _rnd.Next(120, 26 * 60));
                    if (at >= _now.AddMinutes(-30) || (s.StoppedAt is { } stop && at >= stop))
                    {
                        continue;
                    }

                    found.Add((Math.Min(registered.Ticks, _now.AddMinutes(-10).Ticks), at.Ticks));
                }
            }

            found.Sort((a, b) => a.Item2.CompareTo(b.Item2));
            perSite.Add(found);
        }

        var majors = ChooseMajors(sites, perSite);
        var plan = new List<Planned>(perSite.Sum(f => f.Count));
        for (var i = 0; i < sites.Count; i++)
        {
            for (var k = 0; k < perSite[i].Count; k++)
            {
                plan.Add(new Planned(perSite[i][k].Registered, perSite[i][k].Found, i, plan.Count, majors[i][k]));
            }
        }

        var array = plan.ToArray();
        Array.Sort(array, (a, b) => a.Registered != b.Registered ? a.Registered.CompareTo(b.Registered) : a.Seq.CompareTo(b.Seq));
        return array;
    }

    /// <summary>
    /// Which hazards are 重大: each with the mine's rate; then 条例 第70条 is made to hold for a chosen few producing mines
    /// (two or three majors found within the last three months) and for no other (a producing mine keeps at most one
    /// major in that window; the others found there are 一般).
    /// </summary>
    private List<bool[]> ChooseMajors(List<Site> sites, List<List<(long Registered, long Found)>> perSite)
    {
        var window = _now.AddMonths(-3).AddDays(-2).Ticks;
        var recentFrom = _now.AddDays(-80).Ticks;
        var recentTo = _now.AddDays(-2).Ticks;
        var result = new List<bool[]>(sites.Count);
        for (var i = 0; i < sites.Count; i++)
        {
            result.Add(perSite[i].Select(_ => _rnd.NextDouble() < sites[i].MajorRate).ToArray());
        }

        var eligible = Enumerable.Range(0, sites.Count)
            .Where(i => sites[i].Producing && perSite[i].Count(f => f.Found >= recentFrom && f.Found < recentTo) >= 4)
            .OrderBy(_ => _rnd.Next()).ToList();
        var wanted = Math.Max(3, (int)Math.Round(sites.Count(s => s.Producing) * 0.03));
        // One of them in the first county with a demo account, so that its regulator sees a flag too.
        var firstCounty = sites.Where(s => s.Local.RegionCode is { Length: 6 } r && !r.EndsWith("00", StringComparison.Ordinal)).Select(s => s.County).Order().FirstOrDefault();
        var preferred = eligible.FindIndex(i => sites[i].County == firstCounty);
        if (preferred > 0)
        {
            (eligible[0], eligible[preferred]) = (eligible[preferred], eligible[0]);
        }

        foreach (var i in eligible.Take(wanted))
        {
            sites[i].Candidate = true;
        }

        for (var i = 0; i < sites.Count; i++)
        {
            if (!sites[i].Producing)
            {
                continue;
            }

            var found = perSite[i];
            var majors = result[i];
            if (sites[i].Candidate)
            {
                // Exactly two or three majors in the window.
                var need = _rnd.NextDouble() < 0.3 ? 3 : 2;
                var recent = Enumerable.Range(0, found.Count).Where(k => found[k].Found >= window).OrderBy(_ => _rnd.Next()).ToList();
                var chosen = recent.Where(k => found[k].Found >= recentFrom && found[k].Found < recentTo).Take(need).ToHashSet();
                foreach (var k in recent)
                {
                    majors[k] = chosen.Contains(k);
                }
            }
            else
            {
                var kept = false;
                for (var k = 0; k < found.Count; k++)
                {
                    if (majors[k] && found[k].Found >= window)
                    {
                        majors[k] = !kept;
                        kept = true;
                    }
                }
            }
        }

        return result;
    }

    private static double Weight(Site s)
    {
        var status = s.Status switch
        {
            MineStatus.Producing => 1.0,
            MineStatus.TechnicalUpgrade => 0.55,
            MineStatus.UnderConstruction => 0.45,
            MineStatus.SuspendedForRectification => 0.35,
            MineStatus.ConstructionHalted => 0.12,
            MineStatus.LongIdle => 0.08,
            _ => 0.15,
        };
        var standard = s.Standard switch
        {
            StandardizationLevel.Level1 => 0.8,
            StandardizationLevel.Level2 => 1.0,
            StandardizationLevel.Level3 => 1.15,
            _ => 1.35,
        };
        return status * (0.6 + (s.Capacity / 150)) * standard;
    }

    private static double MajorRate(Site s)
    {
        var gas = s.Gas switch { GasLevel.Outburst => 1.3, GasLevel.High => 1.1, _ => 0.8 };
        var water = s.Hydro is HydroType.Complex or HydroType.VeryComplex ? 1.2 : 1.0;
        var standard = s.Standard switch { StandardizationLevel.Level1 => 0.6, StandardizationLevel.Level2 => 0.9, StandardizationLevel.Level3 => 1.15, _ => 1.5 };
        var status = s.Status switch
        {
            MineStatus.TechnicalUpgrade or MineStatus.UnderConstruction => 1.4,
            MineStatus.SuspendedForRectification => 1.3,
            _ => 1.0,
        };
        return 0.03 * gas * water * standard * status;
    }

    private int Poisson(double lambda)
    {
        var limit = Math.Exp(-lambda);
        var k = 0;
        var p = _rnd.NextDouble();
        while (p > limit)
        {
            k++;
            p *= _rnd.NextDouble();
        }

        return k;
    }

    // ---- one hazard, from 登记 to 销号 ------------------------------------------------------------------------

    private sealed class Stats
    {
        public int Hazards { get; set; }

        public int Majors { get; set; }

        public int Deadlines { get; set; }

        public int Timeline { get; set; }

        public int Revisits { get; set; }
    }

    /// <summary>A 回马枪 whose date has not been reached yet in the generation: numbered and written once it has.</summary>
    private sealed record PendingRevisit(int Site, DateTime At, long HazardId, TimelineEntry? Reopened, string? Note, DateOnly? NewDue, Actor By, bool TimelineKept);

    private void Generate(Planned p, Site s, Writer writer, Dictionary<string, long> numbers, PriorityQueue<PendingRevisit, (DateTime At, long HazardId)> revisits, Stats stats, double timelineSample)
    {
        var found = new DateTime(p.Found, DateTimeKind.Utc);
        var registered = new DateTime(p.Registered, DateTimeKind.Utc);
        var major = p.Major ? PickMajor(s) : null;
        var template = major is null ? PickGeneral(s) : null;
        var category = Category(major?.Category ?? template!.Category);
        var place = major is not null ? Place(major.Place, major.At, category, s) : Place(template!.Place, template.At, category, s);
        var source = Source(s, major is not null);
        var registrar = source switch
        {
            HazardSource.SelfCheck => s.Enterprise ?? s.Local,
            HazardSource.Supervision => s.Upper.Id is null ? s.Local : s.Upper,
            _ => s.Local,
        };
        var id = writer.NextHazardId++;
        var county = s.County;
        var key = $"YH-{county}-{ChinaTime.ToChina(registered).Year}";
        numbers[key] = numbers.GetValueOrDefault(key) + 1;
        var description = Fill(major?.Text ?? template!.Text);
        var span = major is not null ? 15 : Span(category);
        var hazard = new Hazard
        {
            Id = id,
            Number = $"{key}-{numbers[key]:000000}",
            MineId = s.Id,
            RegionCode = s.RegionCode,
            EnterpriseId = s.EnterpriseId,
            Location = place,
            Description = description,
            Source = source,
            ProfessionalCategory = category,
            FoundAt = found,
            FoundById = registrar.Id,
            FoundByName = FoundBy(source, s, registrar, category),
            FoundWhileProducing = s.Producing,
            Measures = Fill(major?.Measure ?? template!.Measure),
            Funds = major is not null ? Math.Round(10 + (_rnd.NextDouble() * 290), 1) : _rnd.NextDouble() < 0.15 ? null : Math.Round(Math.Exp(Math.Log(0.05) + (_rnd.NextDouble() * Math.Log(160))), 2),
            ResponsibleUnit = Unit(category),
            ResponsiblePerson = Responsible(s, category, major is not null),
            RectifierUserId = s.Rectifier.Id!.Value,
            RectifierName = s.Rectifier.Name,
            DueOn = Max(ChinaTime.DateOf(found).AddDays(span), ChinaTime.DateOf(registered)),
            RegisteredById = registrar.Id ?? s.Local.Id!.Value,
            RegisteredByName = registrar.Name,
            RegisteredAt = registered,
            UpdatedAt = registered,
            Version = 1,
        };
        var steps = new List<TimelineEntry>();
        void Step(string action, HazardState? from, Actor actor, DateTime at, string? note)
        {
            steps.Add(new TimelineEntry
            {
                SubjectType = HazardService.Subject,
                SubjectId = id,
                RegionCode = hazard.RegionCode,
                EnterpriseId = hazard.EnterpriseId,
                Action = action,
                FromState = from?.Label(),
                ToState = hazard.State.Label(),
                ActorId = actor.Id,
                ActorName = actor.Name,
                At = at,
                Note = note,
            });
            hazard.UpdatedAt = at > hazard.UpdatedAt ? at : hazard.UpdatedAt;
            if (steps.Count > 1)
            {
                hazard.Version++;
            }
        }

        Step("登记", null, registrar, registered, $"{source.Label()}：{description}");
        var life = Live(hazard, s, major, registrar, place, Step);
        var keepTimeline = _rnd.NextDouble() < timelineSample || hazard.IsOpen || major is not null || s.Enterprise is not null || life.Revisit is not null;
        writer.HazardRows.Add(hazard);
        stats.Hazards++;
        stats.Majors += hazard.Level == HazardLevel.Major ? 1 : 0;
        if (keepTimeline)
        {
            writer.TimelineRows.AddRange(steps);
            stats.Timeline += steps.Count;
        }

        if (hazard.IsOpen)
        {
            OpenDeadlines(hazard, s, life, writer, stats);
        }
        else if (life.Revisit is null && hazard.Reopens == 0)
        {
            s.Closed.Enqueue((id, hazard.ClosedAt!.Value));
            if (s.Closed.Count > 40)
            {
                s.Closed.Dequeue();
            }
        }

        if (life.Revisit is { } revisit)
        {
            revisits.Enqueue(revisit with { Site = p.Site, TimelineKept = keepTimeline }, (revisit.At, revisit.HazardId));
        }
    }

    /// <summary>What the life of a hazard left for its deadlines and for a 回马枪.</summary>
    private sealed record Life(DateTime DeadlineStart, DateTime? ExtendedAt = null, DateOnly? DueBeforeExtension = null, string? ExtensionReason = null,
        PendingRevisit? Revisit = null);

    /// <summary>
    /// Plays the workflow forward from registration with plausible delays, stopping at the clock: every step that has
    /// happened by now is applied (through the transition table) and recorded, so the state is whatever was reached.
    /// </summary>
    private Life Live(Hazard h, Site s, MajorTemplate? major, Actor registrar, string place, Action<string, HazardState?, Actor, DateTime, string?> record)
    {
        var ageDays = (_now - h.FoundAt).TotalDays;
        var verifier = s.Verifier;
        bool Happened(DateTime at) => at <= _now;

        // A major one is 挂牌督办 by the county (most) or the city a few days after it was reported, if still open then.
        DateTime? listedAt = null;
        Actor? issuer = null;
        void ListIfDue(DateTime before)
        {
            if (listedAt is not { } at || h.ListedAt is not null || h.State == HazardState.Closed || at > before || !Happened(at))
            {
                return;
            }

            var year = ChinaTime.ToChina(at).Year;
            var docKey = $"{issuer!.RegionCode}-{year}";
            _documents[docKey] = _documents.GetValueOrDefault(docKey) + 1;
            var shortName = issuer.Organisation!.Replace("应急管理局", "", StringComparison.Ordinal).Replace("煤炭工业局", "", StringComparison.Ordinal);
            h.ListedAt = at;
            h.ListRegionCode = issuer.RegionCode;
            h.ListIssuer = issuer.Organisation;
            h.ListDocumentNumber = $"{shortName}安委办督〔{year}〕{_documents[docKey]}号";
            h.ListDueOn = Max(h.PlanDueOn ?? ChinaTime.DateOf(at).AddDays(60), ChinaTime.DateOf(at));
            record("挂牌督办", null, issuer, at, $"{h.ListIssuer}挂牌督办，文号 {h.ListDocumentNumber}，督办期限 {h.ListDueOn:yyyy-MM-dd}");
        }

        // Every step first lets a listing due before it happen, so that each is recorded in the state it met.
        void Step(string action, HazardState? from, Actor actor, DateTime at, string? note)
        {
            ListIfDue(at);
            record(action, from, actor, at, note);
        }

        // 定级: general ones mostly at once by whoever registered; a major one by the regulator, within a day.
        var grader = major is null || registrar.Id != s.Enterprise?.Id ? registrar : s.Local;
        var gradedAt = h.RegisteredAt.AddMinutes(major is not null ? _rnd.Next(30, 24 * 60) : _rnd.NextDouble() < 0.75 ? _rnd.Next(1, 60) : _rnd.Next(60, 3 * 24 * 60));
        if (!Happened(gradedAt))
        {
            return new Life(h.RegisteredAt);
        }

        var from = h.State;
        h.State = Next(h.State, HazardAction.Grade);
        h.Level = major is null ? HazardLevel.General : HazardLevel.Major;
        if (major is not null)
        {
            var (criterionId, basis) = _criteria[(major.Article, major.Item)];
            h.CriterionId = criterionId;
            h.Basis = basis;
            h.StoppedArea = Fill(major.Stopped.Replace("{place}", place, StringComparison.Ordinal));
            h.ReportedAt = gradedAt;
            h.ReportedTo = s.Bureau;
            Step("定级", from, grader, gradedAt, $"重大隐患，判定依据 {h.Basis}；停产范围：{h.StoppedArea}");
            if (_rnd.NextDouble() < 0.75)
            {
                listedAt = gradedAt.AddHours(_rnd.Next(12, 6 * 24));
                issuer = _rnd.NextDouble() < 0.7 ? s.CountyIssuer : s.CityIssuer;
            }
        }
        else
        {
            Step("定级", from, grader, gradedAt, "一般隐患");
        }

        // 治理方案 (major): the six elements, and the deadline comes from it.
        var deadlineStart = h.RegisteredAt;
        var startAt = gradedAt.AddMinutes(_rnd.NextDouble() < 0.6 ? _rnd.Next(1, 15) : _rnd.Next(15, 20 * 60));
        if (major is not null)
        {
            var plannedAt = gradedAt.AddHours(_rnd.Next(20, 5 * 24));
            if (!Happened(plannedAt))
            {
                ListIfDue(_now);
                return new Life(deadlineStart);
            }

            ListIfDue(plannedAt);
            ApplyPlan(h, s, major, plannedAt);
            deadlineStart = plannedAt;
            Step("治理方案", null, s.Rectifier, plannedAt, $"时限 {h.PlanDueOn:yyyy-MM-dd}；目标任务：{h.PlanGoal}");
            startAt = plannedAt.AddHours(_rnd.Next(2, 30));
        }

        if (!Happened(startAt))
        {
            ListIfDue(_now);
            return new Life(deadlineStart);
        }

        from = h.State;
        h.State = Next(h.State, HazardAction.Start);
        Step("开始整改", from, s.Rectifier, startAt, null);

        // Most are fixed well within the deadline; some late, some stuck (more of those among the recent ones).
        var dueAt = DeadlineService.EndOf(h.DueOn);
        var window = Math.Max((dueAt - startAt).TotalHours, 2);
        var stuck = _rnd.NextDouble() < (ageDays < 90 ? 0.05 : 0.008);
        var late = !stuck && _rnd.NextDouble() < 0.08;
        var submitAt = stuck ? DateTime.MaxValue : startAt.AddHours(window * (late ? 1.05 + (_rnd.NextDouble() * 0.6) : 0.1 + (_rnd.NextDouble() * 0.85)));
        DateTime? extendedAt = null;
        DateOnly? dueBefore = null;
        string? reason = null;
        if (late && _rnd.NextDouble() < 0.5 && verifier.Id is { } approverId && approverId != h.RectifierUserId)
        {
            // An extension asked before the deadline and granted by someone other than the one who asked.
            var askedAt = startAt.AddHours(window * (0.6 + (_rnd.NextDouble() * 0.35)));
            var grantedAt = askedAt.AddHours(_rnd.Next(2, 40));
            var wanted = Max(ChinaTime.DateOf(submitAt).AddDays(_rnd.Next(2, 12)), h.DueOn.AddDays(3));
            reason = Pick(ExtensionReasons);
            if (Happened(askedAt))
            {
                Step("申请延期", null, s.Rectifier, askedAt, $"申请延期至 {wanted:yyyy-MM-dd}：{reason}");
                if (Happened(grantedAt) && grantedAt < dueAt)
                {
                    dueBefore = h.DueOn;
                    h.DueOn = wanted;
                    h.Extensions++;
                    extendedAt = grantedAt;
                    Step("批准延期", null, verifier, grantedAt, $"整改期限延至 {wanted:yyyy-MM-dd}");
                }
                else
                {
                    // Still waiting for a decision.
                    h.ExtensionDueOn = wanted;
                    h.ExtensionReason = reason;
                    h.ExtensionRequestedById = s.Rectifier.Id;
                    h.ExtensionRequestedByName = s.Rectifier.Name;
                }
            }
        }

        if (!Happened(submitAt))
        {
            if (h.ExtensionDueOn is null)
            {
                AskExtensionMaybe(h, s, Step);
            }

            ListIfDue(_now);
            return new Life(deadlineStart, extendedAt, dueBefore, reason);
        }

        h.ExtensionDueOn = null; // a request still open at submission would have been withdrawn
        h.ExtensionReason = null;
        h.ExtensionRequestedById = null;
        h.ExtensionRequestedByName = null;
        var closedAt = SubmitAndVerify(h, s, major, submitAt, verifier, Step);
        if (closedAt is not { } closed)
        {
            ListIfDue(_now);
            return new Life(deadlineStart, extendedAt, dueBefore, reason);
        }

        if (h.ListedAt is not null)
        {
            var delistAt = closed.AddHours(_rnd.Next(20, 10 * 24));
            if (Happened(delistAt))
            {
                h.DelistedAt = delistAt;
                h.DelistedByName = issuer!.Name;
                Step("销牌", null, issuer, delistAt, "经验收合格，隐患已消除，同意销牌。");
            }
        }

        // 回马枪: a regulator comes back some weeks later; now and then the hazard is found again and reopened.
        if (major is null && _rnd.NextDouble() < 0.015)
        {
            var revisitAt = closed.AddDays(_rnd.Next(15, 120)).AddMinutes(_rnd.Next(-120, 120));
            if (revisitAt < _now.AddHours(-2))
            {
                if (_rnd.NextDouble() < 0.5)
                {
                    return new Life(deadlineStart, Revisit: new PendingRevisit(0, revisitAt, h.Id, null, null, null, s.Local, false));
                }

                var reopenAt = revisitAt.AddMinutes(_rnd.Next(10, 120));
                var note = Pick(RevisitFindings);
                var newDue = ChinaTime.DateOf(reopenAt).AddDays(_rnd.Next(5, 20));
                from = h.State;
                h.State = Next(h.State, HazardAction.Reopen);
                h.Reopens++;
                h.ClosedAt = null;
                h.VerifiedAt = null;
                h.DueOn = newDue;
                // The entry names the revisit's number, known once the revisits are numbered in date order.
                var entry = new TimelineEntry
                {
                    SubjectType = HazardService.Subject, SubjectId = h.Id, RegionCode = h.RegionCode, EnterpriseId = h.EnterpriseId, Action = "重新打开",
                    FromState = from.Label(), ToState = h.State.Label(), ActorId = s.Local.Id, ActorName = s.Local.Name, At = reopenAt,
                };
                h.UpdatedAt = reopenAt;
                h.Version++;
                var pending = new PendingRevisit(0, revisitAt, h.Id, entry, note, newDue, s.Local, false);
                var window2 = Math.Max((DeadlineService.EndOf(newDue) - reopenAt).TotalHours, 2);
                var resubmitAt = _rnd.NextDouble() < 0.1 ? DateTime.MaxValue : reopenAt.AddHours(window2 * (0.2 + (_rnd.NextDouble() * 0.75)));
                if (Happened(resubmitAt))
                {
                    SubmitAndVerify(h, s, null, resubmitAt, verifier, Step);
                }

                return new Life(reopenAt, Revisit: pending);
            }
        }

        return new Life(deadlineStart, extendedAt, dueBefore, reason);
    }

    /// <summary>提交验收 and 验收 (sometimes refused once). Returns when it was closed, if it was by now.</summary>
    private DateTime? SubmitAndVerify(Hazard h, Site s, MajorTemplate? major, DateTime submitAt, Actor verifier, Action<string, HazardState?, Actor, DateTime, string?> step)
    {
        for (var round = 0; round < 2; round++)
        {
            var from = h.State;
            h.State = Next(h.State, HazardAction.Submit);
            h.RectifiedById = s.Rectifier.Id;
            h.RectifiedByName = s.Rectifier.Name;
            h.SubmittedAt = submitAt;
            h.RectificationNote = round == 0 ? $"已按要求整改：{h.Measures}" : "已按验收意见重新整改，请复查。";
            step("提交验收", from, s.Rectifier, submitAt, h.RectificationNote);
            var verifyAt = submitAt.AddMinutes(major is not null ? _rnd.Next(24 * 60, 7 * 24 * 60) : _rnd.Next(30, 3 * 24 * 60));
            if (verifyAt > _now)
            {
                return null;
            }

            from = h.State;
            h.VerifierId = verifier.Id;
            h.VerifierName = verifier.Name;
            h.VerifiedAt = verifyAt;
            var refused = round == 0 && _rnd.NextDouble() < (major is not null ? 0.12 : 0.04);
            if (refused)
            {
                h.VerificationOpinion = Pick(RefusalOpinions);
                h.State = HazardState.Rectifying; // 验收不通过 goes back to 整改中, as HazardService does
                step("验收不通过", from, verifier, verifyAt, h.VerificationOpinion);
                submitAt = verifyAt.AddHours(_rnd.Next(24, 8 * 24));
                if (submitAt > _now)
                {
                    return null;
                }

                continue;
            }

            h.VerificationOpinion = major is not null
                ? $"经{verifier.Organisation ?? s.Bureau}组织现场验收，整改措施已落实，隐患已消除，同意销号，恢复相关区域作业。"
                : Pick(PassOpinions);
            h.State = Next(h.State, HazardAction.Verify);
            h.ClosedAt = verifyAt;
            step("验收通过，销号", from, verifier, verifyAt, h.VerificationOpinion);
            return verifyAt;
        }

        return null;
    }

    /// <summary>Now and then an open hazard near or past its deadline has an extension request waiting for a decision.</summary>
    private void AskExtensionMaybe(Hazard h, Site s, Action<string, HazardState?, Actor, DateTime, string?> step)
    {
        if (h.State != HazardState.Rectifying || h.DueOn > _today.AddDays(5) || _rnd.NextDouble() > 0.12)
        {
            return;
        }

        var askedAt = _now.AddHours(-_rnd.Next(1, 48));
        if (askedAt <= h.UpdatedAt)
        {
            return;
        }

        h.ExtensionDueOn = Max(h.DueOn, _today).AddDays(_rnd.Next(7, 21));
        h.ExtensionReason = Pick(ExtensionReasons);
        h.ExtensionRequestedById = s.Rectifier.Id;
        h.ExtensionRequestedByName = s.Rectifier.Name;
        step("申请延期", null, s.Rectifier, askedAt, $"申请延期至 {h.ExtensionDueOn:yyyy-MM-dd}：{h.ExtensionReason}");
    }

    private void ApplyPlan(Hazard h, Site s, MajorTemplate major, DateTime plannedAt)
    {
        var due = ChinaTime.DateOf(plannedAt).AddDays(_rnd.Next(20, 90));
        var manager = s.People.GetValueOrDefault(KeyPosition.MineManager) ?? PersonName();
        var chief = s.People.GetValueOrDefault(KeyPosition.ChiefEngineer) ?? PersonName();
        h.PlanGoal = $"{due:yyyy年M月d日}前彻底消除该重大事故隐患（{h.Basis}），经验收合格后恢复作业，杜绝同类隐患再次发生。";
        h.PlanMethods = $"{h.Measures}；整改期间由总工程师组织技术把关，安全科全过程跟踪检查，每周向{s.Bureau}报告进展。";
        h.PlanResources = FormattableString.Invariant($"安排整改资金 {h.Funds:0.#} 万元，{Fill(Resources(h.ProfessionalCategory))}，专款专用。");
        h.PlanPeople = $"成立以矿长{manager}为组长、总工程师{chief}为副组长的治理领导小组，{h.ResponsibleUnit}具体实施，安全科负责监督检查。";
        h.PlanDueOn = due;
        h.PlanSafety = $"治理期间{h.StoppedArea}，设置警戒和栅栏；编制专项应急预案，配齐自救器、压风自救和通信装置，发现险情立即撤出人员。";
        h.PlannedAt = plannedAt;
        h.DueOn = due;
    }

    private static HazardState Next(HazardState from, HazardAction action) =>
        Hazard.Transitions.Next(from, action) is var next && next.TryGetError(out var error) ? throw new InvalidOperationException(error.Message) : next.Value;

    /// <summary>
    /// The deadline of an open hazard (and of its listing), as the engine would have it now: opened when the deadline was
    /// set, extended if an extension was granted, and with the escalation steps whose time has passed recorded as done.
    /// </summary>
    private void OpenDeadlines(Hazard h, Site s, Life life, Writer writer, Stats stats)
    {
        var mineName = s.Name;
        var deadline = Deadline.Open(HazardService.Subject, h.Id, $"{h.Number} {mineName}隐患整改", h, life.DeadlineStart,
            DeadlineService.EndOf(life.DueBeforeExtension ?? h.DueOn), _policy, h.RectifierUserId, mineId: h.MineId, link: HazardService.Link(h));
        if (life.ExtendedAt is { } extendedAt)
        {
            Escalate(deadline, extendedAt);
            var extended = deadline.Extend(DeadlineService.EndOf(h.DueOn), life.ExtensionReason!, h.RectifierUserId, s.Verifier.Id!.Value, extendedAt, _policy);
            if (extended.TryGetError(out var error))
            {
                throw new InvalidOperationException(error.Message);
            }
        }

        Escalate(deadline, _now);
        h.DeadlineId = writer.Add(deadline);
        stats.Deadlines++;
        if (h.IsListed)
        {
            var listing = Deadline.Open(HazardService.ListingSubject, h.Id, $"{h.Number} {mineName}重大隐患挂牌督办（{h.ListDocumentNumber}）", h, h.ListedAt!.Value,
                DeadlineService.EndOf(h.ListDueOn!.Value), _policy, h.RectifierUserId, mineId: h.MineId, link: HazardService.Link(h));
            Escalate(listing, _now);
            writer.Add(listing);
            stats.Deadlines++;
        }
    }

    private void Escalate(Deadline deadline, DateTime until)
    {
        while (deadline.NextEscalationAt is { } at && at <= until)
        {
            deadline.MarkEscalated(deadline.EscalatedLevel + 1, at, _policy);
        }
    }

    /// <summary>Numbers and writes the 回马枪 revisits dated before <paramref name="before"/>, in date order.</summary>
    private void FinishRevisitsBefore(DateTime before, PriorityQueue<PendingRevisit, (DateTime At, long HazardId)> pending, List<Site> sites, Writer writer,
        Dictionary<string, long> numbers, Stats stats)
    {
        while (pending.TryPeek(out var r, out _) && r.At < before)
        {
            pending.Dequeue();
            var site = sites[r.Site];
            var createdAt = r.At.AddDays(-_rnd.Next(2, 8));
            var key = $"HMQ-{site.County}-{ChinaTime.ToChina(createdAt).Year}";
            numbers[key] = numbers.GetValueOrDefault(key) + 1;
            var number = $"{key}-{numbers[key]:000000}";
            var revisit = new Revisit
            {
                Id = writer.NextRevisitId++,
                Number = number,
                MineId = site.Id,
                RegionCode = site.RegionCode,
                EnterpriseId = site.EnterpriseId,
                ScheduledOn = ChinaTime.DateOf(r.At),
                ScheduledById = r.By.Id!.Value,
                ScheduledByName = r.By.Name,
                Note = "对近期已销号隐患开展“回马枪”复查。",
                CreatedAt = createdAt,
                CompletedAt = r.At.AddHours(2),
            };
            revisit.Items.Add(new RevisitItem
            {
                RevisitId = revisit.Id,
                HazardId = r.HazardId,
                Outcome = r.Reopened is null ? RevisitOutcome.Confirmed : RevisitOutcome.Reopened,
                Note = r.Reopened is null ? "整改到位，未发现反弹。" : r.Note,
                CheckedAt = r.At,
                CheckedByName = r.By.Name,
            });
            // A sample of the mine's other hazards closed in the six months before.
            foreach (var (hazardId, _) in site.Closed.Where(c => c.ClosedAt < r.At && c.ClosedAt > r.At.AddMonths(-6) && c.Id != r.HazardId)
                         .OrderBy(_ => _rnd.Next()).Take(_rnd.Next(2, 7)).ToList())
            {
                revisit.Items.Add(new RevisitItem
                {
                    RevisitId = revisit.Id, HazardId = hazardId, Outcome = RevisitOutcome.Confirmed, Note = "整改到位，未发现反弹。", CheckedAt = r.At.AddMinutes(_rnd.Next(5, 100)),
                    CheckedByName = r.By.Name,
                });
            }

            writer.RevisitRows.Add(revisit);
            writer.RevisitItemRows.AddRange(revisit.Items);
            if (r.Reopened is { } entry && r.TimelineKept)
            {
                writer.TimelineRows.Add(new TimelineEntry
                {
                    SubjectType = entry.SubjectType, SubjectId = entry.SubjectId, RegionCode = entry.RegionCode, EnterpriseId = entry.EnterpriseId, Action = entry.Action,
                    FromState = entry.FromState, ToState = entry.ToState, ActorId = entry.ActorId, ActorName = entry.ActorName, At = entry.At,
                    Note = $"回马枪复查（{number}）：{r.Note}；新的整改期限 {r.NewDue:yyyy-MM-dd}",
                });
                stats.Timeline++;
            }

            stats.Revisits++;
        }
    }

    // ---- bulk writing ---------------------------------------------------------------------------------------

    /// <summary>The rows of one batch, and the tables they go to (hazards first: the others point at them).</summary>
    private sealed class Writer(AppDbContext db) : IDisposable
    {
        public BulkTable<Hazard> Hazards { get; } = new(db, explicitKeys: true);

        public BulkTable<Deadline> Deadlines { get; } = new(db, explicitKeys: true);

        public BulkTable<Revisit> Revisits { get; } = new(db, explicitKeys: true);

        private readonly BulkTable<DeadlineEscalation> _escalations = new(db, explicitKeys: false);
        private readonly BulkTable<DeadlineExtension> _extensions = new(db, explicitKeys: false);
        private readonly BulkTable<TimelineEntry> _timeline = new(db, explicitKeys: false);
        private readonly BulkTable<RevisitItem> _items = new(db, explicitKeys: false);

        public long NextHazardId { get; set; }

        public long NextDeadlineId { get; set; }

        public long NextRevisitId { get; set; }

        public List<Hazard> HazardRows { get; } = [];

        public List<TimelineEntry> TimelineRows { get; } = [];

        public List<Revisit> RevisitRows { get; } = [];

        public List<RevisitItem> RevisitItemRows { get; } = [];

        private readonly List<Deadline> _deadlineRows = [];
        private readonly List<DeadlineEscalation> _escalationRows = [];
        private readonly List<DeadlineExtension> _extensionRows = [];

        public IEnumerable<IBulkTable> Tables => [Hazards, Deadlines, Revisits, _escalations, _extensions, _timeline, _items];

        /// <summary>Gives the deadline its id (and its escalations and extensions theirs) and queues it.</summary>
        public long Add(Deadline deadline)
        {
            var id = NextDeadlineId++;
            Deadlines.Set(deadline, nameof(Deadline.Id), id);
            foreach (var escalation in deadline.Escalations)
            {
                _escalations.Set(escalation, nameof(DeadlineEscalation.DeadlineId), id);
                _escalationRows.Add(escalation);
            }

            foreach (var extension in deadline.Extensions)
            {
                _extensions.Set(extension, nameof(DeadlineExtension.DeadlineId), id);
                _extensionRows.Add(extension);
            }

            _deadlineRows.Add(deadline);
            return id;
        }

        public async Task FlushAsync(CancellationToken ct)
        {
            await Hazards.WriteAsync(HazardRows, ct);
            await Deadlines.WriteAsync(_deadlineRows, ct);
            await _escalations.WriteAsync(_escalationRows, ct);
            await _extensions.WriteAsync(_extensionRows, ct);
            await _timeline.WriteAsync(TimelineRows, ct);
            await Revisits.WriteAsync(RevisitRows, ct);
            await _items.WriteAsync(RevisitItemRows, ct);
            HazardRows.Clear();
            _deadlineRows.Clear();
            _escalationRows.Clear();
            _extensionRows.Clear();
            TimelineRows.Clear();
            RevisitRows.Clear();
            RevisitItemRows.Clear();
        }

        public void Dispose()
        {
            foreach (var table in Tables)
            {
                table.Dispose();
            }
        }
    }

    // ---- what hazards look like ---------------------------------------------------------------------------

    private enum PlaceKind
    {
        Face,
        Heading,
        Roadway,
        Main,
        Power,
        Water,
        Air,
        Haulage,
        Blasting,
        Surface,
        Office,
        Monitor,
    }

    /// <param name="At">A place that fits only this hazard (<c>{panel}</c>, <c>{level}</c> filled per mine) instead of one of its kind.</param>
    private sealed record GeneralTemplate(string Category, PlaceKind Place, string Text, string Measure, string? At = null);

    private sealed record MajorTemplate(int Article, int Item, string Category, PlaceKind Place, string Text, string Stopped, string Measure, Func<Site, bool> Fits,
        string? At = null);

    private readonly Dictionary<string, long> _documents = [];

    private string Category(string wanted) => _categories.Contains(wanted) ? wanted : _categories[^1];

    private string Place(PlaceKind kind, string? at, string category, Site s)
    {
        var panel = Pick(s.Panels);
        var level = Pick(s.Levels);
        if (at is not null)
        {
            return at.Replace("{panel}", panel, StringComparison.Ordinal).Replace("{level}", level, StringComparison.Ordinal);
        }

        return kind switch
        {
            PlaceKind.Face => $"{panel} 回采工作面",
            PlaceKind.Heading => $"{panel} {Pick(["运输巷", "回风巷", "切眼"])}掘进工作面",
            PlaceKind.Roadway => $"{panel} {Pick(["运输巷", "回风巷", "联络巷"])}",
            PlaceKind.Main => Pick([$"{level} 水平运输大巷", $"{level} 水平回风大巷", "主斜井", "副斜井", "回风斜井", $"{level} 水平井底车场"]),
            PlaceKind.Power => Pick(["中央变电所", "采区变电所", $"{level} 水平配电点", $"{panel} 工作面配电点", "地面 35 kV 变电所"]),
            PlaceKind.Water => Pick(["主排水泵房", "井底水仓", "采区水仓", $"{panel} 运输巷", "地面排水沟"]),
            PlaceKind.Air => Pick(["主要通风机房", "回风井口", $"{panel} 回风巷", "采区风门", $"{level} 水平密闭"]),
            PlaceKind.Haulage => Pick(["主斜井带式输送机", "副斜井提升绞车房", $"{level} 水平车场", $"{panel} 运输巷带式输送机", "架空乘人装置"]),
            PlaceKind.Blasting => Pick(["井下爆炸材料发放硐室", "地面爆炸材料库", $"{panel} {Pick(["运输巷", "回风巷"])}掘进工作面"]),
            PlaceKind.Surface => Pick(["工业广场", "井口房", "矸石场", "地面空压机房", "锅炉房"]),
            PlaceKind.Office => _rnd.NextDouble() < 0.8 ? $"矿部{Unit(category)}" : "调度室",
            _ => Pick(["安全监控中心", $"{panel} 回风巷", $"{panel} 回采工作面上隅角"]),
        };
    }

    private GeneralTemplate PickGeneral(Site s)
    {
        while (true)
        {
            var roll = _rnd.Next(CategoryWeightTotal);
            foreach (var (category, weight) in CategoryWeights)
            {
                if ((roll -= weight) >= 0)
                {
                    continue;
                }

                if ((category == "防突" && s.Gas != GasLevel.Outburst) || (category == "冲击地压" && !s.RockBurst))
                {
                    break; // not at this mine: draw again
                }

                var list = GeneralByCategory[category];
                return list[_rnd.Next(list.Length)];
            }
        }
    }

    private MajorTemplate PickMajor(Site s)
    {
        var fitting = Majors.Where(m => m.Fits(s) && _criteria.ContainsKey((m.Article, m.Item))).ToList();
        return fitting[_rnd.Next(fitting.Count)];
    }

    private HazardSource Source(Site s, bool major)
    {
        var roll = _rnd.Next(100);
        if (major)
        {
            return roll < 20 ? HazardSource.SelfCheck : roll < 70 ? HazardSource.Inspection : roll < 88 ? HazardSource.Supervision : roll < 95 ? HazardSource.Monitoring : HazardSource.Report;
        }

        var self = s.Enterprise is not null ? 70 : s.Producing ? 60 : 45;
        return roll < self ? HazardSource.SelfCheck
            : roll < self + 28 ? HazardSource.Inspection
            : roll < self + 32 ? HazardSource.Monitoring
            : roll < self + 36 ? HazardSource.Supervision
            : roll < self + 38 ? HazardSource.Report
            : HazardSource.Inspection;
    }

    private string FoundBy(HazardSource source, Site s, Actor registrar, string category) => source switch
    {
        HazardSource.SelfCheck when registrar == s.Enterprise && _rnd.NextDouble() < 0.5 => registrar.Name,
        HazardSource.SelfCheck => Staff(s, category),
        HazardSource.Inspection when registrar.Id is not null && registrar.RegionCode == s.County => registrar.Name,
        HazardSource.Inspection => $"{s.Bureau}检查组（{PersonName()}、{PersonName()}）",
        HazardSource.Monitoring => $"安全监控系统报警（调度员{PersonName()}）",
        HazardSource.Supervision => s.SupervisionTeam,
        _ => $"群众举报（经{s.Bureau}核实）",
    };

    private string Staff(Site s, string category)
    {
        var position = category switch
        {
            "通风" or "瓦斯" or "防突" or "防灭火" => KeyPosition.VentilationTechnician,
            "防治水" => KeyPosition.WaterTechnician,
            "地测" => KeyPosition.SurveyTechnician,
            "机电" or "运输" => KeyPosition.MechanicalTechnician,
            "顶板" or "冲击地压" => KeyPosition.MiningTechnician,
            "爆破" => KeyPosition.TunnellingTechnician,
            _ => KeyPosition.SafetyDeputy,
        };
        return s.People.TryGetValue(position, out var name) && _rnd.NextDouble() < 0.6
            ? $"{name}（{position.Label()}）"
            : $"{PersonName()}（{Pick(["安检员", "瓦斯检查工", "班组长", "跟班队长", "安全科科员"])}）";
    }

    private string? Responsible(Site s, string category, bool major)
    {
        var position = major ? KeyPosition.MineManager : category switch
        {
            "通风" or "瓦斯" or "防突" or "防灭火" or "职业卫生" => KeyPosition.ChiefEngineer,
            "机电" or "运输" => KeyPosition.MechanicalDeputy,
            "顶板" or "冲击地压" or "爆破" or "防治水" or "地测" => KeyPosition.ProductionDeputy,
            _ => KeyPosition.SafetyDeputy,
        };
        return s.People.TryGetValue(position, out var name) ? name : PersonName();
    }

    private static string Unit(string category) => category switch
    {
        "通风" or "瓦斯" or "防灭火" => "通风科",
        "防突" => "防突科",
        "防治水" or "地测" => "地测防治水科",
        "顶板" => "综采队",
        "冲击地压" => "防冲科",
        "机电" => "机电科",
        "运输" => "运输队",
        "爆破" => "掘进队",
        "安全管理" or "职业卫生" => "安全科",
        _ => "综合办公室",
    };

    private int Span(string category) => category switch
    {
        "安全管理" => Pick([1, 3, 3, 5, 7]),
        "职业卫生" or "其他" => Pick([7, 15, 15, 30]),
        "防治水" or "地测" => Pick([3, 7, 15, 30]),
        _ => Pick([1, 3, 3, 5, 7, 7, 10, 15, 20, 30]),
    };

    private static string Resources(string category) => category switch
    {
        "通风" => "购置局部通风机 2 台、风筒 {200-500} m、风门 2 套",
        "瓦斯" => "购置甲烷传感器 {4-10} 台、便携式甲烷检测报警仪 {10-20} 台",
        "防突" => "调配钻机 2 台、钻杆 {300-600} m，增加防突队人员 {4-8} 名",
        "防治水" => "购置探放水钻机 1 台、排水泵 2 台，清理水仓",
        "顶板" => "锚杆 {500-2000} 根、锚索 {50-200} 根、单体液压支柱 {30-80} 根",
        "冲击地压" => "卸压钻机 2 台、钻屑监测仪 1 套",
        "机电" => "隔爆型开关 {3-8} 台、矿用电缆 {300-1000} m",
        "运输" => "保护装置 2 套、钢丝绳 {300-800} m",
        "爆破" => "煤矿许用炸药及专用发爆器 2 台",
        "防灭火" => "注氮机 1 台、注浆材料 {50-200} t",
        "地测" => "全站仪 1 台及测绘外委费用",
        _ => "外聘技术人员及培训费用",
    };

    private string PersonName() => Pick(MineDemoData.Surnames) + Pick(MineDemoData.GivenNames);

    private T Pick<T>(IReadOnlyList<T> list) => list[_rnd.Next(list.Count)];

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    /// <summary>Fills <c>{12-30}</c> with a number in the range and <c>{甲|乙}</c> with one of the words.</summary>
    private string Fill(string template)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var text = new StringBuilder(template.Length + 8);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            if (open < 0)
            {
                text.Append(template, i, template.Length - i);
                break;
            }

            text.Append(template, i, open - i);
            var close = template.IndexOf('}', open);
            var spec = template[(open + 1)..close];
            if (spec.Contains('|', StringComparison.Ordinal))
            {
                text.Append(Pick(spec.Split('|')));
            }
            else
            {
                var dash = spec.IndexOf('-', StringComparison.Ordinal);
                var low = int.Parse(spec[..dash], CultureInfo.InvariantCulture);
                var high = int.Parse(spec[(dash + 1)..], CultureInfo.InvariantCulture);
                text.Append(_rnd.Next(low, high + 1));
            }

            i = close + 1;
        }

        return text.ToString();
    }

    private static readonly string[] ExtensionReasons =
    [
        "整改所需设备到货延迟", "整改工程量大，需分段施工", "受雨季影响，地面工程无法按期完成", "需外委专业队伍施工，进场时间推迟", "整改方案调整，需重新审批",
    ];

    private static readonly string[] RevisitFindings =
    [
        "复查发现隐患反弹，整改不到位", "原整改措施未落实到位，现场问题再次出现", "整改资料与现场不符，存在假整改嫌疑", "设备保护装置再次失效",
    ];

    private static readonly string[] PassOpinions =
    [
        "经现场复查，整改到位，同意销号。", "整改措施已落实，资料齐全，验收合格。", "现场核实隐患已消除，同意销号。", "整改完成，经检查符合要求，予以销号。",
    ];

    private static readonly string[] RefusalOpinions =
    [
        "现场复查整改不到位，责令继续整改。", "整改资料不全，现场仍有问题，验收不通过。", "整改措施未全部落实，请按要求重新整改后再提交验收。",
    ];

    private static readonly (string Category, int Weight)[] CategoryWeights =
    [
        ("通风", 12), ("瓦斯", 12), ("防突", 6), ("防治水", 9), ("顶板", 14), ("冲击地压", 3), ("机电", 14), ("运输", 9), ("爆破", 5), ("防灭火", 5), ("地测", 3),
        ("安全管理", 10), ("职业卫生", 4), ("其他", 2),
    ];

    private static readonly int CategoryWeightTotal = CategoryWeights.Sum(c => c.Weight);

    private static readonly GeneralTemplate[] General =
    [
        new("通风", PlaceKind.Heading, "局部通风机未实行挂牌管理，风筒出口距迎头 {6-9} m，超过规定", "调整风筒使出口距迎头不超过 5 m，局部通风机挂牌管理并指定专人负责"),
        new("通风", PlaceKind.Air, "两道风门未实现闭锁，检查时两道风门同时打开", "修复风门闭锁装置，确保两道风门不能同时打开，加强巡查"),
        new("通风", PlaceKind.Roadway, "巷道局部冒落，断面缩小至 {4-6} m²，风速不符合规定", "组织扩刷巷道，恢复设计断面后重新测风"),
        new("通风", PlaceKind.Air, "密闭墙前未设置栅栏和警标，密闭检查记录不全", "设置栅栏、警标，补齐密闭检查记录并纳入通风日常巡查"),
        new("通风", PlaceKind.Face, "测风记录未按旬填写，实测风量与配风计划不符", "按旬测风并如实填写记录，重新核定需风量"),
        new("通风", PlaceKind.Air, "主要通风机房水柱计读数未按规定记录", "完善主要通风机运行记录，由机房司机每小时记录一次", "主要通风机房"),
        new("瓦斯", PlaceKind.Roadway, "甲烷传感器吊挂位置距顶板 {310-450} mm，超过 300 mm", "重新吊挂甲烷传感器，距顶板不大于 300 mm、距巷帮不小于 200 mm"),
        new("瓦斯", PlaceKind.Face, "上隅角甲烷传感器未按期调校，调校记录缺失", "立即调校甲烷传感器并补齐记录，按规定每 15 天调校一次"),
        new("瓦斯", PlaceKind.Heading, "瓦斯检查工未按规定次数检查，手册、牌板、记录“三对口”不一致", "对瓦斯检查工批评教育并考核，严格执行巡回检查制度，确保三对口"),
        new("瓦斯", PlaceKind.Roadway, "瓦斯抽采管路负压计损坏，放水器积水未及时排放", "更换负压计、排放积水，落实抽采管路巡检制度"),
        new("瓦斯", PlaceKind.Face, "便携式甲烷检测报警仪 {1-3} 台未按期校验，显示偏差超过规定", "送检便携仪并建立校验台账，超期仪器停止使用"),
        new("防突", PlaceKind.Heading, "防突预测钻孔施工记录不全，{2-4} 个钻孔无施工参数", "补齐钻孔施工参数，防突技术员现场验收签字"),
        new("防突", PlaceKind.Heading, "工作面突出危险性预测取样深度不足，K1 值测定不规范", "按规定重新测定预测指标，不达标不得作业"),
        new("防突", PlaceKind.Roadway, "压风自救装置数量不足，{2-5} 组阀门不能正常开启", "增设压风自救装置并检修阀门，逐组试验"),
        new("防突", PlaceKind.Heading, "防突措施效果检验孔比设计少 {1-3} 个", "按设计补打检验孔，检验合格后方可作业"),
        new("防治水", PlaceKind.Water, "水沟淤积长度约 {20-80} m，排水不畅", "组织清挖水沟，建立定期清淤制度", "{level} 水平运输大巷"),
        new("防治水", PlaceKind.Water, "备用水泵未按规定定期试运转，试运转记录缺失", "立即试运转备用水泵并补齐记录，每月至少试运转一次", "主排水泵房"),
        new("防治水", PlaceKind.Heading, "探放水设计未经总工程师审批即组织施工准备", "完善探放水设计审批手续，审批后方可施工"),
        new("防治水", PlaceKind.Surface, "雨季“三防”物资储备不足，缺少编织袋、水泵等", "按应急预案补充三防物资，建立物资台账", "地面防汛物资库"),
        new("防治水", PlaceKind.Water, "水仓清理记录不全，有效容积未按月测量", "测量水仓有效容积，清理淤积并如实记录", "井底水仓"),
        new("顶板", PlaceKind.Roadway, "锚杆托盘未紧贴岩面，{3-8} 根锚杆预紧力不足", "重新紧固锚杆，补打不合格锚杆，加强锚杆拉拔检测"),
        new("顶板", PlaceKind.Face, "液压支架初撑力不足，{3-10} 架压力低于 24 MPa", "检修液压系统、提高泵站压力，逐架补液达到规定初撑力"),
        new("顶板", PlaceKind.Face, "上出口超前支护距离仅 {12-18} m，少于 20 m", "按作业规程补设超前支护，支护距离不少于 20 m"),
        new("顶板", PlaceKind.Roadway, "顶板离层仪未按规定观测记录，{2-4} 处离层仪损坏", "更换损坏的离层仪，落实专人每班观测记录"),
        new("顶板", PlaceKind.Heading, "掘进工作面空顶距离超过作业规程规定", "立即停止掘进，按规程及时支护，严禁空顶作业"),
        new("顶板", PlaceKind.Roadway, "巷道片帮、底鼓，局部高度仅 1.{6-8} m", "组织起底、刷帮并加强支护，恢复巷道设计断面"),
        new("冲击地压", PlaceKind.Roadway, "钻屑法监测记录不全，{2-5} 个监测孔未按规定施工", "补打监测孔并完善记录，监测超标立即卸压"),
        new("冲击地压", PlaceKind.Face, "冲击地压危险区域限员牌板未及时更新", "更新限员牌板，严格执行人员准入制度"),
        new("冲击地压", PlaceKind.Roadway, "卸压钻孔间距大于设计要求", "按设计补打卸压钻孔并进行效果检验"),
        new("机电", PlaceKind.Power, "电缆吊挂不规范，{10-40} m 电缆落地", "按规定重新吊挂电缆，吊挂间距不超过 3 m"),
        new("机电", PlaceKind.Power, "开关接地线连接不可靠，接地电阻测试记录缺失", "重新连接接地线，测试接地电阻并记录"),
        new("机电", PlaceKind.Haulage, "设备转动部位防护罩缺失", "加装防护罩，检修时停机挂牌闭锁"),
        new("机电", PlaceKind.Power, "漏电保护装置未按规定每班试验，试验记录不全", "落实漏电试验制度，每班试验并记录"),
        new("机电", PlaceKind.Power, "{2-6} 台电气设备未挂设备牌和责任牌", "补挂设备牌、责任牌，完善设备台账"),
        new("机电", PlaceKind.Surface, "空气压缩机安全阀未按期校验", "送检安全阀，校验合格后投用", "地面空压机房"),
        new("运输", PlaceKind.Haulage, "斜巷“一坡三挡”防跑车装置未处于常闭状态", "修复防跑车装置，确保常闭，专人管理", "{panel} 轨道上山"),
        new("运输", PlaceKind.Haulage, "绞车声光信号装置失灵", "检修信号装置，试验合格后方可运行", "副斜井提升绞车房"),
        new("运输", PlaceKind.Main, "{2-4} 处道岔尖轨磨损超限", "更换超限尖轨，组织轨道质量验收"),
        new("运输", PlaceKind.Haulage, "带式输送机机尾护栏缺失，{5-15} 组托辊不转", "安装机尾护栏，更换不转托辊", "{panel} 运输巷带式输送机"),
        new("运输", PlaceKind.Haulage, "架空乘人装置越位保护失效", "检修越位保护装置，试验合格后运行", "架空乘人装置"),
        new("爆破", PlaceKind.Blasting, "炮眼封泥长度不足 0.5 m", "严格执行爆破作业规程，炮眼封泥长度符合规定，班组长现场检查"),
        new("爆破", PlaceKind.Blasting, "爆破警戒距离不足，警戒人员未到位即起爆", "对爆破工重新培训，严格执行“三人连锁爆破”和警戒制度"),
        new("爆破", PlaceKind.Blasting, "雷管、炸药未分开存放，发放记录不全", "分开存放雷管、炸药，完善发放、清退台账", "井下爆炸材料发放硐室"),
        new("爆破", PlaceKind.Blasting, "未严格执行“一炮三检”制度，检查记录漏填", "落实一炮三检制度，补齐记录并考核"),
        new("防灭火", PlaceKind.Face, "束管监测取样管路破损，{1-3} 个测点数据中断", "更换破损管路、恢复监测，每班核查数据"),
        new("防灭火", PlaceKind.Power, "{2-5} 具灭火器压力不足，消防沙箱沙量不足", "更换灭火器，补充消防沙"),
        new("防灭火", PlaceKind.Main, "防火门不能正常关闭", "修复防火门，定期检查开关状态"),
        new("防灭火", PlaceKind.Main, "井下消防管路三通阀门缺失 {2-6} 处", "补装三通阀门，按规定每 50 m 设置一组"),
        new("防灭火", PlaceKind.Surface, "消防材料库材料储备不足", "按规定补齐消防材料，建立台账", "井下消防材料库"),
        new("地测", PlaceKind.Office, "采掘工程平面图未及时填绘，与实际进尺相差 {20-60} m", "按实测资料填绘图纸，每旬更新一次"),
        new("地测", PlaceKind.Roadway, "测量导线点保护不当，{2-4} 个点位损坏", "恢复导线点并设置保护装置"),
        new("地测", PlaceKind.Office, "地质预报未及时下发至采掘区队", "完善地质预报制度，采掘前下发预报并签收"),
        new("安全管理", PlaceKind.Office, "{1-3} 名特种作业人员操作证过期仍上岗", "立即停止其作业，组织复审培训，取证后方可上岗"),
        new("安全管理", PlaceKind.Main, "{1-3} 名入井人员未按规定携带自救器", "加强入井检身，未携带自救器者严禁入井"),
        new("安全管理", PlaceKind.Office, "班前会记录不全，安全风险未逐项交底", "规范班前会，逐项交底风险并签字"),
        new("安全管理", PlaceKind.Office, "隐患排查治理台账未及时更新，闭环记录不全", "完善隐患排查治理台账，落实闭环管理"),
        new("安全管理", PlaceKind.Office, "带班领导下井记录与人员位置监测系统记录不符", "核查带班记录并严肃考核，严格执行领导带班下井制度"),
        new("安全管理", PlaceKind.Office, "新工人安全培训学时不足 {40-60} 学时", "补足培训学时，考试合格后方可上岗"),
        new("职业卫生", PlaceKind.Face, "喷雾降尘装置不能正常使用，粉尘浓度超标", "检修喷雾装置，加强洒水降尘并检测粉尘浓度"),
        new("职业卫生", PlaceKind.Haulage, "转载点喷雾装置损坏", "更换喷雾装置，确保转载时自动喷雾", "{panel} 运输巷转载点"),
        new("职业卫生", PlaceKind.Office, "粉尘浓度监测记录不全，呼吸性粉尘未按月检测", "按规定开展粉尘检测，建立职业卫生档案"),
        new("职业卫生", PlaceKind.Surface, "噪声超标作业点未设置警示标识", "设置警示标识，配发防噪耳塞", "地面空压机房"),
        new("其他", PlaceKind.Surface, "矸石场挡墙局部开裂", "修复挡墙，设置监测点定期观测", "矸石场"),
        new("其他", PlaceKind.Surface, "井口房照明不足", "增设照明灯具", "井口房"),
        new("其他", PlaceKind.Surface, "消防通道堆放杂物", "清理杂物，保持消防通道畅通", "工业广场"),
    ];

    private static readonly Dictionary<string, GeneralTemplate[]> GeneralByCategory = General.GroupBy(t => t.Category).ToDictionary(g => g.Key, g => g.ToArray());

    private static bool Everywhere(Site s) => true;

    private static readonly MajorTemplate[] Majors =
    [
        new(1, 1, "安全管理", PlaceKind.Office, "上月原煤产量超过核定生产能力月均值的 {12-30}%", "全矿井停止生产，核减生产计划",
            "按核定生产能力重新编制生产计划，严格执行月度产量控制和产量公告", s => s.Producing, "调度室"),
        new(1, 6, "安全管理", PlaceKind.Face, "单班作业人数 {40-60} 人，超过限员规定 20% 以上", "{place}停止作业，超员人员立即升井",
            "重新核定劳动定员，严格执行入井人数控制和人员位置监测限员报警", s => s.Producing),
        new(2, 2, "瓦斯", PlaceKind.Heading, "甲烷浓度达到 1.{2-8}% 后未停止作业、未撤出人员", "{place}停止作业、撤出人员、切断电源",
            "立即撤人断电，查明超限原因，按规定排放瓦斯并追究相关人员责任", Everywhere),
        new(2, 1, "瓦斯", PlaceKind.Roadway, "瓦斯检查存在漏检、假检，检查记录与监控数据不符", "{place}停止作业",
            "更换当班瓦斯检查工，重新培训考核，落实瓦斯巡回检查和三对口制度", Everywhere),
        new(3, 4, "防突", PlaceKind.Heading, "突出煤层掘进未按规定执行区域防突措施，预抽钻孔控制范围不足", "{place}停止掘进",
            "补充施工预抽钻孔，经区域措施效果检验达标后方可恢复掘进", s => s.Gas == GasLevel.Outburst),
        new(3, 5, "防突", PlaceKind.Heading, "防突措施效果检验指标超标仍组织掘进作业", "{place}停止掘进并撤出人员",
            "补充局部防突措施，重新进行效果检验，达标后方可作业", s => s.Gas == GasLevel.Outburst),
        new(4, 2, "瓦斯", PlaceKind.Monitor, "甲烷传感器被人为包裹，瓦斯超限后不能报警、断电", "{place}停止作业",
            "恢复甲烷传感器正常监测，重新测试报警断电功能，追究相关人员责任", s => s.Gas != GasLevel.Low),
        new(5, 1, "通风", PlaceKind.Face, "实测风量 {300-500} m³/min，低于需风量 {550-700} m³/min", "{place}停止作业",
            "调整通风系统、增加配风，重新测风达到需风量后方可作业", Everywhere),
        new(5, 3, "通风", PlaceKind.Heading, "违反《煤矿安全规程》规定采用串联通风", "{place}停止作业",
            "调整通风系统，消除串联通风，形成独立通风后恢复作业", Everywhere),
        new(5, 6, "通风", PlaceKind.Air, "主要进、回风巷之间联络巷风门不符合规定，造成风流短路", "受影响区域停止作业",
            "重新构筑风门并实现闭锁，测风验证后恢复作业", Everywhere),
        new(5, 9, "通风", PlaceKind.Heading, "局部通风机未实现双风机、双电源自动切换", "{place}停止掘进",
            "安装备用局部通风机和专用电源，试验自动切换合格后恢复作业", s => s.Gas != GasLevel.Low),
        new(6, 3, "防治水", PlaceKind.Heading, "在需要探放水的区域未按规定探放水即进行掘进", "{place}停止掘进、撤出人员",
            "编制探放水设计，按“有掘必探”要求探放水，确认安全后方可掘进", s => s.Hydro != HydroType.Simple),
        new(6, 8, "防治水", PlaceKind.Water, "主排水泵房水泵排水能力不足，水仓有效容量不符合规定", "受水患威胁区域停止采掘作业",
            "增设排水泵、扩建水仓，排水能力联合试运转合格后恢复作业", Everywhere),
        new(6, 2, "防治水", PlaceKind.Office, "水文地质类型复杂矿井未设专门探放水队伍、未配齐专用探放水设备", "全矿井停止采掘作业",
            "组建专门探放水队伍，配齐专用探放水钻机，经验收后恢复采掘作业", s => s.Hydro is HydroType.Complex or HydroType.VeryComplex),
        new(7, 2, "地测", PlaceKind.Face, "超出采矿许可证载明的坐标范围开采，越界约 {30-120} m", "越界区域停止开采并封闭越界巷道",
            "封闭越界巷道，重新测量填图，报自然资源部门核查", s => s.Producing),
        new(8, 3, "冲击地压", PlaceKind.Face, "未进行防冲措施效果检验即组织回采", "{place}停止回采、撤出人员",
            "补充卸压措施并进行效果检验，检验达标后方可恢复回采", s => s.RockBurst),
        new(9, 1, "防灭火", PlaceKind.Face, "开采容易自燃煤层未采取综合防灭火措施，采空区未按设计注浆注氮", "{place}停止回采",
            "按防灭火专项设计实施注浆注氮，加强束管监测，经验收后恢复回采", s => s.Combustion != CombustionTendency.NotProne),
        new(9, 3, "防灭火", PlaceKind.Face, "上隅角一氧化碳浓度 {60-150} ppm，有自然发火征兆仍继续生产", "{place}停止生产、撤出人员",
            "立即撤人，采取注氮、喷洒阻化剂等措施，标志气体恢复正常后方可生产", s => s.Combustion != CombustionTendency.NotProne),
        new(10, 3, "机电", PlaceKind.Power, "采区内 {2-5} 台防爆电气设备失爆", "{place}停电停止作业",
            "更换或修复失爆设备，由机电科逐台检查防爆性能，合格后送电", Everywhere),
        new(10, 5, "顶板", PlaceKind.Face, "下出口冒顶堵塞，采煤工作面不能保证 2 个畅通的安全出口", "{place}停止回采",
            "处理冒顶、恢复下出口断面并加强支护，确保两个安全出口畅通", Everywhere),
        new(10, 4, "爆破", PlaceKind.Blasting, "未按矿井瓦斯等级选用煤矿许用炸药，存在裸露爆破", "井下爆破作业全部停止",
            "清退不合格炸药，按瓦斯等级选用许用炸药，严禁裸露爆破", Everywhere),
        new(11, 1, "机电", PlaceKind.Power, "矿井实际为单回路供电，备用电源线路未投入运行", "全矿井停止生产（保留通风、排水、监控供电）",
            "建成并投运第二回路电源，双回路切换试验合格后恢复生产", Everywhere, "地面 35 kV 变电所"),
        new(12, 3, "安全管理", PlaceKind.Face, "改扩建矿井在改扩建区域组织生产", "改扩建区域停止生产",
            "严格按批准的设计施工，改扩建区域竣工验收前不得生产", s => s.Status == MineStatus.TechnicalUpgrade),
        new(12, 2, "安全管理", PlaceKind.Face, "建设矿井在建设期间擅自组织采煤", "全矿井停止采煤作业",
            "停止违规采煤，按设计组织建设，联合试运转须经批准", s => s.Status is MineStatus.UnderConstruction or MineStatus.ConstructionHalted),
        new(15, 1, "安全管理", PlaceKind.Office, "未配备专职的{通风|防治水|地测}专业技术人员", "全矿井停止采掘作业",
            "按规定配备专职专业技术人员并报备，到岗后恢复采掘作业", Everywhere),
        new(15, 5, "地测", PlaceKind.Office, "隐瞒 {1-2} 个采掘工作面，图纸作假", "隐瞒的采掘工作面停止作业并封闭",
            "如实填绘图纸、报告全部采掘工作面，封闭隐瞒区域并追究责任", s => s.Producing),
        new(15, 6, "瓦斯", PlaceKind.Monitor, "安全监控系统甲烷数据被屏蔽修改，系统不能正常运行", "全矿井停止作业",
            "恢复安全监控系统正常运行，核查历史数据，追究相关人员责任", Everywhere, "安全监控中心"),
        new(15, 7, "运输", PlaceKind.Haulage, "提升人员的绞车过卷、防坠保护装置失效", "{place}停止提升人员",
            "检修并试验提升机全部保护装置，合格后方可提升人员", Everywhere),
        new(15, 8, "运输", PlaceKind.Haulage, "带式输送机防打滑、堆煤保护及烟雾监测装置失效", "{place}停止运行",
            "修复各项保护和监测装置，逐项试验合格后恢复运行", Everywhere),
    ];

    [LoggerMessage(Level = LogLevel.Information, Message = "隐患检索索引 {Rows} 行，用时 {Ms} ms")]
    private partial void LogIndexed(int rows, long ms);

    [LoggerMessage(Level = LogLevel.Information, Message = "演示隐患 {Hazards} 条（重大 {Majors} 条），期限 {Deadlines} 个，办理过程 {Timeline} 条，回马枪 {Revisits} 次，用时 {Ms} ms")]
    private partial void LogSeeded(int hazards, int majors, int deadlines, int timeline, int revisits, long ms);
}
