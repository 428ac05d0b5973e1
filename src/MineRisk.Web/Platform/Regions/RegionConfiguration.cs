using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Platform.Regions;

internal sealed class RegionConfiguration : IEntityTypeConfiguration<Region>
{
    public void Configure(EntityTypeBuilder<Region> b)
    {
        b.HasKey(r => r.Code);
        b.Property(r => r.Code).HasMaxLength(12);
        b.Property(r => r.ParentCode).HasMaxLength(12);
        b.Property(r => r.Name).HasMaxLength(50);
        b.Property(r => r.FullName).HasMaxLength(100);
        b.HasOne(r => r.Parent).WithMany().HasForeignKey(r => r.ParentCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(r => r.ParentCode);
    }
}

internal sealed class OrganisationConfiguration : IEntityTypeConfiguration<Organisation>
{
    public void Configure(EntityTypeBuilder<Organisation> b)
    {
        b.Property(o => o.Name).HasMaxLength(100);
        b.Property(o => o.RegionCode).HasMaxLength(12);
        b.HasOne(o => o.Region).WithMany().HasForeignKey(o => o.RegionCode).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(o => o.Name).IsUnique();
        b.HasIndex(o => o.RegionCode);
    }
}
