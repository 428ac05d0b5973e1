using System.ComponentModel;
using MineRisk.Feeds;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// One upload file as intake saw it: accepted (then applied), or rejected with the reason. Files whose mine cannot be
/// told (a bad name, an unknown code) are recorded without a mine and an empty region, so only national scope sees them.
/// </summary>
[DisplayName("监测数据文件")]
[NotAudited("接入流水由系统写入；原始文件按内容哈希归档，可随时核对")]
public sealed class FeedUpload : IScoped
{
    public long Id { get; init; }

    public long? MineId { get; set; }

    public string RegionCode { get; set; } = "";

    public long? EnterpriseId { get; set; }

    public required string FileName { get; set; }

    public FeedType? Type { get; set; }

    public FeedStatus Status { get; set; }

    public FeedDoor Door { get; set; }

    /// <summary>SHA-256 of the raw bytes (hex), the archive's content address.</summary>
    public string? Sha256 { get; set; }

    /// <summary>Where the raw bytes are, relative to the archive folder (<c>yyyyMM/dd/HH/abcd…</c>, UTC arrival hour).</summary>
    public string? ArchivePath { get; set; }

    public long Size { get; set; }

    public int RecordCount { get; set; }

    public DateTime ReceivedAt { get; set; }

    /// <summary>The file name's timestamp (UTC).</summary>
    public DateTime? FileTime { get; set; }

    /// <summary>The header's 上传时间 (UTC).</summary>
    public DateTime? HeaderTime { get; set; }

    public DateTime? AppliedAt { get; set; }

    /// <summary>Older than the newest file of its type already received for the mine (DOMAIN §8: marked stale).</summary>
    public bool Stale { get; set; }

    /// <summary>Why it was rejected or failed (zh-CN).</summary>
    public string? Reason { get; set; }

    /// <summary>The machine-readable kind of the rejection (e.g. <c>Incomplete</c>, <c>UnknownPoints</c>).</summary>
    public string? ErrorKind { get; set; }

    /// <summary>How many times the same file came again (answered "duplicate", nothing applied).</summary>
    public int DuplicateCount { get; set; }
}

/// <summary>
/// A mine's upload key for <c>PUT /api/v1/feeds/{fileName}</c>. The secret is shown once when created and stored only as a
/// SHA-256 hash (it is 256 random bits, so a slow password hash adds nothing); revoking is immediate.
/// </summary>
[DisplayName("上传密钥")]
public sealed class UploadKey : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    /// <summary>The public part of the key (<c>mrk_{KeyId}_{secret}</c>), to find the row without scanning hashes.</summary>
    public required string KeyId { get; init; }

    [AuditRedact]
    public required string SecretHash { get; init; }

    public string? Note { get; set; }

    public DateTime CreatedAt { get; init; }

    public long? CreatedById { get; init; }

    public required string CreatedByName { get; init; }

    public DateTime? RevokedAt { get; set; }

    public string? RevokedByName { get; set; }
}

