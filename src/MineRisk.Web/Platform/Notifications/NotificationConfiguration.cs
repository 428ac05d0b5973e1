using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Platform.Notifications;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.Property(n => n.Title).HasMaxLength(200);
        b.Property(n => n.Body).HasMaxLength(1000);
        b.Property(n => n.Link).HasMaxLength(200);
        b.HasIndex(n => new { n.UserId, n.ReadAt, n.CreatedAt });
    }
}
