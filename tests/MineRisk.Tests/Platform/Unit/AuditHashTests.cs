using MineRisk.Web.Platform.Audit;

namespace MineRisk.Tests.Platform.Unit;

public sealed class AuditHashTests
{
    private static AuditEntry Entry() => new()
    {
        Id = 7,
        At = new DateTime(2026, 6, 15, 2, 0, 0, DateTimeKind.Utc),
        UserId = 3,
        UserName = "张卫东",
        Action = "修改",
        EntityType = "organisations",
        EntityName = "单位",
        EntityId = "8",
        Summary = "修改单位 麒麟区应急管理局",
        Before = "{\"Name\":\"旧\"}",
        After = "{\"Name\":\"新\"}",
        PrevHash = AuditHash.Genesis,
    };

    [Fact]
    public void Compute_IsStableAndHex()
    {
        var hash = AuditHash.Compute(Entry());
        Assert.Equal(64, hash.Length);
        Assert.Matches("^[0-9a-f]+$", hash);
        Assert.Equal(hash, AuditHash.Compute(Entry()));
    }

    [Theory]
    [InlineData(nameof(AuditEntry.Id))]
    [InlineData(nameof(AuditEntry.At))]
    [InlineData(nameof(AuditEntry.UserName))]
    [InlineData(nameof(AuditEntry.After))]
    [InlineData(nameof(AuditEntry.PrevHash))]
    public void Compute_ChangesWhenAnyFieldChanges(string field)
    {
        var original = AuditHash.Compute(Entry());
        var changed = Entry();
        switch (field)
        {
            case nameof(AuditEntry.Id): changed.Id++; break;
            case nameof(AuditEntry.At): changed.At = changed.At.AddTicks(10); break;
            case nameof(AuditEntry.UserName): changed.UserName = "李明华"; break;
            case nameof(AuditEntry.After): changed.After = "{\"Name\":\"新2\"}"; break;
            case nameof(AuditEntry.PrevHash): changed.PrevHash = new string('1', 64); break;
        }

        Assert.NotEqual(original, AuditHash.Compute(changed));
    }

    [Fact]
    public void Truncate_DropsSubMicrosecondTicks_SoTheHashSurvivesPostgres()
    {
        var t = new DateTime(2026, 6, 15, 2, 0, 0, DateTimeKind.Utc).AddTicks(1234567);
        var truncated = AuditHash.Truncate(t);
        Assert.Equal(1234560, truncated.Ticks % TimeSpan.TicksPerSecond);
        Assert.Equal(DateTimeKind.Utc, truncated.Kind);
    }
}
