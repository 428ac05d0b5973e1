namespace MineRisk.Web.Platform.Audit;

/// <summary>
/// Marks an entity whose changes are not business records and stay out of the audit trail; the reason is
/// required so that nobody opts out silently.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class NotAuditedAttribute(string reason) : Attribute
{
    public string Reason { get; } = reason;
}

/// <summary>Marks a property whose value must not be copied into the audit trail (a secret, a hash).</summary>
[AttributeUsage(AttributeTargets.Property, Inherited = false)]
public sealed class AuditRedactAttribute : Attribute;
