using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using MineRisk.Tests.Infrastructure;

namespace MineRisk.Tests.Scope;

/// <summary>The app with two jurisdictions' worth of targets created once.</summary>
public sealed class ScopeApp<TApp> : IAsyncLifetime where TApp : AppFixture, new()
{
    private readonly ConcurrentDictionary<(string User, bool Page), Task<HttpClient>> _clients = new();

    public TApp App { get; } = new();

    public IReadOnlyList<ScopeTarget> Targets { get; } = [ScopeTarget.Zhaotong(), ScopeTarget.Xuanwei()];

    public async Task InitializeAsync()
    {
        await App.InitializeAsync();
        foreach (var target in Targets)
        {
            await target.CreateAsync(App);
        }
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    public Task<HttpClient> ClientAsync(string user, bool page) =>
        _clients.GetOrAdd((user, page), key => key.Page ? App.BrowserAsAsync(key.User) : App.ApiAsAsync(key.User));
}

public abstract class ScopeMatrixTests<TApp>(ScopeApp<TApp> scope) where TApp : AppFixture, new()
{
    public static readonly string[] DemoUsers = ["admin", "city", "county.qilin", "county.xuanwei", "xinfang", "leader"];

    [Fact]
    public void EveryRoute_IsInTheMatrixOrListedAsUnscoped()
    {
        var routes = scope.App.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(RouteKeys).Distinct().Order(StringComparer.Ordinal).ToList();
        var covered = ScopeCatalog.Cases().Select(c => c.Route).Concat(ScopeCatalog.Unscoped().Keys).ToHashSet();
        var missing = routes.Where(r => !covered.Contains(r)).ToList();
        Assert.True(missing.Count == 0, "这些路由既没有管辖范围测试，也没有列为无关范围（见 ScopeCatalog）：\n" + string.Join("\n", missing));
        var stale = covered.Where(c => !routes.Contains(c)).ToList();
        Assert.True(stale.Count == 0, "ScopeCatalog 中有已不存在的路由：\n" + string.Join("\n", stale));
    }

    public static TheoryData<string> CaseNames() => new(ScopeCatalog.Cases().Select((c, i) => $"{i}: {c}"));

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task OutOfScopeTarget_IsRefusedOrHidden_ForEveryRole(string caseName)
    {
        var scopeCase = ScopeCatalog.Cases()[int.Parse(caseName.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture)];
        foreach (var target in scope.Targets)
        {
            foreach (var user in DemoUsers.Where(u => target.Outsiders.Contains(u)))
            {
                var client = await scope.ClientAsync(user, scopeCase.IsPage);
                var response = await scopeCase.Send(client, target);
                var body = await response.Content.ReadAsStringAsync();
                var context = $"{scopeCase} · 用户 {user} · 目标 {target.Name} → {(int)response.StatusCode}";
                var refused = response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden
                              || (scopeCase.IsPage && response.StatusCode == HttpStatusCode.Redirect
                                  && response.Headers.Location?.OriginalString.Contains("/account/denied", StringComparison.Ordinal) == true);
                if (scopeCase.Expect == Expect.Rejected)
                {
                    Assert.True((int)response.StatusCode is >= 400 and < 500, $"应拒绝：{context} {body[..Math.Min(body.Length, 300)]}");
                }
                else if (scopeCase.Expect == Expect.Refused)
                {
                    Assert.True(refused, $"应拒绝：{context} {body[..Math.Min(body.Length, 300)]}");
                }
                else
                {
                    Assert.True(refused || response.IsSuccessStatusCode, $"应正常应答或拒绝：{context} {body[..Math.Min(body.Length, 300)]}");
                }

                if (scopeCase.Marker is { } marker)
                {
                    Assert.False(body.Contains(marker(target), StringComparison.Ordinal), $"泄露了范围外的数据「{marker(target)}」：{context}");
                }

                if (scopeCase.After is { } after)
                {
                    await after(scope.App, target);
                }
            }

            if (scopeCase.OwnerControl)
            {
                // The control: the target's own administrator gets it, so the refusals above are about scope, not a dead route.
                var owner = await scope.ClientAsync(target.Owner, scopeCase.IsPage);
                var response = await scopeCase.Send(owner, target);
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.IsSuccessStatusCode, $"对照组失败：{scopeCase} · {target.Owner} → {(int)response.StatusCode} {body[..Math.Min(body.Length, 300)]}");
                if (scopeCase.Marker is { } marker)
                {
                    Assert.Contains(marker(target), body);
                }
            }
        }
    }

    private static IEnumerable<string> RouteKeys(RouteEndpoint endpoint)
    {
        var pattern = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
        if (endpoint.Metadata.GetMetadata<PageActionDescriptor>() is not null || endpoint.Metadata.OfType<Microsoft.AspNetCore.Mvc.RazorPages.CompiledPageActionDescriptor>().Any())
        {
            yield return $"PAGE {(pattern.Length > 1 ? pattern.TrimEnd('/') : pattern)}";
            yield break;
        }

        var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["ANY"];
        foreach (var method in methods)
        {
            yield return $"{method} {(pattern.Length > 1 ? pattern.TrimEnd('/') : pattern)}";
        }
    }
}

public sealed class ScopeMatrixTestsSqlite(ScopeApp<SqliteApp> scope) : ScopeMatrixTests<SqliteApp>(scope), IClassFixture<ScopeApp<SqliteApp>>;

public sealed class ScopeMatrixTestsPostgres(ScopeApp<PostgresApp> scope) : ScopeMatrixTests<PostgresApp>(scope), IClassFixture<ScopeApp<PostgresApp>>;
