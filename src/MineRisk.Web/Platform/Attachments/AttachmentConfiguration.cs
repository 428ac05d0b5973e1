using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MineRisk.Web.Platform.Attachments;

internal sealed class AttachmentConfiguration : IEntityTypeConfiguration<Attachment>
{
    public void Configure(EntityTypeBuilder<Attachment> b)
    {
        b.Property(a => a.Sha256).HasMaxLength(64);
        b.Property(a => a.FileName).HasMaxLength(200);
        b.Property(a => a.ContentType).HasMaxLength(100);
        b.Property(a => a.OwnerType).HasMaxLength(30);
        b.Property(a => a.RegionCode).HasMaxLength(12);
        b.Property(a => a.Purpose).HasMaxLength(30);
        b.HasIndex(a => new { a.OwnerType, a.OwnerId });
        b.HasIndex(a => a.UploadedById);
    }
}