/// <summary>测点 as the mine's CDDY defines it, with what the platform derived: the law's row for its location and whether its thresholds are looser.</summary>
[DisplayName("监测测点")]
[NotAudited("测点定义来自煤矿上传的 CDDY 文件，原始文件已归档")]
public sealed class MonitoringPoint : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    /// <summary>测点编码.</summary>
    public required string Code { get; init; }

    public string SystemCode { get; set; } = "";

    public string SubstationCode { get; set; } = "";

    /// <summary>传感器类型, e.g. 甲烷.</summary>
    public string SensorType { get; set; } = "";

    public PointValueKind ValueKind { get; set; }

    public string Unit { get; set; } = "";

    public double? RangeHigh { get; set; }

    public double? RangeLow { get; set; }

    public double? UpperAlarm { get; set; }

    public double? UpperAlarmClear { get; set; }

    public double? LowerAlarm { get; set; }

    public double? LowerAlarmClear { get; set; }

    public double? UpperPowerOff { get; set; }

    public double? UpperPowerRestore { get; set; }

    public double? LowerPowerOff { get; set; }

    public double? LowerPowerRestore { get; set; }

    public string OnDescription { get; set; } = "";

    public string OffDescription { get; set; } = "";

    /// <summary>安装位置.</summary>
    public string Location { get; set; } = "";

    /// <summary>The row of the gas-threshold table (规程 第536/541条) this location falls under, if any.</summary>
    public string? LawLocation { get; set; }

    /// <summary>The law's thresholds for that row in this point's unit (used where the CDDY leaves one empty).</summary>
    public double? LawAlarm { get; set; }

    public double? LawPowerOff { get; set; }

    public double? LawRestore { get; set; }

    /// <summary>Why the configured thresholds are looser than the law (null when they are not).</summary>
    public string? LooseNote { get; set; }

    /// <summary>Listed in the mine's latest CDDY (a point dropped from it is kept for its readings, but inactive).</summary>
    public bool Active { get; set; } = true;

    /// <summary>数据时间 of the CDDY that defined it last (UTC).</summary>
    public DateTime DefinedAt { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>What the platform knows of a mine's feeds as a whole: last arrivals and the people underground now.</summary>
[DisplayName("煤矿接入状态")]
[NotAudited("由数据接入自动维护的状态")]
public sealed class MineFeedStatus : IScoped
{
    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public DateTime? LastFileAt { get; set; }

    /// <summary>When the last CDSS file arrived (accepted): what 数据中断 is measured against.</summary>
    public DateTime? LastCdssAt { get; set; }

    /// <summary>The name timestamp of the newest CDSS applied (an older one is stale).</summary>
    public DateTime? LastCdssFileTime { get; set; }

    public DateTime? LastCddyAt { get; set; }

    public DateTime? LastRyssAt { get; set; }

    public DateTime? LastRyssFileTime { get; set; }

    public int PeopleUnderground { get; set; }

    /// <summary>Names of the mine leaders underground now (、-separated).</summary>
    public string? LeadersUnderground { get; set; }

    /// <summary>Last time a mine leader was seen underground (领导带班 per shift is judged from it).</summary>
    public DateTime? LeaderSeenAt { get; set; }

    /// <summary>Last time anyone was seen underground.</summary>
    public DateTime? PeopleSeenAt { get; set; }
}

/// <summary>An area of the personnel-positioning system (RYQY) with its 核定人数 and how many are in it now (RYSS).</summary>
[DisplayName("人员定位区域")]
[NotAudited("区域定义来自煤矿上传的 RYQY 文件，人数来自 RYSS")]
public sealed class PersonnelArea : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    public required string Code { get; init; }

    public string Name { get; set; } = "";

    public string AreaType { get; set; } = "";

    /// <summary>核定人数; null when the mine leaves it empty.</summary>
    public int? RatedCapacity { get; set; }

    public int Current { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>A person of the mine's positioning system (RYXX).</summary>
[DisplayName("下井人员")]
[NotAudited("人员信息来自煤矿上传的 RYXX 文件")]
public sealed class MinePerson : IScoped
{
    public long Id { get; init; }

    public long MineId { get; init; }

    public required string RegionCode { get; set; }

    public long? EnterpriseId { get; set; }

    /// <summary>卡号.</summary>
    public required string CardNumber { get; init; }

    public string Name { get; set; } = "";

    public string WorkType { get; set; } = "";

    public string Position { get; set; } = "";

    public string Team { get; set; } = "";

    public bool IsLeader { get; set; }

    public bool IsSpecialWorker { get; set; }

    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// One CDSS reading: bulk data, written by <see cref="ReadingWriter"/> (binary COPY / batched INSERT), never through
/// change tracking, never into the audit trail. Mapped keyless for reading it back under the jurisdiction filter; the
/// table itself is created by <see cref="MonitoringSchema"/> (partitioned by month on PostgreSQL).
/// </summary>
public sealed class Reading : IScoped
{
    public long MineId { get; init; }

    public long PointId { get; init; }

    /// <summary>数据时间, UTC.</summary>
    public DateTime DataTime { get; init; }

    public double? Value { get; init; }

    public short Status { get; init; }

    public required string RegionCode { get; init; }

    public long? EnterpriseId { get; init; }

    /// <summary>The upload it came in (exactly-once is checked against it).</summary>
    public long FileId { get; init; }
}
