using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Features.Mines;

internal sealed class MineConfiguration : IEntityTypeConfiguration<Mine>
{
    public void Configure(EntityTypeBuilder<Mine> b)
    {
        b.ToTable("mines");
        b.Property(m => m.Code).HasMaxLength(12);
        b.Property(m => m.Name).HasMaxLength(100);
        b.Property(m => m.RegionCode).HasMaxLength(12);
        b.Property(m => m.Address).HasMaxLength(200);
        b.Property(m => m.Version).IsConcurrencyToken();
        b.HasIndex(m => m.Code).IsUnique();
        b.HasIndex(m => m.RegionCode);
        b.HasIndex(m => m.EnterpriseId);
        b.HasIndex(m => m.Name);
        b.HasOne(m => m.Enterprise).WithMany().HasForeignKey(m => m.EnterpriseId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne(m => m.Region).WithMany().HasForeignKey(m => m.RegionCode).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(m => m.Licences).WithOne().HasForeignKey(l => l.MineId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(m => m.KeyPersons).WithOne().HasForeignKey(p => p.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EnterpriseConfiguration : IEntityTypeConfiguration<Enterprise>
{
    public void Configure(EntityTypeBuilder<Enterprise> b)
    {
        b.ToTable("enterprises");
        b.Property(e => e.Name).HasMaxLength(100);
        b.Property(e => e.CreditCode).HasMaxLength(18);
        b.Property(e => e.LegalRepresentative).HasMaxLength(50);
        b.Property(e => e.Phone).HasMaxLength(30);
        b.HasIndex(e => e.Name).IsUnique();
        b.HasOne(e => e.Group).WithMany().HasForeignKey(e => e.GroupId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MineLicenceConfiguration : IEntityTypeConfiguration<MineLicence>
{
    public void Configure(EntityTypeBuilder<MineLicence> b)
    {
        b.ToTable("mine_licences");
        b.Property(l => l.RegionCode).HasMaxLength(12);
        b.Property(l => l.Number).HasMaxLength(60);
        b.Property(l => l.IssuedBy).HasMaxLength(100);
        b.HasIndex(l => new { l.MineId, l.Kind }).IsUnique();
        b.HasIndex(l => l.ExpiresOn);
    }
}

internal sealed class KeyPersonConfiguration : IEntityTypeConfiguration<KeyPerson>
{
    public void Configure(EntityTypeBuilder<KeyPerson> b)
    {
        b.ToTable("mine_key_persons");
        b.Property(p => p.RegionCode).HasMaxLength(12);
        b.Property(p => p.Name).HasMaxLength(50);
        b.Property(p => p.IdNumber).HasMaxLength(18);
        b.HasIndex(p => p.MineId);
        b.HasIndex(p => p.IdNumber);
    }
}

internal sealed class MineChangeConfiguration : IEntityTypeConfiguration<MineChange>
{
    public void Configure(EntityTypeBuilder<MineChange> b)
    {
        b.ToTable("mine_changes");
        b.Property(c => c.RegionCode).HasMaxLength(12);
        b.Property(c => c.Field).HasMaxLength(30);
        b.Property(c => c.OldValue).HasMaxLength(100);
        b.Property(c => c.NewValue).HasMaxLength(100);
        b.Property(c => c.Reason).HasMaxLength(500);
        b.Property(c => c.ByName).HasMaxLength(50);
        b.HasIndex(c => new { c.MineId, c.At });
        b.HasOne<Mine>().WithMany().HasForeignKey(c => c.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}
