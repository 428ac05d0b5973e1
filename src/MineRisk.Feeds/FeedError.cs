namespace MineRisk.Feeds;

/// <summary>What is wrong with a feed file. See docs/FEEDS.md for the catalogue.</summary>
public enum FeedErrorKind
{
    /// <summary>文件名不符合 {煤矿编码}_{类型}_{yyyyMMddHHmmss}.txt.</summary>
    InvalidFileName,

    /// <summary>文件名中的类型不是已知的八种之一.</summary>
    UnknownType,

    /// <summary>文件为空（或只有空白）.</summary>
    Empty,

    /// <summary>文件不是 UTF-8 编码（常见是 GBK）.</summary>
    NotUtf8,

    /// <summary>没有结束标记「||」：文件还没传完或被截断.</summary>
    Incomplete,

    /// <summary>结束标记「||」之后还有内容.</summary>
    ContentAfterEnd,

    /// <summary>第一段（文件头）为空.</summary>
    MissingHeader,

    /// <summary>字段数不对.</summary>
    FieldCount,

    /// <summary>必填字段为空.</summary>
    MissingValue,

    /// <summary>数值字段不是数字.</summary>
    InvalidNumber,

    /// <summary>时间字段不是有效的时间.</summary>
    InvalidTime,

    /// <summary>编码字段格式不对（如煤矿编码不是 11 或 12 位数字）.</summary>
    InvalidCode,

    /// <summary>取值不在规定范围内（状态、异常类型、标志等）.</summary>
    InvalidValue,

    /// <summary>一条记录超过长度上限（多半是缺少「~」的垃圾数据）.</summary>
    RecordTooLong,

    /// <summary>文件头的煤矿编码与文件名或上传单位不一致.</summary>
    MineCodeMismatch,

    /// <summary>文件头的上传时间晚于当前时间太多.</summary>
    FutureTime,
}

/// <summary>
/// One problem with a feed file, precise enough for a person to find it: the file, the record
/// (1-based, the header is 0), the field (its Chinese name from DOMAIN §8) and a zh-CN reason.
/// </summary>
/// <param name="Kind">What kind of problem.</param>
/// <param name="FileName">The file name as given to the reader.</param>
/// <param name="RecordNumber">0 = header, 1.. = records (empty segments count); null when the problem is not in one record.</param>
/// <param name="FieldName">The Chinese field name (e.g. 测点值), or null.</param>
/// <param name="Reason">zh-CN reason, e.g. 测点值「abc」不是数字.</param>
/// <param name="ByteOffset">Byte offset in the file where the record (or problem) starts, or null.</param>
public sealed record FeedError(
    FeedErrorKind Kind,
    string FileName,
    int? RecordNumber,
    string? FieldName,
    string Reason,
    long? ByteOffset)
{
    /// <summary>zh-CN message for people: file, place, reason.</summary>
    public string Message => RecordNumber switch
    {
        null => $"{FileName}：{Reason}",
        0 => $"{FileName} 文件头：{Reason}",
        var n => $"{FileName} 第 {n} 条记录：{Reason}",
    };
}

/// <summary>The only exception the readers throw for bad input. Carries a <see cref="FeedError"/>.</summary>
public sealed class FeedFormatException : FormatException
{
    /// <summary>Creates the exception for <paramref name="error"/>.</summary>
    public FeedFormatException(FeedError error)
        : base(error.Message) => Error = error;

    /// <summary>The problem, as a value the intake can store and show.</summary>
    public FeedError Error { get; }

    /// <summary>Shortcut for <see cref="FeedError.Kind"/>.</summary>
    public FeedErrorKind Kind => Error.Kind;

    /// <summary>Shortcut for <see cref="FeedError.FileName"/>.</summary>
    public string FileName => Error.FileName;

    /// <summary>Shortcut for <see cref="FeedError.RecordNumber"/>.</summary>
    public int? RecordNumber => Error.RecordNumber;

    /// <summary>Shortcut for <see cref="FeedError.FieldName"/>.</summary>
    public string? FieldName => Error.FieldName;

    /// <summary>Shortcut for <see cref="FeedError.Reason"/>.</summary>
    public string Reason => Error.Reason;
}
