using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace MineRisk.Web.Platform.Deadlines;

public enum DayCount
{
    [Display(Name = "自然日")] Calendar = 0,
    [Display(Name = "工作日")] Working = 1,
}

/// <summary>
/// Working days of the Chinese calendar: Monday to Friday, minus the statutory holidays, plus the announced
/// make-up working days (调休). The holiday table is data (holidays.tsv), one State Council notice per year
/// (DOMAIN §9); a year not in the table falls back to Monday–Friday and <see cref="Covers"/> says so.
/// </summary>
public sealed class WorkCalendar
{
    private readonly Dictionary<DateOnly, (bool Working, string Name)> _days;
    private readonly HashSet<int> _years;

    public WorkCalendar(IEnumerable<(DateOnly Date, bool Working, string Name)> days)
    {
        _days = days.ToDictionary(d => d.Date, d => (d.Working, d.Name));
        _years = _days.Keys.Select(d => d.Year).ToHashSet();
    }

    /// <summary>The table shipped with the app (Platform/Deadlines/holidays.tsv).</summary>
    public static WorkCalendar Default { get; } = LoadEmbedded();

    public IReadOnlyCollection<int> Years => _years;

    public bool Covers(int year) => _years.Contains(year);

    public bool IsWorkingDay(DateOnly date)
    {
        if (_days.TryGetValue(date, out var day))
        {
            return day.Working;
        }

        return date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday);
    }

    /// <summary>The holiday or make-up day name, e.g. 春节 or 春节调休上班; null for an ordinary day.</summary>
    public string? NameOf(DateOnly date) => _days.TryGetValue(date, out var day) ? day.Name : null;

    /// <summary><paramref name="date"/> itself when it is a working day, else the next working day.</summary>
    public DateOnly NextWorkingDay(DateOnly date)
    {
        while (!IsWorkingDay(date))
        {
            date = date.AddDays(1);
        }

        return date;
    }

    /// <summary>The date <paramref name="days"/> working days after <paramref name="start"/> (start not counted).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var date = start;
        while (days > 0)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date))
            {
                days--;
            }
        }

        return date;
    }

    /// <summary>Working days in (<paramref name="from"/>, <paramref name="to"/>]; negative when to &lt; from.</summary>
    public int WorkingDaysBetween(DateOnly from, DateOnly to)
    {
        var sign = 1;
        if (to < from)
        {
            (from, to) = (to, from);
            sign = -1;
        }

        var count = 0;
        for (var d = from.AddDays(1); d <= to; d = d.AddDays(1))
        {
            if (IsWorkingDay(d))
            {
                count++;
            }
        }

        return sign * count;
    }

    /// <summary>
    /// The last day of a period of <paramref name="days"/> days that starts at <paramref name="startUtc"/>: the day
    /// of the start is not counted (民法典 第二百零一条); with <paramref name="rollToWorkingDay"/>, a calendar-day
    /// period whose last day is a statutory holiday or rest day ends on the next working day (民法典 第二百零三条).
    /// </summary>
    public DateOnly LastDay(DateTime startUtc, int days, DayCount count, bool rollToWorkingDay = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        var start = ChinaTime.DateOf(startUtc);
        if (count == DayCount.Working)
        {
            return AddWorkingDays(start, days);
        }

        var last = start.AddDays(days);
        return rollToWorkingDay ? NextWorkingDay(last) : last;
    }

    /// <summary>The instant the period ends: the end of its last day, China time (exclusive), as UTC.</summary>
    public DateTime DueAt(DateTime startUtc, int days, DayCount count, bool rollToWorkingDay = false) =>
        ChinaTime.StartOfDay(LastDay(startUtc, days, count, rollToWorkingDay).AddDays(1));

    private static WorkCalendar LoadEmbedded()
    {
        using var stream = typeof(WorkCalendar).Assembly.GetManifestResourceStream("MineRisk.Web.Platform.Deadlines.holidays.tsv")
            ?? throw new InvalidOperationException("缺少节假日数据 holidays.tsv");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Reads the table: <c>date kind name source</c>, tab-separated, kind 休 (holiday) or 班 (make-up workday).</summary>
    public static WorkCalendar Parse(string tsv)
    {
        var days = new List<(DateOnly, bool, string)>();
        foreach (var raw in tsv.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("date", StringComparison.Ordinal))
            {
                continue;
            }

            var f = line.Split('\t');
            var date = DateOnly.ParseExact(f[0], "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var working = f[1] switch
            {
                "班" => true,
                "休" => false,
                _ => throw new FormatException($"节假日表第「{line}」行的类型应为 休 或 班"),
            };
            days.Add((date, working, f.Length > 2 ? f[2] : ""));
        }

        return new WorkCalendar(days);
    }
}
