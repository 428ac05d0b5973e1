using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Tests.Platform.Unit;

public sealed class WorkCalendarTests
{
    private static readonly WorkCalendar Calendar = WorkCalendar.Default;

    [Theory]
    [InlineData("2026-02-16", false)] // 春节 holiday, a Monday
    [InlineData("2026-02-14", true)]  // 春节调休上班, a Saturday
    [InlineData("2026-02-28", true)]  // 春节调休上班, a Saturday
    [InlineData("2026-01-04", true)]  // 元旦调休上班, a Sunday
    [InlineData("2026-10-08", true)]  // 2026 国庆 is 1–7 Oct; the 8th is an ordinary Thursday
    [InlineData("2025-10-08", false)] // 2025 国庆+中秋 ran to the 8th
    [InlineData("2026-06-15", true)]  // an ordinary Monday
    [InlineData("2026-06-13", false)] // an ordinary Saturday
    [InlineData("2025-01-26", true)]  // 2025 春节调休上班, a Sunday
    public void IsWorkingDay_FollowsTheStateCouncilNotice(string date, bool working)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(working, Calendar.IsWorkingDay(day));
    }

    [Fact]
    public void Covers_BothPublishedYears_AndNotAnUnpublishedOne()
    {
        Assert.True(Calendar.Covers(2025));
        Assert.True(Calendar.Covers(2026));
        Assert.False(Calendar.Covers(2027));
    }

    [Fact]
    public void AddWorkingDays_SkipsTheSpringFestivalAndCountsTheMakeUpSaturday()
    {
        // Friday 2026-02-13 + 1 working day = Saturday 2026-02-14 (调休上班).
        Assert.Equal(new DateOnly(2026, 2, 14), Calendar.AddWorkingDays(new DateOnly(2026, 2, 13), 1));
        // Saturday 2026-02-14 + 1 working day: 15–23 are holidays, so Tuesday 2026-02-24.
        Assert.Equal(new DateOnly(2026, 2, 24), Calendar.AddWorkingDays(new DateOnly(2026, 2, 14), 1));
        // 5 working days after Thursday 2026-04-30: 5/1–5/5 off, 5/6 Wed, 5/7, 5/8, 5/9 (Sat, 调休), 5/11 Mon.
        Assert.Equal(new DateOnly(2026, 5, 11), Calendar.AddWorkingDays(new DateOnly(2026, 4, 30), 5));
    }

    [Fact]
    public void AddWorkingDays_ZeroDays_IsTheStartDay()
    {
        Assert.Equal(new DateOnly(2026, 6, 15), Calendar.AddWorkingDays(new DateOnly(2026, 6, 15), 0));
    }

    [Fact]
    public void WorkingDaysBetween_CountsEndNotStart_AndIsSignedWhenReversed()
    {
        var from = new DateOnly(2026, 6, 12); // Friday
        var to = new DateOnly(2026, 6, 19); // Friday (端午 holiday)
        Assert.Equal(4, Calendar.WorkingDaysBetween(from, to)); // 15, 16, 17, 18
        Assert.Equal(-4, Calendar.WorkingDaysBetween(to, from));
    }

    [Fact]
    public void LastDay_CalendarDays_DoesNotCountTheStartDay()
    {
        // Registered 2026-06-15 10:00 China time; 15 days → 2026-06-30 (民法典 第201条).
        var start = ChinaTime.ToUtc(new DateTime(2026, 6, 15, 10, 0, 0));
        Assert.Equal(new DateOnly(2026, 6, 30), Calendar.LastDay(start, 15, DayCount.Calendar));
    }

    [Fact]
    public void LastDay_CalendarDaysEndingOnAHoliday_RollToTheNextWorkingDayWhenAsked()
    {
        // 2026-09-20 + 15 days = 2026-10-05 (国庆); rolled forward → Thursday 2026-10-08 (民法典 第203条).
        var start = ChinaTime.ToUtc(new DateTime(2026, 9, 20, 9, 0, 0));
        Assert.Equal(new DateOnly(2026, 10, 5), Calendar.LastDay(start, 15, DayCount.Calendar));
        Assert.Equal(new DateOnly(2026, 10, 8), Calendar.LastDay(start, 15, DayCount.Calendar, rollToWorkingDay: true));
    }

    [Fact]
    public void DueAt_IsTheEndOfTheLastDayInChinaTime()
    {
        // A China-time late-evening start (UTC still the previous day) is counted from the China date.
        var start = ChinaTime.ToUtc(new DateTime(2026, 6, 15, 23, 30, 0));
        var due = Calendar.DueAt(start, 5, DayCount.Working);
        // 5 working days after Monday 6-15: 16, 17, 18, (19 端午, 20, 21 off), 22, 23 → due at the end of Tuesday 6-23.
        Assert.Equal(ChinaTime.ToUtc(new DateTime(2026, 6, 24, 0, 0, 0)), due);
        Assert.Equal(DateTimeKind.Utc, due.Kind);
    }

    [Fact]
    public void Parse_RejectsAnUnknownDayKind()
    {
        var error = Assert.Throws<FormatException>(() => WorkCalendar.Parse("2026-01-01\t假\t元旦"));
        Assert.Contains("休 或 班", error.Message);
    }
}
