using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Demo;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>Monitoring (监测预警, issue 6): intake of the mines' upload files, the alarm engine, live pages and the demo's feed simulator.</summary>
public static class MonitoringSetup
{
    public static IServiceCollection AddMonitoring(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<MonitoringOptions>(configuration.GetSection("Monitoring"));
        services.AddSingleton<MineDirectory>();
        services.AddSingleton<FeedArchive>();
        services.AddSingleton<FeedPayloads>();
        services.AddSingleton<ApplierSignal>();
        services.AddSingleton<ReadingPartitions>();
        services.AddSingleton<AlarmHub>();
        services.AddSingleton<IntakeStats>();
        services.AddSingleton<UploadKeys>();
        services.AddSingleton<AlarmEngine>();
        services.AddSingleton<SqliteWriteGate>();
        services.AddScoped<AlarmActions>();
        services.AddScoped<ISchemaExtension, MonitoringSchema>();
        services.AddScoped<IDemoSeeder, MonitoringDemoSeeder>();

        services.AddSingleton<FeedIntake>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedIntake>());
        services.AddSingleton<FeedApplier>();
        services.AddHostedService(sp => sp.GetRequiredService<FeedApplier>());
        services.AddSingleton<InboxWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<InboxWatcher>());
        services.AddSingleton<RetentionService>();
        services.AddHostedService(sp => sp.GetRequiredService<RetentionService>());
        services.AddSingleton<DemoFeedSimulator>();
        services.AddHostedService(sp => sp.GetRequiredService<DemoFeedSimulator>());

        services.AddMineSection(new MineSection("monitoring", "监测预警", 5, "MineMonitoring"));
        return services;
    }
}
