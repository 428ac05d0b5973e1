namespace MineRisk.Feeds.Tests.Support;

/// <summary>Seeded random records of every type, covering empty optionals, signs, fractions and odd magnitudes.</summary>
internal sealed class RandomRecords(int seed)
{
    private static readonly string[] Sensors = ["甲烷", "一氧化碳", "风速", "温度", "负压", "馈电", "风门", "烟雾"];
    private static readonly string[] Units = ["%CH4", "ppm", "m/s", "℃", "Pa", "", "%"];
    private static readonly string[] Places =
        ["1301回采工作面回风隅角", "1301回采工作面回风巷", "1302掘进工作面", "主要回风巷", "井底车场", "中央变电所", "2#联络巷|东侧"];

    private readonly Random _random = new(seed);

    public FeedHeader Header(FeedType type) => new(
        _random.Next(2) == 0 ? "530381000123" : "53038100012",
        Pick(["麒麟区东山煤矿", "富源县某煤业有限公司", ""]),
        Time())
    {
        Details = type switch
        {
            FeedType.Cddy => ["KJ90X", "安全监控系统", "重庆煤科院", Pick(["2025-03-01", ""])],
            FeedType.Ryxx => ["KJ236", "", "北京某科技", "2024-06-30", "V2.1"],
            _ => [],
        },
    };

    public CdssReading Cdss() => new(
        Code("MN"), Pick(Sensors), Pick(Places), OptionalNumber(), Pick(Units), (PointStatus)_random.Next(256), Time());

    public CddyPoint Cddy() => new()
    {
        PointCode = Code("MN"),
        SystemCode = Pick(["01", "02", ""]),
        SubstationCode = Pick(["03", "17"]),
        SensorType = Pick(Sensors),
        ValueKind = _random.Next(2) == 0 ? PointValueKind.Analog : PointValueKind.Switch,
        Unit = Pick(Units),
        RangeHigh = OptionalNumber(),
        RangeLow = OptionalNumber(),
        UpperAlarm = OptionalNumber(),
        UpperAlarmClear = OptionalNumber(),
        LowerAlarm = OptionalNumber(),
        LowerAlarmClear = OptionalNumber(),
        UpperPowerOff = OptionalNumber(),
        UpperPowerRestore = OptionalNumber(),
        LowerPowerOff = OptionalNumber(),
        LowerPowerRestore = OptionalNumber(),
        OnDescription = Pick(["有电", "开", ""]),
        OffDescription = Pick(["无电", "关", ""]),
        Location = Pick(Places),
        X = OptionalNumber(),
        Y = OptionalNumber(),
        Z = OptionalNumber(),
        Relation = Pick(["", "530381000123KG0007", "MN0001,MN0002"]),
        DataTime = Time(),
    };

    public YcbjAlarm Ycbj() => new()
    {
        PointCode = Code("MN"),
        SensorTypeName = Pick(Sensors),
        Location = Pick(Places),
        Unit = Pick(Units),
        Kind = (AlarmKind)_random.Next(1, 11),
        StartTime = Time(),
        EndTime = OptionalTime(),
        MaxValue = OptionalNumber(),
        MaxTime = OptionalTime(),
        MinValue = OptionalNumber(),
        MinTime = OptionalTime(),
        AverageValue = OptionalNumber(),
        Cause = Pick(["", "局部通风机故障停风", "传感器标校"]),
        Measures = Pick(["", "恢复通风、撤出人员"]),
        EnteredAt = OptionalTime(),
        EnteredBy = Pick(["", "张伟"]),
        DataTime = Time(),
    };

    public TjsjStatistics Tjsj() => new()
    {
        PointCode = Code("MN"),
        SensorTypeName = Pick(Sensors),
        Location = Pick(Places),
        Unit = Pick(Units),
        StartTime = Time(),
        EndTime = Time(),
        MaxValue = OptionalNumber(),
        MaxTime = OptionalTime(),
        MinValue = OptionalNumber(),
        MinTime = OptionalTime(),
        AverageValue = OptionalNumber(),
        DataTime = Time(),
    };

    public RyqyArea Ryqy() => new()
    {
        AreaType = Pick(["01", "02", "重点区域", ""]),
        AreaCode = $"530381000123{_random.Next(10_000):D4}",
        RatedCapacity = _random.Next(4) == 0 ? null : _random.Next(0, 500),
        AreaName = Pick(Places),
    };

