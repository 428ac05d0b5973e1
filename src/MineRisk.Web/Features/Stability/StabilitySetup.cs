using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Features.Stability;

public static class StabilitySetup
{
    public static IServiceCollection AddStability(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<StabilityOptions>(configuration.GetSection("Stability"));
        services.AddScoped<AssessmentService>();
        services.AddScoped<ConflictService>();
        services.AddScoped<ConflictImporter>();
        services.AddScoped<IAssessmentEvidence, ConflictEvidence>();
        services.AddScoped<IMilestoneGuard, AssessmentMilestoneGuard>();
        services.AddScoped<IReferenceData, TemplateReferenceData>();
        services.AddScoped<IDemoSeeder, StabilityDemoSeeder>();
        services.AddMineSection(new MineSection("stability", "社会稳定风险（一矿一评估 · 不稳定因素 · 一矿一专班 · 十到位）", 15, "MineStability"));
        return services;
    }
}

/// <summary>Every installation starts with the assessment template v1 of issue 4.</summary>
public sealed class TemplateReferenceData(AppDbContext db, TimeProvider clock) : IReferenceData
{
    public async Task EnsureAsync(CancellationToken ct)
    {
        db.Scope = UserScope.System;
        if (!await db.Set<AssessmentTemplate>().AnyAsync(ct))
        {
            db.Add(AssessmentTemplate.DefaultV1(clock.GetUtcNow().UtcDateTime));
            await db.SaveChangesAsync(ct);
        }
    }
}
