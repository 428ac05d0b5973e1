using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Feeds;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring;
using static MineRisk.Tests.Features.Monitoring.MonitoringKit;

namespace MineRisk.Tests.Features.Monitoring;

/// <summary>Issue 6 item 3: 报警转隐患 — from an alarm one action registers a hazard of source 监测预警, once.</summary>
public abstract class AlarmHazardTests(AppFixture app)
{
    private const string Deadline = "2026-06-30";

    /// <summary>A mine of 麒麟区 whose enterprise is the demo enterprise user's, with one open 超限 alarm on a methane point.</summary>
    private async Task<(TestMine Mine, long AlarmId)> AlarmAsync()
    {
        var mine = await NewMineAsync(app);
        await app.WithDbAsync(async db =>
        {
            var enterprise = await db.Users.Where(u => u.UserName == "enterprise.demo").Select(u => u.Organisation!.EnterpriseId).SingleAsync();
            await db.Set<Mine>().Where(m => m.Id == mine.Id).ExecuteUpdateAsync(s => s.SetProperty(m => m.EnterpriseId, enterprise));
        });
        await ApplyAsync(app, mine, Cddy(mine, Now(app, -600), Point("P1")));
        await ApplyAsync(app, mine, Cdss(mine, Now(app, -300), ("P1", 1.3, PointStatus.Alarm)));
        return (mine, Assert.Single(await AlarmsAsync(app, mine.Id)).Id);
    }

    private Task<List<Hazard>> HazardsAsync(long mineId) =>
        app.WithDbAsync(db => db.Set<Hazard>().AsNoTracking().Where(h => h.MineId == mineId).ToListAsync());

