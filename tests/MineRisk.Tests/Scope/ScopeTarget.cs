using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Tests.Scope;

/// <summary>
/// Things that belong to one jurisdiction, owned by an administrator of it (<see cref="Owner"/>), used to prove that
/// everyone outside it is refused. Modules add their own items (a mine, a hazard...) in their partial of this class.
/// </summary>
public sealed partial class ScopeTarget
{
    public required string Name { get; init; }

    /// <summary>A township of the jurisdiction, where the items are.</summary>
    public required string RegionCode { get; init; }

    /// <summary>The county-level region code.</summary>
    public required string CountyCode { get; init; }

    /// <summary>Text that appears only where the jurisdiction's own region names are shown.</summary>
    public required string RegionMarker { get; init; }

    public required string Owner { get; init; }

    public string OrganisationName { get; private set; } = "";

    public long NotificationId { get; private set; }

    public string NotificationTitle { get; private set; } = "";

    public string DeadlineTitle { get; private set; } = "";

    public long AttachmentId { get; private set; }

    /// <summary>Demo users whose jurisdiction does not cover this target.</summary>
    public required IReadOnlyList<string> Outsiders { get; init; }

    /// <summary>Creates the owner (an admin of the county) and the target's items.</summary>
    public async Task CreateAsync(AppFixture app)
    {
        var tag = Guid.NewGuid().ToString("N")[..6];
        OrganisationName = $"{Name}范围测试单位{tag}";
        NotificationTitle = $"{Name}的私人消息{tag}";
        DeadlineTitle = $"{Name}的整改期限{tag}";
        var organisationId = await app.WithDbAsync(async db =>
        {
            var org = new Organisation { Name = OrganisationName, Kind = OrganisationKind.EmergencyBureau, RegionCode = CountyCode };
            db.Organisations.Add(org);
            await db.SaveChangesAsync();
            return org.Id;
        });
        var ownerName = await app.WithDbAsync(db => db.Organisations.Where(o => o.Id == organisationId).Select(o => o.Name).SingleAsync());
        var ownerId = await app.CreateUserAsync(Owner, Roles.Admin, ownerName);
        await app.WithServicesAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            var place = new Place(RegionCode, null);
            sp.GetRequiredService<Notifier>().Notify([ownerId], NotificationKind.System, NotificationTitle);
            sp.GetRequiredService<DeadlineService>().OpenInDays("scope-test", 1, DeadlineTitle, place, 30, DayCount.Calendar, ownerId, organisationId);
            await db.SaveChangesAsync();
            var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }.Concat(Guid.NewGuid().ToByteArray()).ToArray();
            var stored = await sp.GetRequiredService<AttachmentStore>().SaveAsync(new MemoryStream(png), $"{Name}现场.png", AttachmentKind.Image, ownerId, CancellationToken.None);
            var attachment = stored.Value;
            attachment.AttachTo("scope-test", 1, place);
            await db.SaveChangesAsync();
            AttachmentId = attachment.Id;
            NotificationId = await db.Notifications.Where(n => n.Title == NotificationTitle).Select(n => n.Id).SingleAsync();
            await CreateModuleItemsAsync(app, sp);
            return true;
        });
    }

    /// <summary>Each module's items, created by its partial file, in order (the registry first: the others hang on its mine).</summary>
    private async Task CreateModuleItemsAsync(AppFixture app, IServiceProvider services)
    {
        _ = app;
        await CreateMineAsync(services);
        await CreateStabilityAsync(services);
        await CreateHazardsAsync(services);
        await CreateMonitoringAsync(services);
    }

    private sealed record Place(string RegionCode, long? EnterpriseId) : IScoped;

    /// <summary>昭通市镇雄县: outside the jurisdiction of every demo account (the demo city is 曲靖).</summary>
    public static ScopeTarget Zhaotong() => new()
    {
        Name = "镇雄",
        RegionCode = "530627101",
        CountyCode = "530627",
        RegionMarker = "镇雄县",
        Owner = "scope.zhaotong",
        Outsiders = ["admin", "city", "county.qilin", "county.xuanwei", "xinfang", "leader"],
    };

    /// <summary>宣威市: in the demo city, outside only the 麒麟区 county regulator's jurisdiction.</summary>
    public static ScopeTarget Xuanwei() => new()
    {
        Name = "宣威",
        RegionCode = "530381101",
        CountyCode = "530381",
        RegionMarker = "宣威市",
        Owner = "scope.xuanwei",
        Outsiders = ["county.qilin"],
    };
}
