using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Platform.Demo;

/// <summary>A demo account as printed at start and listed in the README.</summary>
public sealed record DemoAccount(string UserName, string DisplayName, string Role, string Organisation);

/// <summary>
/// Fills a database at start: the roles and base regions always; on an empty database either the demo data
/// (<c>Demo:Scale</c> ≠ none) or, for a real installation, the first <c>admin</c> account.
/// </summary>
public sealed partial class PlatformSeeder(
    AppDbContext db,
    UserManager<AppUser> users,
    RoleManager<AppRole> roles,
    IEnumerable<IDemoSeeder> moduleSeeders,
    IEnumerable<IReferenceData> referenceData,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<PlatformSeeder> logger)
{
    public const string DemoPassword = "Demo#2026";

    private const int DemoSeed = 20261122;

    public static readonly IReadOnlyList<DemoAccount> DemoAccounts =
    [
        new("admin", "王建国", Roles.Admin, "曲靖市应急管理局"),
        new("city", "李明华", Roles.CityRegulator, "曲靖市煤炭工业局"),
        new("county.qilin", "张卫东", Roles.CountyRegulator, "麒麟区应急管理局"),
        new("county.xuanwei", "赵志刚", Roles.CountyRegulator, "宣威市应急管理局"),
        new("xinfang", "陈秀英", Roles.PetitionOfficer, "曲靖市信访局"),
        new("leader", "刘国强", Roles.Leader, "曲靖市人民政府"),
    ];

    /// <summary>Every demo account: the platform's and the modules'.</summary>
    public IEnumerable<DemoAccount> AllDemoAccounts(DemoScale scale) => DemoAccounts.Concat(moduleSeeders.OrderBy(s => s.Order).SelectMany(s => s.AccountsFor(scale)));

    /// <summary>What happened, for the start banner.</summary>
    public sealed record SeedResult(bool DemoSeeded, string? GeneratedAdminPassword);

    public async Task<SeedResult> SeedAsync(DemoScale scale, CancellationToken ct)
    {
        db.Scope = UserScope.System;
        db.Actor = (null, "系统初始化");
        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new AppRole(role));
            }
        }

        await AddMissingRegionsAsync(RegionData.Base(), ct);
        foreach (var data in referenceData)
        {
            await data.EnsureAsync(ct);
        }

        if (await db.Users.AnyAsync(ct))
        {
            return new SeedResult(false, null);
        }

        if (scale == DemoScale.None)
        {
            return new SeedResult(false, await CreateFirstAdminAsync(ct));
        }

        await AddMissingRegionsAsync(RegionData.Demo(), ct);
        var organisations = await SeedOrganisationsAsync(ct);
        var userIds = new Dictionary<string, long>();
        foreach (var account in DemoAccounts)
        {
            userIds[account.UserName] = await CreateUserAsync(account, organisations[account.Organisation], ct);
        }

        var context = new DemoContext(scale, DemoSeed, userIds, CreateUserAsync);
        foreach (var seeder in moduleSeeders.OrderBy(s => s.Order))
        {
            await seeder.SeedAsync(context, ct);
        }

        LogDemoSeeded(scale.ToString());
        return new SeedResult(true, null);
    }

    private string? _demoPasswordHash;

    /// <summary>Adds a demo account (used by module seeders that bring their own, e.g. an enterprise user).</summary>
    public async Task<long> CreateUserAsync(DemoAccount account, long organisationId, CancellationToken ct)
    {
        // Every demo account has the same password: hash it once (PBKDF2 is slow on purpose) and share the hash.
        _demoPasswordHash ??= users.PasswordHasher.HashPassword(new AppUser(), DemoPassword);
        var user = new AppUser
        {
            UserName = account.UserName,
            DisplayName = account.DisplayName,
            OrganisationId = organisationId,
            IsDemo = true,
            LockoutEnabled = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
            PasswordHash = _demoPasswordHash,
        };
        Check(await users.CreateAsync(user), account.UserName);
        Check(await users.AddToRoleAsync(user, account.Role), account.UserName);
        return user.Id;
    }

    private async Task AddMissingRegionsAsync(IReadOnlyList<Region> regions, CancellationToken ct)
    {
        var existing = (await db.Regions.IgnoreQueryFilters().Select(r => new { r.Code, r.FullName }).ToListAsync(ct))
            .ToDictionary(r => r.Code, r => r.FullName);
        foreach (var region in regions)
        {
            if (existing.ContainsKey(region.Code))
            {
                continue;
            }

            var parentFull = region.ParentCode is { } p && p != RegionCodes.Nation && existing.TryGetValue(p, out var pf) ? pf : null;
            region.FullName = region.Level == RegionLevel.Nation ? region.Name : (parentFull ?? "") + region.Name;
            existing[region.Code] = region.FullName;
            db.Regions.Add(region);
        }

        await db.SaveChangesAsync(ct);
    }

    private async Task<Dictionary<string, long>> SeedOrganisationsAsync(CancellationToken ct)
    {
        var regions = await db.Regions.IgnoreQueryFilters().Where(r => r.Code.StartsWith("53")).ToListAsync(ct);
        var organisations = new List<Organisation>();
        foreach (var city in regions.Where(r => r.Level == RegionLevel.City))
        {
            var isDemoCity = city.Code == "530300";
            organisations.Add(new Organisation { Name = $"{city.Name}应急管理局", Kind = OrganisationKind.EmergencyBureau, RegionCode = city.Code });
            organisations.Add(new Organisation { Name = $"{city.Name}煤炭工业局", Kind = OrganisationKind.CoalBureau, RegionCode = city.Code });
            organisations.Add(new Organisation { Name = $"{city.Name}信访局", Kind = OrganisationKind.PetitionBureau, RegionCode = city.Code });
            if (isDemoCity)
            {
                organisations.Add(new Organisation { Name = $"{city.Name}人民政府", Kind = OrganisationKind.Government, RegionCode = city.Code });
            }
        }

        foreach (var county in regions.Where(r => r.Level == RegionLevel.County))
        {
            organisations.Add(new Organisation { Name = $"{county.Name}应急管理局", Kind = OrganisationKind.EmergencyBureau, RegionCode = county.Code });
            organisations.Add(new Organisation { Name = $"{county.Name}信访局", Kind = OrganisationKind.PetitionBureau, RegionCode = county.Code });
        }

        foreach (var township in regions.Where(r => r.Level == RegionLevel.Township))
        {
            var county = regions.Single(r => r.Code == township.ParentCode);
            organisations.Add(new Organisation { Name = $"{county.Name}{township.Name}人民政府", Kind = OrganisationKind.TownshipGovernment, RegionCode = township.Code });
        }

        db.Organisations.AddRange(organisations);
        await db.SaveChangesAsync(ct);
        return organisations.ToDictionary(o => o.Name, o => o.Id);
    }

    private async Task<string?> CreateFirstAdminAsync(CancellationToken ct)
    {
        var org = new Organisation { Name = "系统管理", Kind = OrganisationKind.System, RegionCode = RegionCodes.Nation };
        db.Organisations.Add(org);
        await db.SaveChangesAsync(ct);
        var configured = configuration["Admin:Password"];
        var password = string.IsNullOrEmpty(configured) ? GeneratePassword() : configured;
        var admin = new AppUser
        {
            UserName = "admin",
            DisplayName = "系统管理员",
            OrganisationId = org.Id,
            LockoutEnabled = true,
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        Check(await users.CreateAsync(admin, password), "admin");
        Check(await users.AddToRoleAsync(admin, Roles.Admin), "admin");
        return string.IsNullOrEmpty(configured) ? password : null;
    }

    private static string GeneratePassword()
    {
        const string letters = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        var chars = Enumerable.Range(0, 16).Select(_ => letters[RandomNumberGenerator.GetInt32(letters.Length)]).ToArray();
        return $"Mr#{new string(chars)}9a";
    }

    private static void Check(IdentityResult result, string userName)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException($"创建账户 {userName} 失败：{string.Join("；", result.Errors.Select(e => e.Description))}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "已生成演示数据（规模 {Scale}）")]
    private partial void LogDemoSeeded(string scale);
}
