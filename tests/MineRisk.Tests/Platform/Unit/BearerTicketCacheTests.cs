using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Tests.Platform.Unit;

public sealed class BearerTicketCacheTests
{
    /// <summary>Stands in for data protection: knows the tokens it issued, counts what it is asked to read.</summary>
    private sealed class Issuer : ISecureDataFormat<AuthenticationTicket>
    {
        private readonly Dictionary<string, AuthenticationTicket> _issued = [];

        public int Reads { get; private set; }

        public string Protect(AuthenticationTicket data) => Protect(data, null);

        public string Protect(AuthenticationTicket data, string? purpose)
        {
            var token = "token-" + _issued.Count;
            _issued[token] = data;
            return token;
        }

        public AuthenticationTicket? Unprotect(string? protectedText) => Unprotect(protectedText, null);

        public AuthenticationTicket? Unprotect(string? protectedText, string? purpose)
        {
            Reads++;
            return protectedText is not null && _issued.TryGetValue(protectedText, out var ticket) ? ticket : null;
        }
    }

    private static AuthenticationTicket Ticket(string name) =>
        new(new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], "Bearer")), "Identity.Bearer");

    [Fact]
    public void AVerifiedToken_IsReadOnce_AndEachRequestGetsItsOwnCopy()
    {
        var issuer = new Issuer();
        var cache = new BearerTicketCache(issuer, new TestClock());
        var token = cache.Protect(Ticket("city"));

        var first = cache.Unprotect(token)!;
        var second = cache.Unprotect(token)!;

        Assert.Equal(1, issuer.Reads);
        Assert.Equal("city", second.Principal.Identity!.Name);
        Assert.NotSame(first, second);
        Assert.NotSame(first.Principal, second.Principal);
        ((ClaimsIdentity)first.Principal.Identity!).AddClaim(new Claim("x", "changed by one request"));
        Assert.Null(cache.Unprotect(token)!.Principal.FindFirst("x"));
    }

    [Fact]
    public void AnUnknownToken_IsNotRemembered_AndAKnownOneIsReadAgainAfterItsLifetime()
    {
        var issuer = new Issuer();
        var clock = new TestClock();
        var cache = new BearerTicketCache(issuer, clock);
        Assert.Null(cache.Unprotect("forged"));
        Assert.Null(cache.Unprotect("forged"));
        Assert.Equal(2, issuer.Reads);

        var token = cache.Protect(Ticket("county.qilin"));
        cache.Unprotect(token);
        clock.Advance(BearerTicketCache.Lifetime - TimeSpan.FromSeconds(1));
        cache.Unprotect(token);
        Assert.Equal(3, issuer.Reads);
        clock.Advance(TimeSpan.FromSeconds(2));
        cache.Unprotect(token);
        Assert.Equal(4, issuer.Reads);
    }

    [Fact]
    public void BeyondItsCapacity_TheCacheStartsAgain()
    {
        var issuer = new Issuer();
        var cache = new BearerTicketCache(issuer, new TestClock());
        var tokens = Enumerable.Range(0, BearerTicketCache.Capacity + 1).Select(i => cache.Protect(Ticket("u" + i))).ToList();
        tokens.ForEach(t => cache.Unprotect(t));
        Assert.Equal(BearerTicketCache.Capacity + 1, issuer.Reads);
        cache.Unprotect(tokens[0]); // forgotten when the cache started again
        cache.Unprotect(tokens[^1]); // remembered since
        Assert.Equal(BearerTicketCache.Capacity + 2, issuer.Reads);
    }
}
