using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Features.Mines;

/// <summary>
/// A section of the mine page (一矿一档): a view component that gets the mine's id. Each module registers its own
/// (<c>services.AddMineSection(...)</c>); the mine page renders whatever is registered, in <see cref="Order"/>, so a
/// module adds its section without touching the mine page.
/// </summary>
public sealed record MineSection(string Key, string Title, int Order, string ViewComponent);

public static class MinesSetup
{
    public static IServiceCollection AddMineSection(this IServiceCollection services, MineSection section) => services.AddSingleton(section);

    public static IServiceCollection AddMines(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MineOptions>(configuration.GetSection("Mines"));
        services.Configure<Microsoft.AspNetCore.Mvc.RazorPages.RazorPagesOptions>(o => o.Conventions.AddPageRoute("/Features/Mines/Edit", "/mines/new"));
        services.AddScoped<MineWriter>();
        services.AddScoped<MineImporter>();
        services.AddSingleton<MineImportJobs>();
        services.AddScoped<IDemoSeeder, MineDemoSeeder>();
        services.AddMineSection(new MineSection("licences", "证照", 10, "MineLicences"));
        services.AddMineSection(new MineSection("persons", "关键岗位人员", 20, "MineKeyPersons"));
        services.AddMineSection(new MineSection("plan", "处置方案（一矿一方案）", 30, "MinePlan"));
        services.AddMineSection(new MineSection("history", "变更历史", 900, "MineHistory"));
        return services;
    }
}
