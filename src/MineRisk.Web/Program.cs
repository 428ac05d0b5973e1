using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Monitoring;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform(args);
builder.Services.AddMines(builder.Configuration);
builder.Services.AddStability(builder.Configuration);
builder.Services.AddHazards(builder.Configuration);
builder.Services.AddMonitoring(builder.Configuration);

var app = builder.Build();
app.UsePlatform();
var api = app.MapApi();
api.MapMineApi();
api.MapStabilityApi();
api.MapHazardApi();
api.MapMonitoringApi();
await app.PrepareAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
