using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;

namespace MineRisk.Tests.Scope;

public enum Expect
{
    /// <summary>The request names an out-of-scope thing: answered 403 or 404 (pages: sent to 无权访问).</summary>
    Refused,

    /// <summary>A list or page: answered (or refused by role), and the out-of-scope thing is not in it.</summary>
    Hidden,

    /// <summary>A write aimed into the jurisdiction (create, import): refused with any 4xx, and <c>After</c> shows nothing changed.</summary>
    Rejected,
}

/// <summary>
/// One request against one route, aimed at a <see cref="ScopeTarget"/>. <see cref="Marker"/> is text that would only
/// appear if the target leaked; <see cref="After"/> checks that a refused write changed nothing.
/// </summary>
public sealed record ScopeCase(
    string Route,
    Expect Expect,
    Func<HttpClient, ScopeTarget, Task<HttpResponseMessage>> Send,
    Func<ScopeTarget, string>? Marker = null,
    Func<AppFixture, ScopeTarget, Task>? After = null,
    bool OwnerControl = true)
{
    public bool IsPage => Route.StartsWith("PAGE ", StringComparison.Ordinal);

    public override string ToString() => $"{Route} ({Expect})";
}

/// <summary>
/// The jurisdiction test matrix (issue 2 item 7): every API route and page of the app, each either with cases aimed at
/// things outside the caller's jurisdiction, or listed in <see cref="Unscoped"/> with the reason it holds no such
/// thing. <c>ScopeMatrixTests</c> fails when a route is in neither, so a new route cannot ship untested.
/// Modules add their routes in their own partial file (ScopeCatalog.{Module}.cs), called from <see cref="Cases"/> and <see cref="Unscoped"/>.
/// </summary>
public static partial class ScopeCatalog
{
    private static Func<HttpClient, ScopeTarget, Task<HttpResponseMessage>> Get(Func<ScopeTarget, string> url) =>
        (client, target) => client.GetAsync(url(target));

    private static Func<HttpClient, ScopeTarget, Task<HttpResponseMessage>> Post(Func<ScopeTarget, string> url) =>
        (client, target) => client.PostAsync(url(target), JsonContent.Create(new { }));

    private static async Task StillUnread(AppFixture app, ScopeTarget target)
    {
        var readAt = await app.WithDbAsync(db => db.Notifications.Where(n => n.Id == target.NotificationId).Select(n => n.ReadAt).SingleAsync());
        Assert.True(readAt is null, $"{target.Name}的消息被范围外的人标记为已读");
    }

    public static IReadOnlyList<ScopeCase> Cases()
    {
        var cases = new List<ScopeCase>
        {
            new("GET /api/v1/audit", Expect.Hidden, Get(_ => "/api/v1/audit?pageSize=200"), t => t.OrganisationName),
            new("GET /api/v1/inbox", Expect.Hidden, Get(_ => "/api/v1/inbox?pageSize=200"), t => t.NotificationTitle),
            new("GET /api/v1/inbox/deadlines", Expect.Hidden, Get(_ => "/api/v1/inbox/deadlines"), t => t.DeadlineTitle),
            new("POST /api/v1/inbox/{id:long}/read", Expect.Refused, Post(t => $"/api/v1/inbox/{t.NotificationId}/read"), After: StillUnread, OwnerControl: false),
            new("POST /api/v1/inbox/read-all", Expect.Hidden, Post(_ => "/api/v1/inbox/read-all"), After: StillUnread, OwnerControl: false),
            new("GET /api/v1/attachments/{id:long}", Expect.Refused, Get(t => $"/api/v1/attachments/{t.AttachmentId}")),
            new("GET /api/v1/regions", Expect.Hidden, Get(_ => "/api/v1/regions"), t => t.RegionMarker),
            new("GET /api/v1/regions/{code}", Expect.Refused, Get(t => $"/api/v1/regions/{t.CountyCode}"), t => t.RegionMarker),
            new("GET /api/v1/organisations", Expect.Hidden, Get(_ => "/api/v1/organisations"), t => t.OrganisationName),
            new("PAGE /inbox", Expect.Hidden, Get(_ => "/inbox"), t => t.NotificationTitle),
            new("PAGE /inbox", Expect.Hidden, Get(_ => "/inbox"), t => t.DeadlineTitle),
            new("PAGE /inbox", Expect.Refused, async (client, t) =>
                await AppFixture.PostFormAsync(client, $"/inbox?handler=Read&id={t.NotificationId}", [], "/inbox"), After: StillUnread, OwnerControl: false),
            new("PAGE /audit", Expect.Hidden, Get(_ => "/audit"), t => t.OrganisationName),
            new("PAGE /regions", Expect.Hidden, Get(_ => "/regions"), t => t.RegionMarker),
        };
        MinesCases(cases);
        StabilityCases(cases);
        HazardsCases(cases);
        MonitoringCases(cases);
        return cases;
    }

    /// <summary>Routes that hold nothing of a jurisdiction, with the reason.</summary>
    public static IReadOnlyDictionary<string, string> Unscoped()
    {
        var routes = new Dictionary<string, string>
        {
            ["POST /api/v1/auth/login"] = "匿名登录，不读取任何管辖范围内的数据",
            ["GET /api/v1/me"] = "只返回本人信息",
            ["POST /api/v1/auth/password"] = "只修改本人密码",
            ["GET /api/v1/audit/verify"] = "只返回整条审计链的核验结果（是否完整、条数），不含任何记录内容",
            ["POST /api/v1/attachments"] = "新上传的附件只属于上传者本人，挂到业务事项后才进入管辖范围",
            ["GET /openapi/{documentName}.json"] = "接口说明文档，不含数据",
            ["GET /health"] = "健康检查",
            ["PAGE /"] = "工作台只显示本人的消息和待办计数",
            ["PAGE /account/login"] = "登录页",
            ["PAGE /account/logout"] = "退出登录",
            ["PAGE /account/password"] = "修改本人密码",
            ["PAGE /account/denied"] = "无权访问提示页",
            ["PAGE /error/{status:int?}"] = "错误提示页",
            ["PAGE /soon/{key}"] = "建设中模块的说明页",
        };
        MinesUnscoped(routes);
        StabilityUnscoped(routes);
        HazardsUnscoped(routes);
        MonitoringUnscoped(routes);
        return routes;
    }
}
