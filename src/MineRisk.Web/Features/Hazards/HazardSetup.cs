using MineRisk.Web.Platform.Data;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Features.Hazards;

public static class HazardSetup
{
    public static IServiceCollection AddHazards(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<HazardOptions>(configuration.GetSection("Hazards"));
        services.AddScoped<HazardService>();
        services.AddSingleton<HazardRollup>();
        services.AddSingleton<ISaveHook>(sp => sp.GetRequiredService<HazardRollup>());
        services.AddSingleton<ISchemaExtension>(sp => sp.GetRequiredService<HazardRollup>());
        services.AddSingleton<HazardSearch>();
        services.AddSingleton<ISaveHook>(sp => sp.GetRequiredService<HazardSearch>());
        services.AddSingleton<ISchemaExtension>(sp => sp.GetRequiredService<HazardSearch>());
        services.AddScoped<RevisitService>();
        services.AddScoped<IReferenceData, TaxonomyReferenceData>();
        services.AddScoped<IAssessmentEvidence, HazardEvidence>();
        services.AddScoped<IDemoSeeder, HazardDemoSeeder>();
        services.AddMineSection(new MineSection("hazards", "隐患排查治理", 12, "MineHazards"));
        return services;
    }
}
