namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// Marks a write endpoint or page that a read-only user (领导) may still use because it changes only their own
/// session or account (sign-in, sign-out, own password, marking own messages read).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AllowReadOnlyAttribute : Attribute;
