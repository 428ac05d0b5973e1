using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Playwright;
using MineRisk.Tests.Infrastructure;

namespace MineRisk.BrowserTests;

/// <summary>The app on Kestrel (a real port, SQLite, demo data) and Debian's Chromium driven by Playwright.</summary>
public sealed class BrowserFixture : AppFixture
{
    private IPlaywright? _playwright;

    public BrowserFixture() => UseKestrel(0);

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where screenshots go (printed at the end of the run, to be looked at).</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(
        Environment.GetEnvironmentVariable("MINERISK_SCREENSHOTS") is { Length: > 0 } dir ? dir : Path.Combine(Path.GetTempPath(), "minerisk-screenshots"));

    protected override Task<TestDatabase> CreateDatabaseAsync() => Task.FromResult(TestDatabase.Sqlite());

    protected override void Start() => StartServer();

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BaseUrl = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal);
        ClientOptions.BaseAddress = new Uri(BaseUrl); // API clients of the tests talk to the same Kestrel server
        Directory.CreateDirectory(ScreenshotDirectory);
        _playwright = await Playwright.CreateAsync();
        var executable = Environment.GetEnvironmentVariable("MINERISK_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public override async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await base.DisposeAsync();
    }

    public static readonly ViewportSize Desktop = new() { Width = 1366, Height = 900 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    public async Task<IPage> NewPageAsync(ViewportSize viewport)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, Locale = "zh-CN", BaseURL = BaseUrl });
        return await context.NewPageAsync();
    }

    public async Task LoginAsync(IPage page, string userName, string password = Password)
    {
        await page.GotoAsync("/account/login");
        await page.GetByLabel("用户名").FillAsync(userName);
        await page.GetByLabel("密码").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
    }

    public static Task ShotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
}
