using System.ComponentModel;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Platform.Workflow;

/// <summary>
/// One step in the life of a ledger item (全过程记录): the action, the states before and after, who, when, why,
/// and evidence. Every module's transitions write one; the item's page shows them as its timeline.
/// </summary>
[DisplayName("办理过程")]
public sealed class TimelineEntry : IScoped
{
    public long Id { get; init; }

    public required string SubjectType { get; init; }

    public long SubjectId { get; init; }

    public required string RegionCode { get; init; }

    public long? EnterpriseId { get; init; }

    /// <summary>The action's Chinese label, e.g. 申请销号.</summary>
    public required string Action { get; init; }

    public string? FromState { get; init; }

    public string? ToState { get; init; }

    public long? ActorId { get; init; }

    public required string ActorName { get; init; }

    public DateTime At { get; init; }

    public string? Note { get; init; }

    /// <summary>Comma-separated attachment ids given as evidence for this step.</summary>
    public string? AttachmentIds { get; init; }
}
