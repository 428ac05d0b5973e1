using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Attachments;

public sealed record AttachmentInfo(long Id, string FileName, string ContentType, AttachmentKind Kind, long Size, string Sha256, DateTime UploadedAt, string Url);

/// <summary>
/// Upload first, then refer to the attachment by id when creating or moving a ledger item (which attaches it and gives
/// it the item's jurisdiction). Until then only the uploader sees it.
/// </summary>
public static class AttachmentApi
{
    public static void MapAttachmentApi(this RouteGroupBuilder api)
    {
        api.MapPost("/attachments", UploadAsync)
            .DisableAntiforgery() // checked by ApiWriteGuard for cookie callers
            .WithMetadata(new RequestSizeLimitAttribute(64L * 1024 * 1024))
            .WithSummary("上传附件（multipart：file，kind=image|document）");
        api.MapGet("/attachments/{id:long}", DownloadAsync).WithSummary("下载附件");
    }

    public static AttachmentInfo Info(Attachment a) =>
        new(a.Id, a.FileName, a.ContentType, a.Kind, a.Size, a.Sha256, a.UploadedAt, $"/api/v1/attachments/{a.Id}");

    private static async Task<IResult> UploadAsync(HttpRequest request, AttachmentStore store, CurrentUser user, CancellationToken ct)
    {
        if (!request.HasFormContentType)
        {
            return new ValidationError("请以 multipart/form-data 方式上传，文件字段名为 file。").ToProblem();
        }

        var form = await request.ReadFormAsync(ct);
        var file = form.Files.GetFile("file");
        if (file is null)
        {
            return ValidationError.For("file", "请选择要上传的文件（字段名 file）。").ToProblem();
        }

        AttachmentKind? kind = null;
        if (form.TryGetValue("kind", out var kindText) && kindText.Count > 0 && !string.IsNullOrEmpty(kindText[0]))
        {
            if (!EnumLabels.TryParse<AttachmentKind>(kindText[0], out var parsed))
            {
                return ValidationError.For("kind", "kind 只能是 image 或 document。").ToProblem();
            }

            kind = parsed;
        }

        await using var stream = file.OpenReadStream();
        var result = await store.SaveAsync(stream, file.FileName, kind, user.Id!.Value, ct);
        return result.ToHttpResult(a => Results.Created($"/api/v1/attachments/{a.Id}", Info(a)));
    }

    private static async Task<IResult> DownloadAsync(long id, AppDbContext db, AttachmentStore store, CancellationToken ct)
    {
        var attachment = await db.Attachments.AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (attachment is null)
        {
            return new NotFoundError().ToProblem();
        }

        var inline = attachment.Kind == AttachmentKind.Image;
        return Results.Stream(store.OpenRead(attachment), attachment.ContentType, inline ? null : attachment.FileName, enableRangeProcessing: true);
    }
}
