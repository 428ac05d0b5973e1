using System.Collections.Concurrent;
using Microsoft.AspNetCore.Authentication;

namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// Remembers for a few minutes what a bearer token says, so that a client's next requests with the same token are not
/// decrypted and verified again (data protection: key derivation, AES, HMAC and the claims' deserialisation, about a
/// tenth of the server time of a small list request — docs/PERFORMANCE.md). Only tokens that verified are remembered,
/// by their exact text; each request gets its own copy of the ticket. The bearer handler still checks the ticket's
/// expiry on every request, so an expired token is refused as before; a key revoked in the key ring stops a remembered
/// token within <see cref="Lifetime"/>.
/// </summary>
public sealed class BearerTicketCache(ISecureDataFormat<AuthenticationTicket> inner, TimeProvider clock) : ISecureDataFormat<AuthenticationTicket>
{
    /// <summary>How long a verified token is remembered.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    /// <summary>At most this many tokens (about 1.5 KB each); beyond it the cache starts again empty.</summary>
    public const int Capacity = 2_000;

    private readonly ConcurrentDictionary<string, (AuthenticationTicket Ticket, DateTimeOffset Until)> _verified = new(StringComparer.Ordinal);

    public string Protect(AuthenticationTicket data) => inner.Protect(data);

    public string Protect(AuthenticationTicket data, string? purpose) => inner.Protect(data, purpose);

    public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

    public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
    {
        if (protectedText is null || purpose is not null)
        {
            return inner.Unprotect(protectedText, purpose);
        }

        var now = clock.GetUtcNow();
        if (_verified.TryGetValue(protectedText, out var known) && now < known.Until)
        {
            return known.Ticket.Clone();
        }

        var ticket = inner.Unprotect(protectedText);
        if (ticket is null)
        {
            return null;
        }

        if (_verified.Count >= Capacity)
        {
            _verified.Clear();
        }

        _verified[protectedText] = (ticket, now + Lifetime);
        return ticket.Clone();
    }
}