    [Fact]
    public async Task ARegulatorRegistersTheAlarmAsAHazard_OfSourceMonitoring_Once_AndOthersCannot()
    {
        var (mine, id) = await AlarmAsync();
        var alarm = Assert.Single(await AlarmsAsync(app, mine.Id));
        var url = $"/api/v1/alarms/{id}/hazard";
        var body = new { professionalCategory = "瓦斯", deadline = Deadline, measures = "加强回风隅角瓦斯抽采" };

        // Who may not: the mine's own enterprise (its hazards are 企业自查), 信访, the read-only leader, a county without the mine.
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("enterprise.demo")).PostAsJsonAsync(url, body), HttpStatusCode.Forbidden, "只有监管部门");
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("xinfang")).PostAsJsonAsync(url, body), HttpStatusCode.Forbidden, "只有监管部门");
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("leader")).PostAsJsonAsync(url, body), HttpStatusCode.Forbidden);
        await HttpAssert.ProblemAsync(await (await app.ApiAsAsync("county.xuanwei")).PostAsJsonAsync(url, body), HttpStatusCode.NotFound);

        // The hazard ledger's own rules apply: a category and a deadline are required; nothing is registered without them.
        var county = await app.ApiAsAsync("county.qilin");
        var invalid = await HttpAssert.ProblemAsync(await county.PostAsJsonAsync(url, new { professionalCategory = "天文" }), HttpStatusCode.BadRequest);
        Assert.Contains("专业类别", invalid);
        Assert.Contains("整改期限", invalid);
        Assert.Empty(await HazardsAsync(mine.Id));
        Assert.Null(Assert.Single(await AlarmsAsync(app, mine.Id)).HazardId);

        var created = await HttpAssert.JsonAsync(await county.PostAsJsonAsync(url, body), HttpStatusCode.Created);
        var hazardId = created.GetProperty("hazardId").GetInt64();
        Assert.Equal(id, created.GetProperty("alarmId").GetInt64());
        Assert.StartsWith("YH-", created.GetProperty("hazardNumber").GetString());

        var hazard = await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/hazards/{hazardId}"), HttpStatusCode.OK);
        Assert.Equal("监测预警", hazard.GetProperty("sourceName").GetString());
        Assert.Equal(mine.Id, hazard.GetProperty("mineId").GetInt64());
        Assert.Equal("1301综采工作面回风隅角", hazard.GetProperty("location").GetString());
        var description = hazard.GetProperty("description").GetString()!;
        Assert.Contains(alarm.Message, description);
        Assert.Contains($"报警编号 {id}", description);
        Assert.Equal(alarm.StartedAt, hazard.GetProperty("foundAt").GetDateTime().ToUniversalTime());
        Assert.Equal("张卫东", hazard.GetProperty("rectifierName").GetString());
        Assert.Equal("已登记", hazard.GetProperty("stateName").GetString());
        Assert.Equal(hazardId, (await HttpAssert.JsonAsync(await county.GetAsync($"/api/v1/alarms/{id}"), HttpStatusCode.OK)).GetProperty("hazardId").GetInt64());

        // Once per alarm; the alarm's own lifecycle is untouched by it.
        await HttpAssert.ProblemAsync(await county.PostAsJsonAsync(url, body), HttpStatusCode.Conflict, "已登记为隐患");
        Assert.Single(await HazardsAsync(mine.Id));
        Assert.Equal(AlarmState.Active, Assert.Single(await AlarmsAsync(app, mine.Id)).State);
        var audit = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.EntityType == "hazards" && a.EntityId == hazardId.ToString()).ToListAsync());
        Assert.NotEmpty(audit);
        Assert.All(audit, a => Assert.Equal("张卫东", a.UserName));
    }

    [Fact]
    public async Task ThePage_OffersTheFormWithTheAlarmsDefaults_RegistersOnce_AndThenLinksTheHazard()
    {
        var (mine, id) = await AlarmAsync();
        var page = $"/monitoring/alarms/{id}";
        var county = await app.BrowserAsAsync("county.qilin");
        var html = await county.GetStringAsync(page);
        Assert.Contains("data-testid=\"hazard-form\"", html);
        Assert.Contains("<option selected=\"selected\" value=\"瓦斯\">瓦斯</option>", html); // the methane point suggests 瓦斯
        Assert.DoesNotContain("data-testid=\"hazard-form\"", await (await app.BrowserAsAsync("enterprise.demo")).GetStringAsync(page));

        var refused = await AppFixture.PostFormAsync(county, $"{page}?handler=RegisterHazard",
            new() { ["Hazard.ProfessionalCategory"] = "", ["Hazard.Deadline"] = Deadline, ["Hazard.Location"] = "回风隅角", ["Hazard.Description"] = "瓦斯超限" }, page);
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("请选择专业类别", await refused.Content.ReadAsStringAsync());
        Assert.Empty(await HazardsAsync(mine.Id));

        var done = await AppFixture.PostFormAsync(county, $"{page}?handler=RegisterHazard",
            new() { ["Hazard.ProfessionalCategory"] = "通风", ["Hazard.Deadline"] = Deadline, ["Hazard.Location"] = "回风隅角", ["Hazard.Description"] = "回风隅角瓦斯积聚" }, page);
        Assert.Equal(HttpStatusCode.Redirect, done.StatusCode);
        var hazard = Assert.Single(await HazardsAsync(mine.Id));
        Assert.Equal((HazardSource.Monitoring, "通风", "回风隅角", "回风隅角瓦斯积聚"), (hazard.Source, hazard.ProfessionalCategory, hazard.Location, hazard.Description));

        html = await county.GetStringAsync(page);
        Assert.Contains($"href=\"/hazards/{hazard.Id}\">{hazard.Number}</a>", html);
        Assert.DoesNotContain("data-testid=\"hazard-form\"", html);
    }

    /// <summary>Both check that the alarm has no hazard, both register one: the link's guard keeps one and rolls the other back.</summary>
    [Fact]
    public async Task TwoConcurrentRegistrations_LeaveOneHazard_AndTheOtherIsAConflict()
    {
        var (mine, id) = await AlarmAsync();
        var first = await app.ApiAsAsync("county.qilin");
        var second = await app.ApiAsAsync("city");
        var body = new { professionalCategory = "瓦斯", deadline = Deadline };
        var answers = await Task.WhenAll(first.PostAsJsonAsync($"/api/v1/alarms/{id}/hazard", body), second.PostAsJsonAsync($"/api/v1/alarms/{id}/hazard", body));
        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        var hazard = Assert.Single(await HazardsAsync(mine.Id));
        Assert.Equal(hazard.Id, Assert.Single(await AlarmsAsync(app, mine.Id)).HazardId);
    }
}

public sealed class AlarmHazardTestsSqlite(SqliteApp app) : AlarmHazardTests(app), IClassFixture<SqliteApp>;

public sealed class AlarmHazardTestsPostgres(PostgresApp app) : AlarmHazardTests(app), IClassFixture<PostgresApp>;
