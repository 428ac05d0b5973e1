using MineRisk.Feeds;

namespace MineRisk.Web.Features.Monitoring.Simulation;

/// <summary>A point of a simulated mine: its definition and the state of its signal.</summary>
public sealed class SimPoint
{
    public required CddyPoint Definition { get; init; }

    /// <summary>Mean level the signal wanders around.</summary>
    public double Baseline { get; init; }

    /// <summary>Amplitude of the slow drift (production cycle over hours), as a fraction of the baseline.</summary>
    public double Drift { get; init; }

    /// <summary>Hours of one drift cycle, and where in it the point starts.</summary>
    public double Period { get; init; }

    public double Phase { get; init; }

    /// <summary>Standard deviation of the noise; <see cref="Phi"/> ties each reading to the one before (AR(1)).</summary>
    public double Sigma { get; init; }

    public double Phi { get; init; } = 0.9;

    /// <summary>Decimals the sensor reports.</summary>
    public int Decimals { get; init; } = 2;

    /// <summary>Whether the mine's system cuts power when this point goes beyond its power-off threshold (a few do not).</summary>
    public bool CutsPower { get; init; } = true;

    internal double Noise { get; set; }

    /// <summary>A gas event in progress: extra level reached at its peak, and its remaining/total length in seconds.</summary>
    internal double EventPeak { get; set; }

    internal double EventLeft { get; set; }

    internal double EventLength { get; set; }

    internal double? Forced { get; set; }
}

/// <summary>A person of a simulated mine (RYXX) and the shift they work.</summary>
public sealed record SimPerson(string Card, string Name, string WorkType, string Position, string Team, bool Leader, int Shift);

/// <summary>A simulated mine: its points, people and areas, and its own random source (reproducible from the seed).</summary>
public sealed class SimulatedMine(string code, string name, Random random)
{
    public string Code { get; } = code;

    public string Name { get; } = name;

    internal Random Random { get; } = random;

    public List<SimPoint> Points { get; } = [];

    public List<SimPerson> People { get; } = [];

    public List<RyqyArea> Areas { get; } = [];

    /// <summary>The data time of the last CDSS written (the next one continues from it).</summary>
    public DateTimeOffset? Last { get; internal set; }

    /// <summary>A shift in which no leader goes down (for the 领导带班 check), as (day, shift).</summary>
    internal (DateOnly Day, int Shift)? LeaderlessShift { get; set; }
}

/// <summary>
/// Generates the upload files of N mines × M points (DOMAIN §8) with signals that look like a mine's, not like a generator's
/// (DOMAIN §8 lists what gives a fake feed away): a slow drift over hours, noise correlated from one reading to the next, rare
/// gas events that rise over minutes above the alarm threshold and fall back, points that differ from each other; personnel
/// by shifts (三班), with a leader going down in almost every shift. Used by the demo (in process) and by bench/feeds-sim.
/// Depends on nothing but MineRisk.Feeds, so the benchmark compiles the same source.
/// </summary>
public sealed class FeedSimulation
{
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭", "何", "罗", "高", "林", "段", "保", "普", "缪"];

    private static readonly string[] Given = ["建国", "志强", "国华", "永明", "德贵", "光荣", "云飞", "海军", "文昌", "春生", "忠林", "学文", "玉坤", "家旺", "明亮", "正华", "绍云", "兴宇", "晓东", "文斌"];

    private static readonly string[] WorkTypes = ["采煤工", "掘进工", "电钳工", "通风工", "瓦斯检查工", "安全检查工", "运输工", "支护工"];

    private readonly double _eventsPerPointHour;

    public FeedSimulation(IEnumerable<(string Code, string Name)> mines, int pointsPerMine, int seed, double eventsPerPointHour, int peoplePerMine = 90)
    {
        _eventsPerPointHour = eventsPerPointHour;
        var root = new Random(seed);
        foreach (var (code, name) in mines)
        {
            var mine = new SimulatedMine(code, name, new Random(root.Next()));
            Build(mine, pointsPerMine, peoplePerMine);
            Mines.Add(mine);
        }
    }

    public List<SimulatedMine> Mines { get; } = [];

    // ---- files -------------------------------------------------------------------------------------------------

