using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Bench;

/// <summary>
/// The list API's own code (MineApi.ListAsync: MineQuery, the scope filter, MineViews) run in this process on a new
/// AppDbContext per call, configured as DatabaseSetup configures it — the API without HTTP, authentication and JSON.
/// Between the raw SQL and the API, it tells EF Core's share from the web stack's. Unlike the app, which leases pooled
/// contexts, it builds a new one per call, and it runs far fewer times than the app has (its code is less warm): it
/// overstates EF's share somewhat (a warm pooled context: docs/PERFORMANCE.md, "The server's own time").
/// </summary>
public sealed class EfList(Provider provider, string connectionString, Scope scope)
{
    private readonly DbContextOptions<AppDbContext> _options = Options(provider, connectionString);
    private RegionTree? _regions;

    public async Task<double> ListAsync(MineFilter f)
    {
        var watch = Stopwatch.StartNew();
        await using var db = new AppDbContext(_options)
        {
            Scope = new UserScope(scope.Low, scope.High, scope.EnterpriseId, null, false, "bench"),
        };
        var query = new MineQuery(f.RegionCode, (MineStatus?)f.Status, (Disposition?)f.Disposition, (GasLevel?)f.GasLevel,
            f.MinCapacity, f.MaxCapacity, f.Q, f.Sort);
        var paging = Paging.From(f.Page, f.PageSize);
        var (items, total) = await query.PageAsync(db, paging, default);
        _regions ??= new RegionTree(new PooledDbContextFactory<AppDbContext>(_options)); // as the app's: loaded once, then in memory
        var names = await _regions.NamesAsync(default);
        _ = new PagedResult<MineListItem>(items.Select(i => MineViews.Labelled(i, names)).ToList(), total, paging.Page, paging.PageSize);
        return watch.Elapsed.TotalMilliseconds;
    }

    /// <summary>As DatabaseSetup configures the app's context; with <paramref name="printSql"/>, every command EF sends is printed with its parameters.</summary>
    public static DbContextOptions<AppDbContext> Options(Provider provider, string connectionString, bool printSql = false)
    {
        var builder = new DbContextOptionsBuilder<AppDbContext>();
        if (printSql)
        {
            builder.LogTo(Console.WriteLine, [RelationalEventId.CommandExecuted], Microsoft.Extensions.Logging.LogLevel.Information).EnableSensitiveDataLogging();
        }

        if (provider == Provider.Postgres)
        {
            builder.UseNpgsql(connectionString, npgsql => npgsql.CommandTimeout(60));
        }
        else
        {
            builder.UseSqlite(connectionString).AddInterceptors(new SqlitePragmas());
        }

        builder.ConfigureWarnings(w => w.Ignore(CoreEventId.PossibleIncorrectRequiredNavigationWithQueryFilterInteractionWarning));
        return builder.Options;
    }
}
