using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

namespace MineRisk.Web.Platform.Attachments;

public enum AttachmentKind
{
    [Display(Name = "图片")] Image = 1,
    [Display(Name = "文档")] Document = 2,
}

/// <summary>
/// A stored file (photo, document). The bytes live once under <c>{Data:Directory}/attachments/</c>, named by their
/// SHA-256; this row is one use of them. Visible to its uploader, and to everyone whose jurisdiction covers the
/// item it is attached to.
/// </summary>
[DisplayName("附件")]
public sealed class Attachment
{
    public long Id { get; init; }

    public required string Sha256 { get; init; }

    public required string FileName { get; init; }

    public required string ContentType { get; init; }

    public AttachmentKind Kind { get; init; }

    public long Size { get; init; }

    public long UploadedById { get; init; }

    public DateTime UploadedAt { get; init; }

    /// <summary>The kind of item it is attached to (e.g. <c>hazard</c>); null until attached.</summary>
    public string? OwnerType { get; private set; }

    public long? OwnerId { get; private set; }

    /// <summary>The owner's jurisdiction, copied when attached (null while unattached: only the uploader sees it).</summary>
    public string? RegionCode { get; private set; }

    public long? EnterpriseId { get; private set; }

    /// <summary>A free label given by the owner, e.g. 整改前 / 整改后.</summary>
    public string? Purpose { get; private set; }

    public void AttachTo(string ownerType, long ownerId, Auth.IScoped scope, string? purpose = null)
    {
        OwnerType = ownerType;
        OwnerId = ownerId;
        RegionCode = scope.RegionCode;
        EnterpriseId = scope.EnterpriseId;
        Purpose = purpose;
    }
}
