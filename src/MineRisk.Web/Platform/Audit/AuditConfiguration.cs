using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Platform.Audit;

internal sealed class AuditConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.ToTable("audit_entries");
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.UserName).HasMaxLength(50);
        b.Property(e => e.Action).HasMaxLength(30);
        b.Property(e => e.EntityType).HasMaxLength(60);
        b.Property(e => e.EntityName).HasMaxLength(30);
        b.Property(e => e.EntityId).HasMaxLength(60);
        b.Property(e => e.RegionCode).HasMaxLength(12);
        b.Property(e => e.Summary).HasMaxLength(300);
        b.Property(e => e.PrevHash).HasMaxLength(64);
        b.Property(e => e.Hash).HasMaxLength(64);
        b.HasIndex(e => e.At);
        b.HasIndex(e => new { e.EntityType, e.EntityId });
        b.HasIndex(e => e.UserId);
        b.HasIndex(e => e.RegionCode);
    }
}
