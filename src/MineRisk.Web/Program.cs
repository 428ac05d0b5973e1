using MineRisk.Web.Platform;

var builder = WebApplication.CreateBuilder(args);
builder.AddPlatform(args);

var app = builder.Build();
app.UsePlatform();
app.MapApi();
await app.PrepareAsync();
await app.RunAsync();

/// <summary>The entry point, visible to the test host.</summary>
public partial class Program;
