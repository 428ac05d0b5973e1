using System.Security.Cryptography;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Attachments;

public sealed class AttachmentOptions
{
    public long MaxImageBytes { get; set; } = 10L * 1024 * 1024;

    public long MaxDocumentBytes { get; set; } = 20L * 1024 * 1024;
}

/// <summary>
/// Content-addressed file storage with type and size limits. A file is accepted only when its extension is allowed,
/// its bytes really are of that type (a renamed executable is not an image), and it is within the size limit;
/// otherwise nothing is stored and the error says why, in Chinese.
/// </summary>
public sealed class AttachmentStore(AppDbContext db, DataPaths paths, TimeProvider clock, Microsoft.Extensions.Options.IOptions<AttachmentOptions> options)
{
    private sealed record Rule(AttachmentKind Kind, DetectedType Type, string ContentType, string Description);

    private static readonly Dictionary<string, Rule> Rules = new(StringComparer.OrdinalIgnoreCase)
    {
        [".jpg"] = new(AttachmentKind.Image, DetectedType.Jpeg, "image/jpeg", "JPEG 图片"),
        [".jpeg"] = new(AttachmentKind.Image, DetectedType.Jpeg, "image/jpeg", "JPEG 图片"),
        [".png"] = new(AttachmentKind.Image, DetectedType.Png, "image/png", "PNG 图片"),
        [".gif"] = new(AttachmentKind.Image, DetectedType.Gif, "image/gif", "GIF 图片"),
        [".webp"] = new(AttachmentKind.Image, DetectedType.Webp, "image/webp", "WebP 图片"),
        [".pdf"] = new(AttachmentKind.Document, DetectedType.Pdf, "application/pdf", "PDF 文档"),
        [".docx"] = new(AttachmentKind.Document, DetectedType.OfficeZip, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档"),
        [".xlsx"] = new(AttachmentKind.Document, DetectedType.OfficeZip, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格"),
        [".pptx"] = new(AttachmentKind.Document, DetectedType.OfficeZip, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint 文档"),
        [".doc"] = new(AttachmentKind.Document, DetectedType.OfficeOle, "application/msword", "Word 文档"),
        [".xls"] = new(AttachmentKind.Document, DetectedType.OfficeOle, "application/vnd.ms-excel", "Excel 表格"),
    };

    public static string AllowedList(AttachmentKind? kind) =>
        string.Join(" ", Rules.Where(r => kind is null || r.Value.Kind == kind).Select(r => r.Key));

    /// <summary>Checks and stores a file for <paramref name="uploadedById"/>; saves the row. Nothing is kept on failure.</summary>
    public async Task<Result<Attachment>> SaveAsync(Stream content, string fileName, AttachmentKind? expectedKind, long uploadedById, CancellationToken ct)
    {
        fileName = Path.GetFileName(fileName ?? "").Trim();
        if (fileName.Length == 0 || fileName.Length > 200)
        {
            return ValidationError.For("file", "文件名为空或过长（最多 200 个字符）。");
        }

        var extension = Path.GetExtension(fileName);
        if (!Rules.TryGetValue(extension, out var rule))
        {
            return new UnsupportedTypeError($"不支持的文件类型「{(extension.Length > 0 ? extension : "无扩展名")}」。允许的类型：{AllowedList(expectedKind)}。");
        }

        if (expectedKind is { } expected && rule.Kind != expected)
        {
            return new UnsupportedTypeError($"此处只能上传{expected.Label()}（{AllowedList(expected)}），「{fileName}」是{rule.Kind.Label()}。");
        }

        var limit = rule.Kind == AttachmentKind.Image ? options.Value.MaxImageBytes : options.Value.MaxDocumentBytes;
        var temp = Path.Combine(paths.Sub(Path.Combine("attachments", "tmp")), Guid.NewGuid().ToString("N"));
        try
        {
            var (size, sha, head) = await CopyAsync(content, temp, limit, ct);
            if (size > limit)
            {
                return new TooLargeError($"文件「{fileName}」超过{rule.Kind.Label()}的大小上限 {limit / 1024 / 1024} MB。");
            }

            if (size == 0)
            {
                return ValidationError.For("file", $"文件「{fileName}」是空文件。");
            }

            var detected = FileSignatures.Detect(head);
            if (detected == DetectedType.Executable)
            {
                return new UnsupportedTypeError($"文件「{fileName}」实际是可执行程序或脚本，不允许上传。");
            }

            if (detected != rule.Type)
            {
                return new UnsupportedTypeError($"文件「{fileName}」的内容不是{(char.IsAsciiLetter(rule.Description[0]) ? " " : "")}{rule.Description}，与扩展名「{extension}」不符。");
            }

            var final = PathOf(sha);
            Directory.CreateDirectory(Path.GetDirectoryName(final)!);
            if (!File.Exists(final))
            {
                File.Move(temp, final, overwrite: false);
            }

            var attachment = new Attachment
            {
                Sha256 = sha,
                FileName = fileName,
                ContentType = rule.ContentType,
                Kind = rule.Kind,
                Size = size,
                UploadedById = uploadedById,
                UploadedAt = clock.GetUtcNow().UtcDateTime,
            };
            db.Attachments.Add(attachment);
            await db.SaveChangesAsync(ct);
            return attachment;
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }

    /// <summary>The stored bytes of an attachment.</summary>
    public Stream OpenRead(Attachment attachment) => File.OpenRead(PathOf(attachment.Sha256));

    public string PathOf(string sha256) => Path.Combine(paths.Attachments, sha256[..2], sha256);

    private static async Task<(long Size, string Sha, byte[] Head)> CopyAsync(Stream source, string path, long limit, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var head = new byte[FileSignatures.HeaderLength];
        var headLength = 0;
        long size = 0;
        var buffer = new byte[81920];
        await using (var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
        {
            int read;
            while ((read = await source.ReadAsync(buffer, ct)) > 0)
            {
                if (headLength < head.Length)
                {
                    var take = Math.Min(read, head.Length - headLength);
                    Array.Copy(buffer, 0, head, headLength, take);
                    headLength += take;
                }

                size += read;
                if (size > limit)
                {
                    return (size, "", head);
                }

                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }

        return (size, Convert.ToHexStringLower(hash.GetHashAndReset()), head[..headLength]);
    }
}
