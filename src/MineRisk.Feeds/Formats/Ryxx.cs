using MineRisk.Feeds.Parsing;
using MineRisk.Feeds.Writing;

namespace MineRisk.Feeds;

/// <summary>
/// RYXX 人员信息, one person (9 fields). DOMAIN §8 leaves fields 6 and 7 unnamed; public parsers call them
/// 出生年月 and 学历. Both are kept verbatim: the library does not interpret them.
/// </summary>
public sealed record RyxxPerson
{
    /// <summary>卡号 (人员卡编码, required; 17 characters in practice, length not enforced).</summary>
    public required string CardNumber { get; init; }

    /// <summary>姓名.</summary>
    public string Name { get; init; } = "";

    /// <summary>工种.</summary>
    public string WorkType { get; init; } = "";

    /// <summary>职务.</summary>
    public string Position { get; init; } = "";

    /// <summary>队组.</summary>
    public string Team { get; init; } = "";

    /// <summary>Field 6 (出生年月 in public parsers), verbatim.</summary>
    public string BirthDate { get; init; } = "";

    /// <summary>Field 7 (学历 in public parsers), verbatim.</summary>
    public string Education { get; init; } = "";

    /// <summary>是否矿领导: 1/0; null when empty.</summary>
    public bool? IsMineLeader { get; init; }

    /// <summary>是否特种人员: 1/0; null when empty.</summary>
    public bool? IsSpecialWorker { get; init; }
}

/// <summary>
/// RYXX 人员信息. Header of 8 fields (public parsers): <c>煤矿编码;煤矿名称;…5 vendor fields…;上传时间</c>;
/// the five are kept verbatim in <see cref="FeedHeader.Details"/>.
/// </summary>
public sealed class RyxxFormat : FeedFormat<RyxxPerson>
{
    internal RyxxFormat()
        : base(
            FeedType.Ryxx,
            ["煤矿编码", "煤矿名称", "文件头第3段", "文件头第4段", "文件头第5段", "文件头第6段", "文件头第7段", "上传时间"],
            ["卡号", "姓名", "工种", "职务", "队组", "出生年月", "学历", "是否矿领导", "是否特种人员"])
    {
    }

    internal override RyxxPerson ParseRecord(ref RecordParser p) => new()
    {
        CardNumber = p.Code(),
        Name = p.Text(),
        WorkType = p.Text(),
        Position = p.Text(),
        Team = p.Text(),
        BirthDate = p.Text(),
        Education = p.Text(),
        IsMineLeader = p.OptionalFlag(),
        IsSpecialWorker = p.OptionalFlag(),
    };

    internal override void WriteRecord(FieldWriter w, RyxxPerson r)
    {
        ArgumentNullException.ThrowIfNull(r);
        w.Code(r.CardNumber);
        w.Text(r.Name);
        w.Text(r.WorkType);
        w.Text(r.Position);
        w.Text(r.Team);
        w.Text(r.BirthDate);
        w.Text(r.Education);
        w.Flag(r.IsMineLeader);
        w.Flag(r.IsSpecialWorker);
    }
}
