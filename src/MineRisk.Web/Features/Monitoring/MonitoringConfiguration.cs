using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;

namespace MineRisk.Web.Features.Monitoring;

internal sealed class FeedUploadConfiguration : IEntityTypeConfiguration<FeedUpload>
{
    public void Configure(EntityTypeBuilder<FeedUpload> b)
    {
        b.ToTable("feed_files");
        b.Property(f => f.RegionCode).HasMaxLength(12);
        b.Property(f => f.FileName).HasMaxLength(120);
        b.Property(f => f.Sha256).HasMaxLength(64);
        b.Property(f => f.ArchivePath).HasMaxLength(100);
        b.Property(f => f.Reason).HasMaxLength(500);
        b.Property(f => f.ErrorKind).HasMaxLength(40);
        // One accepted file per mine and name; rejected attempts may repeat (the mine fixes the file and sends it again).
        b.HasIndex(f => new { f.MineId, f.FileName }).IsUnique().HasFilter("status <> 3");
        b.HasIndex(f => new { f.MineId, f.Sha256 });
        b.HasIndex(f => new { f.MineId, f.ReceivedAt });
        // The applier's queue: what is acknowledged and not yet applied (small, so a partial index).
        b.HasIndex(f => new { f.Status, f.Id }).HasFilter("status = 1").HasDatabaseName("ix_feed_files_pending");
        b.HasIndex(f => f.ReceivedAt);
    }
}

internal sealed class UploadKeyConfiguration : IEntityTypeConfiguration<UploadKey>
{
    public void Configure(EntityTypeBuilder<UploadKey> b)
    {
        b.ToTable("upload_keys");
        b.Property(k => k.RegionCode).HasMaxLength(12);
        b.Property(k => k.KeyId).HasMaxLength(20);
        b.Property(k => k.SecretHash).HasMaxLength(64);
        b.Property(k => k.Note).HasMaxLength(100);
        b.Property(k => k.CreatedByName).HasMaxLength(50);
        b.Property(k => k.RevokedByName).HasMaxLength(50);
        b.HasIndex(k => k.KeyId).IsUnique();
        b.HasIndex(k => k.MineId);
        b.HasOne<Mine>().WithMany().HasForeignKey(k => k.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MonitoringPointConfiguration : IEntityTypeConfiguration<MonitoringPoint>
{
    public void Configure(EntityTypeBuilder<MonitoringPoint> b)
    {
        b.ToTable("monitoring_points");
        b.Property(p => p.RegionCode).HasMaxLength(12);
        b.Property(p => p.Code).HasMaxLength(40);
        b.Property(p => p.SystemCode).HasMaxLength(40);
        b.Property(p => p.SubstationCode).HasMaxLength(40);
        b.Property(p => p.SensorType).HasMaxLength(40);
        b.Property(p => p.Unit).HasMaxLength(20);
        b.Property(p => p.OnDescription).HasMaxLength(40);
        b.Property(p => p.OffDescription).HasMaxLength(40);
        b.Property(p => p.Location).HasMaxLength(120);
        b.Property(p => p.LawLocation).HasMaxLength(60);
        b.Property(p => p.LooseNote).HasMaxLength(300);
        b.HasIndex(p => new { p.MineId, p.Code }).IsUnique();
        b.HasOne<Mine>().WithMany().HasForeignKey(p => p.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AlarmConfiguration : IEntityTypeConfiguration<Alarm>
{
    public void Configure(EntityTypeBuilder<Alarm> b)
    {
        b.ToTable("alarms");
        b.Property(a => a.RegionCode).HasMaxLength(12);
        b.Property(a => a.SubjectKey).HasMaxLength(60);
        b.Property(a => a.SubjectName).HasMaxLength(120);
        b.Property(a => a.Message).HasMaxLength(400);
        b.Property(a => a.Unit).HasMaxLength(20);
        b.Property(a => a.ClearNote).HasMaxLength(100);
        b.Property(a => a.AcknowledgedByName).HasMaxLength(50);
        b.Property(a => a.DisposedByName).HasMaxLength(50);
        b.Property(a => a.Cause).HasMaxLength(500);
        b.Property(a => a.Measures).HasMaxLength(500);
        b.Property(a => a.ExternalKey).HasMaxLength(100);
        // A person's acknowledgement and the engine's clearing can race: the state is checked on save (409, not a lost update).
        b.Property(a => a.State).IsConcurrencyToken();
        // One open platform alarm per mine, subject and type (issue 6 item 3): repeats update it.
        b.HasIndex(a => new { a.MineId, a.SubjectKey, a.Type }).IsUnique().HasFilter("source = 1 AND state IN (1, 2)").HasDatabaseName("ux_alarms_open");
        // A re-sent YCBJ alarm is the same row.
        b.HasIndex(a => new { a.MineId, a.ExternalKey }).IsUnique().HasFilter("external_key IS NOT NULL");
        b.HasIndex(a => new { a.State, a.Type });
        b.HasIndex(a => new { a.MineId, a.StartedAt });
        b.HasIndex(a => a.StartedAt);
        b.HasOne<Mine>().WithMany().HasForeignKey(a => a.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MineFeedStatusConfiguration : IEntityTypeConfiguration<MineFeedStatus>
{
    public void Configure(EntityTypeBuilder<MineFeedStatus> b)
    {
        b.ToTable("mine_feed_status");
        b.HasKey(s => s.MineId);
        b.Property(s => s.MineId).ValueGeneratedNever();
        b.Property(s => s.RegionCode).HasMaxLength(12);
        b.Property(s => s.LeadersUnderground).HasMaxLength(200);
        b.HasOne<Mine>().WithOne().HasForeignKey<MineFeedStatus>(s => s.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class PersonnelAreaConfiguration : IEntityTypeConfiguration<PersonnelArea>
{
    public void Configure(EntityTypeBuilder<PersonnelArea> b)
    {
        b.ToTable("personnel_areas");
        b.Property(a => a.RegionCode).HasMaxLength(12);
        b.Property(a => a.Code).HasMaxLength(40);
        b.Property(a => a.Name).HasMaxLength(100);
        b.Property(a => a.AreaType).HasMaxLength(40);
        b.HasIndex(a => new { a.MineId, a.Code }).IsUnique();
        b.HasOne<Mine>().WithMany().HasForeignKey(a => a.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class MinePersonConfiguration : IEntityTypeConfiguration<MinePerson>
{
    public void Configure(EntityTypeBuilder<MinePerson> b)
    {
        b.ToTable("mine_people");
        b.Property(p => p.RegionCode).HasMaxLength(12);
        b.Property(p => p.CardNumber).HasMaxLength(40);
        b.Property(p => p.Name).HasMaxLength(50);
        b.Property(p => p.WorkType).HasMaxLength(50);
        b.Property(p => p.Position).HasMaxLength(50);
        b.Property(p => p.Team).HasMaxLength(50);
        b.HasIndex(p => new { p.MineId, p.CardNumber }).IsUnique();
        b.HasOne<Mine>().WithMany().HasForeignKey(p => p.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ReadingConfiguration : IEntityTypeConfiguration<Reading>
{
    public void Configure(EntityTypeBuilder<Reading> b)
    {
        // Created by MonitoringSchema (partitioned on PostgreSQL), so left out of the model's schema reconciliation.
        b.ToTable("readings", t => t.ExcludeFromMigrations());
        b.HasNoKey();
        b.Property(r => r.RegionCode).HasMaxLength(12);
    }
}
