namespace MineRisk.Web.Platform.Demo;

/// <summary><c>Demo:Scale</c>: how much demo data an empty database is filled with (DESIGN §3).</summary>
public enum DemoScale
{
    /// <summary>No demo data: a real installation; an <c>admin</c> account is created.</summary>
    None,

    /// <summary>One city (曲靖): the default.</summary>
    City,

    /// <summary>A province.</summary>
    Province,

    /// <summary>The nation.</summary>
    Nation,
}

/// <summary>
/// A module's part of the demo data. Modules register one (<c>services.AddScoped&lt;IDemoSeeder, ...&gt;()</c>);
/// they run in <see cref="Order"/> after the platform's regions, organisations and accounts.
/// </summary>
public interface IDemoSeeder
{
    int Order { get; }

    /// <summary>The demo accounts this module adds at a scale (listed at start and in the README).</summary>
    IEnumerable<DemoAccount> AccountsFor(DemoScale scale);

    Task SeedAsync(DemoContext context, CancellationToken ct);
}

/// <summary>What a module seeder gets: the scale, a seeded random source (reproducible), the demo accounts.</summary>
public sealed class DemoContext(DemoScale scale, int seed, Dictionary<string, long> userIds, Func<DemoAccount, long, CancellationToken, Task<long>> createUser)
{
    public DemoScale Scale { get; } = scale;

    public Random Random { get; } = new(seed);

    /// <summary>Demo account user name → user id.</summary>
    public IReadOnlyDictionary<string, long> UserIds => userIds;

    /// <summary>Creates a demo account (password <see cref="PlatformSeeder.DemoPassword"/>) in an organisation.</summary>
    public async Task<long> CreateUserAsync(DemoAccount account, long organisationId, CancellationToken ct)
    {
        var id = await createUser(account, organisationId, ct);
        userIds[account.UserName] = id;
        return id;
    }
}

/// <summary>
/// Reference data a module needs in every installation, demo or not (e.g. the assessment template v1, the hazard
/// taxonomy). Run at every start, after the platform's roles and regions; must add only what is missing.
/// </summary>
public interface IReferenceData
{
    Task EnsureAsync(CancellationToken ct);
}
