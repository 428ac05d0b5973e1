using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Platform;

public abstract class AuditTests(AppFixture app)
{
    [Fact]
    public async Task Change_ThroughTheApp_IsOneEntryWithWhoWhatBeforeAndAfter()
    {
        var name = $"测试单位{Guid.NewGuid():N}"[..12];
        var id = await app.WithDbAsync(async db =>
        {
            db.Actor = (42, "测试员");
            var org = new Organisation { Name = name, Kind = OrganisationKind.TownshipGovernment, RegionCode = "530302101" };
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
            org.Name = name + "改";
            await db.SaveChangesAsync();
            return org.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

        var entries = await app.WithDbAsync(db => db.AuditEntries.Where(e => e.EntityType == "organisations" && e.EntityId == id).OrderBy(e => e.Id).ToListAsync());
        Assert.Equal(2, entries.Count);
        Assert.Equal("新增", entries[0].Action);
        Assert.Equal("单位", entries[0].EntityName);
        Assert.Equal("测试员", entries[0].UserName);
        Assert.Equal(42, entries[0].UserId);
        Assert.Equal("530302101", entries[0].RegionCode);
        Assert.Contains(name, entries[0].After);
        Assert.Equal("修改", entries[1].Action);
        Assert.Equal(name, JsonDocument.Parse(entries[1].Before!).RootElement.GetProperty("Name").GetString());
        Assert.Equal(name + "改", JsonDocument.Parse(entries[1].After!).RootElement.GetProperty("Name").GetString());
        Assert.Equal(entries[0].Hash, entries[1].PrevHash);
        Assert.Equal(entries[0].Id + 1, entries[1].Id);
    }

    [Fact]
    public async Task PasswordChange_IsAuditedWithoutTheHash()
    {
        var userName = $"u{Guid.NewGuid():N}"[..12];
        var userId = await app.CreateUserAsync(userName, Roles.CountyRegulator, "麒麟区应急管理局");
        var client = await app.ApiAsAsync(userName);
        var response = await client.PostAsJsonAsync("/api/v1/auth/password", new { currentPassword = AppFixture.Password, newPassword = "Another#2026" });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var entry = await app.WithDbAsync(db => db.AuditEntries
            .Where(e => e.EntityType == "users" && e.EntityId == userId.ToString() && e.After!.Contains("PasswordHash"))
            .OrderByDescending(e => e.Id).FirstAsync());
        Assert.Equal(userName, entry.UserName); // the actor: the user changing their own password
        Assert.Contains("\"PasswordHash\":\"***\"", entry.After);
        Assert.DoesNotContain("AQAAAA", entry.After);
        Assert.DoesNotContain("AQAAAA", entry.Before ?? "");
    }

    [Fact]
    public async Task Verify_AsAdmin_IsOkWithTheEntryCount()
    {
        var client = await app.ApiAsAsync("admin");
        var json = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/audit/verify"), HttpStatusCode.OK);
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.True(json.GetProperty("entries").GetInt64() > 10);
    }

    [Theory]
    [InlineData("city")]
    [InlineData("county.qilin")]
    [InlineData("xinfang")]
    [InlineData("leader")]
    public async Task AuditRoutes_ForNonAdmins_Are403(string userName)
    {
        var client = await app.ApiAsAsync(userName);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit/verify")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await client.GetAsync("/api/v1/audit")).StatusCode);
    }

    [Fact]
    public async Task ConcurrentWrites_FromManyRequests_KeepTheChainUnbroken()
    {
        var client = app.CreateClient();
        var attempts = Enumerable.Range(0, 24).Select(i =>
            client.PostAsJsonAsync("/api/v1/auth/login", new { userName = $"ghost{i}", password = "x" }));
        var responses = await Task.WhenAll(attempts);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var verification = await app.WithServicesAsync(sp => sp.GetRequiredService<AuditVerifier>().VerifyAsync(CancellationToken.None));
        Assert.True(verification.Ok, verification.Reason);
        var count = await app.WithDbAsync(db => db.AuditEntries.CountAsync(e => e.Summary!.StartsWith("ghost")));
        Assert.Equal(24, count);
    }

    [Fact]
    public async Task List_AsAdmin_FiltersByAction()
    {
        var client = await app.ApiAsAsync("admin");
        var json = await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/audit?action=" + Uri.EscapeDataString("登录成功") + "&pageSize=5"), HttpStatusCode.OK);
        Assert.True(json.GetProperty("total").GetInt32() >= 1);
        Assert.All(json.GetProperty("items").EnumerateArray(), e => Assert.Equal("登录成功", e.GetProperty("action").GetString()));
    }
}

public sealed class AuditTestsSqlite(SqliteApp app) : AuditTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTestsPostgres(PostgresApp app) : AuditTests(app), IClassFixture<PostgresApp>;

/// <summary>Rows edited or deleted behind the app's back (directly in the database) are found by the verify run.</summary>
public abstract class AuditTamperTests(AppFixture app)
{
    private async Task<JsonElement> VerifyAsync()
    {
        var client = await app.ApiAsAsync("admin");
        return await HttpAssert.JsonAsync(await client.GetAsync("/api/v1/audit/verify"), HttpStatusCode.OK);
    }

    [Fact]
    public async Task EditedRow_IsDetected_ThenADeletedRow_IsDetected()
    {
        Assert.True((await VerifyAsync()).GetProperty("ok").GetBoolean());
        var target = await app.WithDbAsync(db => db.AuditEntries.AsNoTracking().OrderBy(e => e.Id).Skip(5).FirstAsync());

        // Someone with database access rewrites history.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET summary = {"无事发生"} WHERE id = {target.Id}"));
        var edited = await VerifyAsync();
        Assert.False(edited.GetProperty("ok").GetBoolean());
        Assert.Equal(target.Id, edited.GetProperty("firstBrokenId").GetInt64());
        Assert.Contains("被修改", edited.GetProperty("reason").GetString());

        // Put it back: the chain verifies again.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE audit_entries SET summary = {target.Summary} WHERE id = {target.Id}"));
        Assert.True((await VerifyAsync()).GetProperty("ok").GetBoolean());

        // Someone deletes a row.
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM audit_entries WHERE id = {target.Id}"));
        var deleted = await VerifyAsync();
        Assert.False(deleted.GetProperty("ok").GetBoolean());
        Assert.Equal(target.Id + 1, deleted.GetProperty("firstBrokenId").GetInt64());
        Assert.Contains("缺失", deleted.GetProperty("reason").GetString());
    }
}

public sealed class AuditTamperTestsSqlite(SqliteApp app) : AuditTamperTests(app), IClassFixture<SqliteApp>;

public sealed class AuditTamperTestsPostgres(PostgresApp app) : AuditTamperTests(app), IClassFixture<PostgresApp>;
