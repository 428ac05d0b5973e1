using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Platform.Deadlines;

internal sealed class DeadlineConfiguration : IEntityTypeConfiguration<Deadline>
{
    public void Configure(EntityTypeBuilder<Deadline> b)
    {
        b.Property(d => d.SubjectType).HasMaxLength(30);
        b.Property(d => d.Title).HasMaxLength(200);
        b.Property(d => d.Link).HasMaxLength(200);
        b.Property(d => d.RegionCode).HasMaxLength(12);
        b.HasIndex(d => new { d.SubjectType, d.SubjectId });
        b.HasIndex(d => d.NextEscalationAt);
        b.HasIndex(d => new { d.AssigneeUserId, d.CompletedAt });
        b.HasIndex(d => new { d.OrganisationId, d.CompletedAt });
        b.HasIndex(d => d.RegionCode);
        b.HasMany(d => d.Extensions).WithOne().HasForeignKey(e => e.DeadlineId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(d => d.Escalations).WithOne().HasForeignKey(e => e.DeadlineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DeadlineExtensionConfiguration : IEntityTypeConfiguration<DeadlineExtension>
{
    public void Configure(EntityTypeBuilder<DeadlineExtension> b)
    {
        b.ToTable("deadline_extensions");
        b.Property(e => e.Reason).HasMaxLength(500);
    }
}

internal sealed class DeadlineEscalationConfiguration : IEntityTypeConfiguration<DeadlineEscalation>
{
    public void Configure(EntityTypeBuilder<DeadlineEscalation> b) =>
        b.HasIndex(e => new { e.DeadlineId, e.Round, e.Level }).IsUnique();
}