    public RyxxPerson Ryxx() => new()
    {
        CardNumber = $"530381000123{_random.Next(100_000):D5}",
        Name = Pick(["李强", "王建国", "张伟", "赵六"]),
        WorkType = Pick(["采煤工", "掘进工", "瓦检员", ""]),
        Position = Pick(["班长", "矿长", ""]),
        Team = Pick(["综采一队", "掘进二队", "通风队"]),
        BirthDate = Pick(["1985-07", "1970-02-01", ""]),
        Education = Pick(["高中", "本科", ""]),
        IsMineLeader = OptionalFlag(),
        IsSpecialWorker = OptionalFlag(),
    };

    public RyssPosition Ryss() => new()
    {
        CardNumber = $"530381000123{_random.Next(100_000):D5}",
        Name = Pick(["李强", "王建国", "张伟"]),
        InOutFlag = (byte)_random.Next(3),
        InTime = OptionalTime(),
        OutTime = OptionalTime(),
        AreaCode = Pick(["5303810001230001", ""]),
        AreaEnterTime = OptionalTime(),
        StationCode = Pick(["5303810001230001000003", ""]),
        StationEnterTime = OptionalTime(),
        WorkOrganization = Pick(["三八制", "四六制", ""]),
        DistanceToStation = OptionalNumber(),
        WorkStatus = Pick(["正常", "求救", ""]),
        IsMineLeader = OptionalFlag(),
        IsSpecialWorker = OptionalFlag(),
        Track = Pick(["", "5303810001230001000001&2025-03-01 06:05:00,5303810001230001000003&2025-03-01 08:10:00"]),
    };

    public JzssStation Jzss() => new()
    {
        StationCode = $"53038100012300010000{_random.Next(100):D2}",
        RunState = (byte)Pick([0, 1, 2, 9]),
        PowerState = (byte)Pick([0, 1, 2, 9]),
        DataTime = Time(),
    };

    /// <summary>Writes a random file of <paramref name="count"/> records of <paramref name="type"/>.</summary>
    public byte[] File(FeedType type, int count) => type switch
    {
        FeedType.Cddy => FeedFormats.Cddy.WriteToArray(Header(type), Many(count, Cddy)),
        FeedType.Cdss => FeedFormats.Cdss.WriteToArray(Header(type), Many(count, Cdss)),
        FeedType.Ycbj => FeedFormats.Ycbj.WriteToArray(Header(type), Many(count, Ycbj)),
        FeedType.Tjsj => FeedFormats.Tjsj.WriteToArray(Header(type), Many(count, Tjsj)),
        FeedType.Ryqy => FeedFormats.Ryqy.WriteToArray(Header(type), Many(count, Ryqy)),
        FeedType.Ryxx => FeedFormats.Ryxx.WriteToArray(Header(type), Many(count, Ryxx)),
        FeedType.Ryss => FeedFormats.Ryss.WriteToArray(Header(type), Many(count, Ryss)),
        FeedType.Jzss => FeedFormats.Jzss.WriteToArray(Header(type), Many(count, Jzss)),
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };

    public List<T> Many<T>(int count, Func<T> make) => Enumerable.Range(0, count).Select(_ => make()).ToList();

    public double? OptionalNumber() => _random.Next(5) switch
    {
        0 => null,
        1 => Math.Round((_random.NextDouble() * 2) - 0.5, _random.Next(0, 4)),
        2 => _random.Next(-1000, 100_000),
        3 => (_random.NextDouble() - 0.5) * Math.Pow(10, _random.Next(-9, 18)),
        _ => BitConverter.Int64BitsToDouble(_random.NextInt64(0, 0x7FEFFFFFFFFFFFFF)) * (_random.Next(2) == 0 ? 1 : -1),
    };

    public DateTimeOffset Time()
    {
        var time = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(8)).AddSeconds(_random.Next(0, 366 * 86_400));
        return _random.Next(10) == 0 ? time.AddTicks(_random.Next(1, 10_000_000)) : time;
    }

    private DateTimeOffset? OptionalTime() => _random.Next(3) == 0 ? null : Time();

    private bool? OptionalFlag() => _random.Next(3) switch { 0 => null, 1 => true, _ => false };

    private string Code(string kind) => $"530381000123{kind}{_random.Next(10_000):D4}";

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];
}