    public static (string Name, byte[] Content) Cddy(SimulatedMine mine, DateTimeOffset now)
    {
        var header = new FeedHeader(mine.Code, mine.Name, now) { Details = ["KJ90X", "煤矿安全监控系统", "重庆煤科院", now.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)] };
        var points = mine.Points.Select(p => p.Definition with { DataTime = now }).ToList();
        return (FeedFileName.Format(mine.Code, FeedType.Cddy, now), FeedFormats.Cddy.WriteToArray(header, points));
    }

    /// <summary>Advances every point of the mine to <paramref name="dataTime"/> and writes its CDSS (uploaded a second or two later).</summary>
    public (string Name, byte[] Content) Cdss(SimulatedMine mine, DateTimeOffset dataTime)
    {
        var readings = Step(mine, dataTime);
        var upload = dataTime.AddSeconds(1 + mine.Random.Next(2));
        return (FeedFileName.Format(mine.Code, FeedType.Cdss, upload), FeedFormats.Cdss.WriteToArray(new FeedHeader(mine.Code, mine.Name, upload), readings));
    }

    /// <summary>The next readings of the mine, without writing a file.</summary>
    public List<CdssReading> Step(SimulatedMine mine, DateTimeOffset dataTime)
    {
        var dt = mine.Last is { } last ? Math.Clamp((dataTime - last).TotalSeconds, 1, 3600) : 30;
        mine.Last = dataTime;
        var readings = new List<CdssReading>(mine.Points.Count);
        foreach (var p in mine.Points)
        {
            var d = p.Definition;
            if (d.ValueKind == PointValueKind.Switch)
            {
                readings.Add(new CdssReading(d.PointCode, d.SensorType, d.Location, 1, d.Unit, PointStatus.Normal, dataTime));
                continue;
            }

            var value = Next(mine.Random, p, dataTime, dt);
            var status = PointStatus.Normal;
            if ((d.UpperAlarm is { } a && value >= a) || (d.LowerAlarm is { } l && value <= l))
            {
                status |= PointStatus.Alarm;
            }

            if (d.UpperPowerOff is { } off && value >= off && p.CutsPower)
            {
                status |= PointStatus.PowerCut;
            }

            readings.Add(new CdssReading(d.PointCode, d.SensorType, d.Location, value, d.Unit, status, dataTime));
        }

        return readings;
    }

    /// <summary>Makes the point's next reading exactly <paramref name="value"/> (latency probes, tests).</summary>
    public static void Force(SimulatedMine mine, string pointCode, double value) => mine.Points.First(p => p.Definition.PointCode == pointCode).Forced = value;

    public static (string Name, byte[] Content) Ryqy(SimulatedMine mine, DateTimeOffset now) =>
        (FeedFileName.Format(mine.Code, FeedType.Ryqy, now), FeedFormats.Ryqy.WriteToArray(new FeedHeader(mine.Code, mine.Name, now), mine.Areas));

    public static (string Name, byte[] Content) Ryxx(SimulatedMine mine, DateTimeOffset now)
    {
        var people = mine.People.Select(p => new RyxxPerson
        {
            CardNumber = p.Card, Name = p.Name, WorkType = p.WorkType, Position = p.Position, Team = p.Team, IsMineLeader = p.Leader, IsSpecialWorker = p.WorkType == "瓦斯检查工",
        }).ToList();
        return (FeedFileName.Format(mine.Code, FeedType.Ryxx, now), FeedFormats.Ryxx.WriteToArray(new FeedHeader(mine.Code, mine.Name, now), people));
    }

    /// <summary>Who is underground at <paramref name="now"/>: the shift's crew (三班: 0–8, 8–16, 16–24 China time) and, mostly, one leader.</summary>
    public static (string Name, byte[] Content) Ryss(SimulatedMine mine, DateTimeOffset now)
    {
        var china = now.ToChinaTime();
        var shift = china.Hour / 8;
        var day = DateOnly.FromDateTime(china.DateTime);
        var shiftStart = new DateTimeOffset(china.Date.AddHours(shift * 8), MineRisk.Feeds.ChinaTime.Offset);
        var minutesIn = (china - shiftStart).TotalMinutes;
        var rnd = new Random(Stable(mine.Code, day.DayNumber * 3 + shift));
        if (rnd.NextDouble() < 0.03)
        {
            mine.LeaderlessShift = (day, shift);
        }

        var leaderless = mine.LeaderlessShift == (day, shift);
        var leaders = mine.People.Where(p => p.Leader).ToList();
        var leader = leaders.Count == 0 || leaderless ? null : leaders[rnd.Next(leaders.Count)];
        var positions = new List<RyssPosition>();
        foreach (var p in mine.People.Where(p => (p.Shift == shift && !p.Leader) || p == leader))
        {
            // People go down during the first half hour of the shift and come up in its last half hour.
            var down = Stable(p.Card, 1) % 30;
            var up = 450 + (Stable(p.Card, 2) % 30);
            if (minutesIn < down || minutesIn > up)
            {
                continue;
            }

            var area = mine.Areas[Stable(p.Card, day.DayNumber * 3 + shift) % mine.Areas.Count];
            var inTime = shiftStart.AddMinutes(down);
            positions.Add(new RyssPosition
            {
                CardNumber = p.Card,
                Name = p.Name,
                InOutFlag = 0,
                InTime = inTime,
                AreaCode = area.AreaCode,
                AreaEnterTime = inTime.AddMinutes(12),
                StationCode = area.AreaCode + "001",
                StationEnterTime = inTime.AddMinutes(12),
                WorkOrganization = "正常排班",
                DistanceToStation = Math.Round(rnd.NextDouble() * 80 - 40, 1),
                WorkStatus = "正常",
                IsMineLeader = p.Leader,
                IsSpecialWorker = p.WorkType == "瓦斯检查工",
            });
        }

        return (FeedFileName.Format(mine.Code, FeedType.Ryss, now), FeedFormats.Ryss.WriteToArray(new FeedHeader(mine.Code, mine.Name, now), positions));
    }

    // ---- signals --------------------------------------------------------------------------------------------------

    private double Next(Random rnd, SimPoint p, DateTimeOffset t, double dt)
    {
        if (p.Forced is { } forced)
        {
            p.Forced = null;
            return forced;
        }

        // AR(1) noise: each reading leans on the one before, as a real sensor's does (independent noise betrays a generator).
        var phi = Math.Pow(p.Phi, dt / 30);
        p.Noise = (phi * p.Noise) + (p.Sigma * Math.Sqrt(1 - (phi * phi)) * Gaussian(rnd));
        var hours = t.ToUnixTimeSeconds() / 3600.0;
        var drift = p.Baseline * p.Drift * Math.Sin((2 * Math.PI * hours / p.Period) + p.Phase);
        var gas = 0.0;
        if (p.EventLeft > 0)
        {
            p.EventLeft = Math.Max(0, p.EventLeft - dt);
            var x = 1 - (p.EventLeft / p.EventLength); // 0 → 1 over the event: up, a plateau, down
            gas = p.EventPeak * Math.Clamp(Math.Min(x * 3, (1 - x) * 3), 0, 1);
        }
        else if (p.Definition.UpperAlarm is { } alarm && rnd.NextDouble() < _eventsPerPointHour * dt / 3600)
        {
            p.EventLength = p.EventLeft = 300 + (rnd.NextDouble() * 900);
            p.EventPeak = (alarm * (1.05 + (rnd.NextDouble() * 0.6))) - p.Baseline;
        }

        var value = Math.Max(0, p.Baseline + drift + p.Noise + gas);
        return Math.Round(value, p.Decimals);
    }

    /// <summary>A hash that is the same in every run (string.GetHashCode is randomised per process), so a seed reproduces a day.</summary>
    private static int Stable(string text, int salt)
    {
        var h = 2166136261u ^ (uint)salt;
        foreach (var c in text)
        {
            h = (h ^ c) * 16777619u;
        }

        return (int)(h & 0x7fffffff);
    }

    private static double Gaussian(Random rnd)
    {
        var u1 = 1.0 - rnd.NextDouble();
        var u2 = rnd.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    // ---- the mine's installation -----------------------------------------------------------------------------------

    /// <summary>A kind of sensor: thresholds as mines set them, the range of its normal level, its noise and drift relative to that level.</summary>
    private sealed record Template(string Sensor, string Unit, string Location, double? Alarm, double? Clear, double? PowerOff, double? Restore,
        double? LowAlarm, double Low, double High, int Decimals, double RangeHigh, PointValueKind Kind = PointValueKind.Analog, double Noise = 0.06, double Drift = 0.2);

    private static readonly Template[] Templates =
    [
        new("甲烷", "%CH4", "{face}综采工作面回风隅角", 1.0, 1.0, 1.5, 1.0, null, 0.25, 0.45, 2, 4),
        new("甲烷", "%CH4", "{face}综采工作面回风巷", 1.0, 1.0, 1.0, 1.0, null, 0.2, 0.35, 2, 4),
        new("甲烷", "%CH4", "{heading}掘进工作面", 1.0, 1.0, 1.5, 1.0, null, 0.2, 0.5, 2, 4),
        new("甲烷", "%CH4", "{heading}掘进工作面回风流", 1.0, 1.0, 1.0, 1.0, null, 0.15, 0.35, 2, 4),
        new("一氧化碳", "ppm", "{face}综采工作面回风巷", 24, 24, null, null, null, 2, 8, 0, 500),
        new("甲烷", "%CH4", "总回风巷", 0.75, 0.75, null, null, null, 0.15, 0.3, 2, 4),
        new("温度", "℃", "{face}综采工作面", 30, 30, null, null, null, 22, 27, 1, 40, Noise: 0.01, Drift: 0.03),
        new("风速", "m/s", "{face}综采工作面回风巷", 8, 8, null, null, 0.25, 1.2, 3, 2, 15, Noise: 0.04, Drift: 0.08),
        new("氧气", "%O2", "{face}综采工作面", null, null, null, null, 18.5, 20.5, 20.9, 1, 25, Noise: 0.002, Drift: 0.003),
        new("一氧化碳", "ppm", "主斜井带式输送机滚筒下风侧", 10, 10, null, null, null, 1, 4, 0, 500),
        new("甲烷", "%CH4", "东一采区回风巷", 1.0, 1.0, 1.0, 1.0, null, 0.15, 0.3, 2, 4),
        new("馈电状态", "", "{heading}掘进工作面动力电源", null, null, null, null, null, 0, 1, 0, 1, PointValueKind.Switch),
    ];

    private static void Build(SimulatedMine mine, int pointsPerMine, int peoplePerMine)
    {
        var rnd = mine.Random;
        var face = 1301 + rnd.Next(9);
        var heading = 1302 + rnd.Next(9);
        for (var i = 0; i < pointsPerMine; i++)
        {
            var t = Templates[i % Templates.Length];
            var round = i / Templates.Length;
            var location = t.Location.Replace("{face}", (face + (round * 2)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{heading}", (heading + (round * 2)).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
            if (round > 0 && !t.Location.Contains('{', StringComparison.Ordinal))
            {
                location = $"{location}{round + 1}号";
            }

            // About one mine in twenty sets its 总回风巷 methane alarm looser than the law (1.0 % instead of 0.75 %).
            var alarm = t.Alarm;
            if (t.Location == "总回风巷" && rnd.NextDouble() < 0.05)
            {
                alarm = 1.0;
            }

            var baseline = t.Low + (rnd.NextDouble() * (t.High - t.Low));
            var code = $"{mine.Code[^6..]}{(i < Templates.Length ? "A" : "B")}{i + 1:0000}";
            mine.Points.Add(new SimPoint
            {
                Definition = new CddyPoint
                {
                    PointCode = code,
                    SystemCode = "01",
                    SubstationCode = $"{1 + (i / 8):00}",
                    SensorType = t.Sensor,
                    ValueKind = t.Kind,
                    Unit = t.Unit,
                    RangeHigh = t.Kind == PointValueKind.Analog ? t.RangeHigh : null,
                    RangeLow = t.Kind == PointValueKind.Analog ? 0 : null,
                    UpperAlarm = alarm,
                    UpperAlarmClear = alarm is null ? null : t.Clear == t.Alarm ? alarm : t.Clear,
                    LowerAlarm = t.LowAlarm,
                    LowerAlarmClear = t.LowAlarm,
                    UpperPowerOff = t.PowerOff,
                    UpperPowerRestore = t.Restore,
                    OnDescription = t.Kind == PointValueKind.Switch ? "有电" : "",
                    OffDescription = t.Kind == PointValueKind.Switch ? "无电" : "",
                    Location = location,
                    DataTime = DateTimeOffset.UnixEpoch,
                },
                Baseline = baseline,
                Drift = t.Drift * (0.5 + rnd.NextDouble()),
                Period = 6 + (rnd.NextDouble() * 6),
                Phase = rnd.NextDouble() * Math.PI * 2,
                Sigma = Math.Max(baseline * t.Noise, Math.Pow(10, -t.Decimals)),
                Phi = 0.85 + (rnd.NextDouble() * 0.1),
                Decimals = t.Decimals,
                CutsPower = rnd.NextDouble() > 0.1,
            });
        }

        var areaCount = 5 + rnd.Next(4);
        for (var a = 0; a < areaCount; a++)
        {
            mine.Areas.Add(new RyqyArea
            {
                AreaType = a == 0 ? "重点区域" : "一般区域",
                AreaCode = $"{mine.Code}{a + 1:0000}",
                AreaName = a switch { 0 => $"{face}综采工作面", 1 => $"{heading}掘进工作面", 2 => "井底车场", 3 => "中央变电所", _ => $"{a}号运输大巷" },
                RatedCapacity = a switch { 0 => 18 + rnd.Next(8), 1 => 10 + rnd.Next(6), _ => 25 + rnd.Next(20) },
            });
        }

        for (var i = 0; i < peoplePerMine; i++)
        {
            var leader = i < 5;
            var name = Surnames[rnd.Next(Surnames.Length)] + Given[rnd.Next(Given.Length)];
            mine.People.Add(new SimPerson(
                $"{mine.Code[^5..]}{i + 1:000000000000}",
                name,
                leader ? "管理人员" : WorkTypes[rnd.Next(WorkTypes.Length)],
                leader ? new[] { "矿长", "安全副矿长", "生产副矿长", "机电副矿长", "总工程师" }[i] : "工人",
                leader ? "矿领导" : $"{"采掘通机运"[rnd.Next(5)]}{1 + rnd.Next(3)}队",
                leader,
                i % 3));
        }
    }
}
