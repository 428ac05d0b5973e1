using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Platform.Workflow;

internal sealed class TimelineConfiguration : IEntityTypeConfiguration<TimelineEntry>
{
    public void Configure(EntityTypeBuilder<TimelineEntry> b)
    {
        b.ToTable("timeline_entries");
        b.Property(t => t.SubjectType).HasMaxLength(30);
        b.Property(t => t.RegionCode).HasMaxLength(12);
        b.Property(t => t.Action).HasMaxLength(30);
        b.Property(t => t.FromState).HasMaxLength(30);
        b.Property(t => t.ToState).HasMaxLength(30);
        b.Property(t => t.ActorName).HasMaxLength(50);
        b.Property(t => t.Note).HasMaxLength(2000);
        b.Property(t => t.AttachmentIds).HasMaxLength(200);
        b.HasIndex(t => new { t.SubjectType, t.SubjectId, t.At });
    }
}
