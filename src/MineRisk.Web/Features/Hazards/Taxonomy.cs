using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Features.Hazards;

/// <summary>
/// One edition of the 《煤矿重大事故隐患判定标准》 (DOMAIN §3): 2020 (应急管理部令第4号, 15 categories, 80 items) now;
/// the 17 categories of 条例 第36条 (2024) or a later revision come as another edition, never by editing this one.
/// A major hazard points at the item it was judged by, so it keeps its edition.
/// </summary>
[DisplayName("重大隐患判定标准")]
public sealed class HazardStandard
{
    public long Id { get; init; }

    /// <summary>Short code, e.g. <c>2020</c>.</summary>
    public required string Code { get; init; }

    public required string Name { get; init; }

    /// <summary>The instrument, e.g. 应急管理部令第4号.</summary>
    public required string Issuer { get; init; }

    public DateOnly EffectiveFrom { get; init; }

    /// <summary>The edition new major hazards are judged by (one at a time).</summary>
    public bool Current { get; set; }

    public List<HazardCategory> Categories { get; init; } = [];
}

/// <summary>A category of the standard, e.g. 第四条 超能力、超强度或者超定员组织生产.</summary>
public sealed class HazardCategory
{
    public long Id { get; init; }

    public long StandardId { get; init; }

    public int No { get; init; }

    /// <summary>The article, e.g. 第四条.</summary>
    public required string Article { get; init; }

    public required string ShortName { get; init; }

    public List<HazardCriterion> Items { get; init; } = [];
}

/// <summary>One numbered item of a category: the 判定依据 of a major hazard.</summary>
public sealed class HazardCriterion
{
    public long Id { get; init; }

    public long CategoryId { get; init; }

    public HazardCategory? Category { get; init; }

    public int No { get; init; }

    public required string Text { get; init; }

    /// <summary>How a ledger cites it, e.g. 2020版第四条第(一)项.</summary>
    public static string Cite(string standardCode, string article, int itemNo) => $"{standardCode}版{article}第（{ChineseNumber(itemNo)}）项";

    internal static string ChineseNumber(int n)
    {
        string[] digits = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
        return n switch
        {
            < 10 => digits[n],
            10 => "十",
            < 20 => "十" + digits[n - 10],
            _ => digits[n / 10] + "十" + (n % 10 == 0 ? "" : digits[n % 10]),
        };
    }
}

internal sealed class HazardStandardConfiguration : IEntityTypeConfiguration<HazardStandard>, IEntityTypeConfiguration<HazardCategory>, IEntityTypeConfiguration<HazardCriterion>
{
    public void Configure(EntityTypeBuilder<HazardStandard> b)
    {
        b.ToTable("hazard_standards");
        b.Property(s => s.Code).HasMaxLength(20);
        b.Property(s => s.Name).HasMaxLength(100);
        b.Property(s => s.Issuer).HasMaxLength(100);
        b.HasIndex(s => s.Code).IsUnique();
        b.HasMany(s => s.Categories).WithOne().HasForeignKey(c => c.StandardId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<HazardCategory> b)
    {
        b.ToTable("hazard_categories");
        b.Property(c => c.Article).HasMaxLength(20);
        b.Property(c => c.ShortName).HasMaxLength(100);
        b.HasIndex(c => new { c.StandardId, c.No }).IsUnique();
        b.HasMany(c => c.Items).WithOne(i => i.Category).HasForeignKey(i => i.CategoryId).OnDelete(DeleteBehavior.Restrict);
    }

    public void Configure(EntityTypeBuilder<HazardCriterion> b)
    {
        b.ToTable("hazard_criteria");
        b.Property(i => i.Text).HasMaxLength(500);
        b.HasIndex(i => new { i.CategoryId, i.No }).IsUnique();
    }
}

/// <summary>
/// Loads the 2020 判定标准 from <c>Reference/major-hazards-2020.tsv</c> (copied from <c>../shared/reference/</c>;
/// columns cat_no, article, short_name, item_no, item_text) on every start of an installation that lacks it.
/// </summary>
public sealed class TaxonomyReferenceData(AppDbContext db) : IReferenceData
{
    public async Task EnsureAsync(CancellationToken ct)
    {
        db.Scope = UserScope.System;
        if (await db.Set<HazardStandard>().AnyAsync(s => s.Code == "2020", ct))
        {
            return;
        }

        var standard = Load2020();
        standard.Current = !await db.Set<HazardStandard>().AnyAsync(s => s.Current, ct);
        db.Add(standard);
        await db.SaveChangesAsync(ct);
    }

    public static HazardStandard Load2020()
    {
        using var stream = typeof(TaxonomyReferenceData).Assembly.GetManifestResourceStream("MineRisk.Web.Features.Hazards.Reference.major-hazards-2020.tsv")
            ?? throw new InvalidOperationException("缺少内嵌资源 major-hazards-2020.tsv");
        using var reader = new StreamReader(stream);
        var standard = new HazardStandard
        {
            Code = "2020", Name = "煤矿重大事故隐患判定标准（2020）", Issuer = "应急管理部令第4号", EffectiveFrom = new DateOnly(2021, 1, 1),
        };
        reader.ReadLine(); // header
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var f = line.Split('\t');
            var no = int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture);
            var category = standard.Categories.FirstOrDefault(c => c.No == no);
            if (category is null)
            {
                category = new HazardCategory { No = no, Article = f[1], ShortName = f[2] };
                standard.Categories.Add(category);
            }

            category.Items.Add(new HazardCriterion { No = int.Parse(f[3], System.Globalization.CultureInfo.InvariantCulture), Text = f[4] });
        }

        return standard;
    }
}
