using System.ComponentModel;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Stability;

/// <summary>
/// 一矿一专班 (seed 000): the task force watching a 高 or 中 mine — a leader (县处级), members from the 驻矿安监员, the coal
/// authority and the township, and their watch duties (盯守对象, 盯守时限, 盯守责任).
/// </summary>
[DisplayName("工作专班")]
public sealed class TaskForce : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public Mine? Mine { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public required string Name { get; set; }

    public required string LeaderName { get; set; }

    /// <summary>The leader's post, e.g. 副县长 (县处级).</summary>
    public string? LeaderTitle { get; set; }

    public long? LeaderUserId { get; set; }

    /// <summary>盯守对象.</summary>
    public required string WatchTarget { get; set; }

    /// <summary>盯守时限.</summary>
    public DateOnly? WatchUntil { get; set; }

    /// <summary>盯守责任.</summary>
    public required string WatchDuty { get; set; }

    public DateTime CreatedAt { get; init; }

    public bool Active { get; set; } = true;

    public List<TaskForceMember> Members { get; init; } = [];
}

/// <summary>A member of a task force: a user of the system, or a named person with their organisation.</summary>
[DisplayName("专班成员")]
public sealed class TaskForceMember
{
    public long Id { get; init; }

    public long TaskForceId { get; init; }

    public required string Name { get; init; }

    public required string Organisation { get; init; }

    /// <summary>e.g. 驻矿安监员, 组员.</summary>
    public string? Role { get; init; }

    public long? UserId { get; init; }
}

/// <summary>A patrol of a task force (巡查日志): when, who, what was seen — e.g. signs of 明停暗开 — with photos.</summary>
[DisplayName("巡查日志")]
public sealed class PatrolLog : IScoped
{
    public long Id { get; init; }

    public long TaskForceId { get; init; }

    public TaskForce? TaskForce { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; init; }

    public long? EnterpriseId { get; init; }

    public DateOnly Date { get; init; }

    public required string Patroller { get; init; }

    public required string Observation { get; init; }

    /// <summary>Signs of illegal production (明停暗开, 昼停夜开) were seen.</summary>
    public bool IllegalProductionSigns { get; init; }

    public string? AttachmentIds { get; init; }

    public long? ById { get; init; }

    public DateTime At { get; init; }
}

/// <summary>One item of a mine's “十到位” checklist.</summary>
[DisplayName("十到位")]
public sealed class TenItemCheck : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public TenItem Item { get; init; }

    public bool Done { get; set; }

    public string? Note { get; set; }

    public string? UpdatedByName { get; set; }

    public DateTime UpdatedAt { get; set; }
}

internal sealed class TaskForceConfiguration : IEntityTypeConfiguration<TaskForce>
{
    public void Configure(EntityTypeBuilder<TaskForce> b)
    {
        b.ToTable("task_forces");
        b.Property(t => t.RegionCode).HasMaxLength(12);
        b.Property(t => t.Name).HasMaxLength(100);
        b.Property(t => t.LeaderName).HasMaxLength(50);
        b.Property(t => t.LeaderTitle).HasMaxLength(50);
        b.Property(t => t.WatchTarget).HasMaxLength(300);
        b.Property(t => t.WatchDuty).HasMaxLength(1000);
        b.HasIndex(t => t.MineId);
        b.HasIndex(t => t.RegionCode);
        b.HasOne(t => t.Mine).WithMany().HasForeignKey(t => t.MineId).OnDelete(DeleteBehavior.Cascade);
        b.HasMany(t => t.Members).WithOne().HasForeignKey(m => m.TaskForceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TaskForceMemberConfiguration : IEntityTypeConfiguration<TaskForceMember>
{
    public void Configure(EntityTypeBuilder<TaskForceMember> b)
    {
        b.ToTable("task_force_members");
        b.Property(m => m.Name).HasMaxLength(50);
        b.Property(m => m.Organisation).HasMaxLength(100);
        b.Property(m => m.Role).HasMaxLength(30);
    }
}

internal sealed class PatrolLogConfiguration : IEntityTypeConfiguration<PatrolLog>
{
    public void Configure(EntityTypeBuilder<PatrolLog> b)
    {
        b.ToTable("patrol_logs");
        b.Property(p => p.RegionCode).HasMaxLength(12);
        b.Property(p => p.Patroller).HasMaxLength(50);
        b.Property(p => p.Observation).HasMaxLength(2000);
        b.Property(p => p.AttachmentIds).HasMaxLength(200);
        b.HasIndex(p => new { p.TaskForceId, p.Date });
        b.HasOne(p => p.TaskForce).WithMany().HasForeignKey(p => p.TaskForceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TenItemCheckConfiguration : IEntityTypeConfiguration<TenItemCheck>
{
    public void Configure(EntityTypeBuilder<TenItemCheck> b)
    {
        b.ToTable("ten_item_checks");
        b.Property(t => t.RegionCode).HasMaxLength(12);
        b.Property(t => t.Note).HasMaxLength(500);
        b.Property(t => t.UpdatedByName).HasMaxLength(50);
        b.HasIndex(t => new { t.MineId, t.Item }).IsUnique();
        b.HasOne<Mine>().WithMany().HasForeignKey(t => t.MineId).OnDelete(DeleteBehavior.Cascade);
    }
}
