using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform;

/// <summary>The last number given out for one key (e.g. <c>WW-530302-2026</c>).</summary>
[NotAudited("编号计数器：每个编号都记在它所属事项的审计记录里")]
[DisplayName("编号计数")]
public sealed class NumberSequence
{
    public required string Key { get; init; }

    public long Last { get; set; }
}

internal sealed class NumberSequenceConfiguration : IEntityTypeConfiguration<NumberSequence>
{
    public void Configure(EntityTypeBuilder<NumberSequence> b)
    {
        b.ToTable("number_sequences");
        b.HasKey(s => s.Key);
        b.Property(s => s.Key).HasMaxLength(40);
    }
}

/// <summary>
/// Human numbers of ledger items (DESIGN §1), e.g. <c>WW-530302-2026-000123</c>: prefix, county, year, a sequence per
/// (prefix, county, year). One atomic upsert statement per number, so concurrent requests and instances never share one.
/// </summary>
public static class Numbering
{
    public static async Task<string> NextAsync(AppDbContext db, string prefix, string regionCode, DateTime nowUtc, CancellationToken ct)
    {
        var county = regionCode.Length >= 6 ? regionCode[..6] : regionCode;
        var year = ChinaTime.ToChina(nowUtc).Year;
        var key = $"{prefix}-{county}-{year}";
        var next = await db.Database.SqlQueryRaw<long>(
            "INSERT INTO number_sequences (\"key\", \"last\") VALUES ({0}, 1) ON CONFLICT (\"key\") DO UPDATE SET \"last\" = number_sequences.\"last\" + 1 RETURNING \"last\" AS \"Value\"",
            key).ToListAsync(ct);
        return $"{key}-{next[0]:000000}";
    }

    /// <summary>Whether <paramref name="text"/> is shaped like a number of <paramref name="prefix"/> (any case), e.g. YH-530302-2026-000123.</summary>
    public static bool IsNumber(string text, string prefix) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, $"^{prefix}-[0-9]{{6}}-[0-9]{{4}}-[0-9]{{6}}$", System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
}
