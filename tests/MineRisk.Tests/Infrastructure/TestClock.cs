namespace MineRisk.Tests.Infrastructure;

/// <summary>A clock the test moves by hand (the app reads time only through <see cref="TimeProvider"/>).</summary>
public sealed class TestClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    /// <summary>2026-06-15 02:00 UTC = 10:00 China time, a Monday and an ordinary working day.</summary>
    public static DateTimeOffset DefaultStart => new(2026, 6, 15, 2, 0, 0, TimeSpan.Zero);

    public TestClock() : this(DefaultStart)
    {
    }

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;

    public void Set(DateTimeOffset to) => _now = to;
}
