using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Identity;
using MineRisk.Web.Platform.Attachments;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Demo;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Notifications;
using MineRisk.Web.Platform.Regions;
using MineRisk.Web.Platform.Shell;

namespace MineRisk.Web.Platform;

/// <summary>The cross-cutting pieces every module uses (DESIGN §1), registered and mapped once.</summary>
public static class PlatformSetup
{
    public const string AdminPolicy = "admin";

    private const string SmartScheme = "MineRisk";

    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder, string[] args)
    {
        // The app's own appsettings.json (next to the binaries) is the base, whatever the working directory;
        // one in the content root, then MINERISK_ environment variables and the command line override it.
        var baseSettings = new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
        {
            Path = Path.Combine(AppContext.BaseDirectory, "appsettings.json"),
            Optional = true,
        };
        baseSettings.ResolveFileProvider();
        builder.Configuration.Sources.Insert(0, baseSettings);
        builder.Configuration.AddEnvironmentVariables("MINERISK_");
        builder.Configuration.AddCommandLine(args);
        var services = builder.Services;
        var configuration = builder.Configuration;
        var paths = new DataPaths(configuration["Data:Directory"] is { Length: > 0 } dir ? dir : "data");
        services.AddSingleton(paths);
        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<CurrentUser>();
        services.AddDatabase(configuration, paths);
        Microsoft.AspNetCore.DataProtection.DataProtectionBuilderExtensions.SetApplicationName(services.AddDataProtection(), "MineRisk");
        services.AddSingleton<Microsoft.Extensions.Options.IConfigureOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>, UseDatabaseKeyRepository>();

        services.AddIdentityCore<AppUser>(o =>
            {
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                o.Password.RequiredLength = 8;
                o.User.RequireUniqueEmail = false;
            })
            .AddRoles<AppRole>()
            .AddEntityFrameworkStores<AppDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<AppClaimsFactory>()
            .AddErrorDescriber<ChineseIdentityErrors>()
            .AddDefaultTokenProviders();
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(5));

        services.AddAuthentication(o =>
            {
                o.DefaultScheme = SmartScheme;
                o.DefaultChallengeScheme = SmartScheme;
            })
            .AddPolicyScheme(SmartScheme, "Cookie 或 Bearer", o => o.ForwardDefaultSelector = http =>
                http.Request.Headers.Authorization.Any(h => h?.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) == true)
                    ? IdentityConstants.BearerScheme
                    : IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, o => o.BearerTokenExpiration = TimeSpan.FromHours(1))
            .AddIdentityCookies();
        services.AddOptions<BearerTokenOptions>(IdentityConstants.BearerScheme)
            .PostConfigure<TimeProvider>((o, clock) => o.BearerTokenProtector = new BearerTicketCache(o.BearerTokenProtector, clock));
        services.ConfigureApplicationCookie(o =>
        {
            o.Cookie.Name = "minerisk.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.LoginPath = "/account/login";
            o.LogoutPath = "/account/logout";
            o.AccessDeniedPath = "/account/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToLogin = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status401Unauthorized);
            o.Events.OnRedirectToAccessDenied = ctx => ApiStatusOrRedirect(ctx, StatusCodes.Status403Forbidden);
            o.Events.OnValidatePrincipal = ValidateSecurityStampWhenDue;
        });
        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(AdminPolicy, p => p.RequireRole(Roles.Admin));
        services.AddAntiforgery(o =>
        {
            o.HeaderName = "RequestVerificationToken";
            o.Cookie.Name = "minerisk.af";
        });

        services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            var status = ctx.ProblemDetails.Status ?? ctx.HttpContext.Response.StatusCode;
            ctx.ProblemDetails.Status = status;
            if (string.IsNullOrEmpty(ctx.ProblemDetails.Title) || ctx.ProblemDetails.Title.All(c => c < 128))
            {
                ctx.ProblemDetails.Title = ErrorResults.Title(status);
            }

            ctx.ProblemDetails.Detail ??= ErrorResults.DefaultDetail(status);
            ctx.ProblemDetails.Type = null;
            ctx.ProblemDetails.Extensions["traceId"] = ctx.HttpContext.TraceIdentifier;
        });
        services.AddExceptionHandler<ExceptionHandling>();
        // Body binding failures reach ExceptionHandling, which names the field at fault instead of a bare 400.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.Configure<JsonOptions>(o => ConfigureJson(o.SerializerOptions));
        services.AddOpenApi();
        // Chinese text in pages as characters, not &#x...; escapes (still HTML-encoded where it matters).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o =>
            o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));

        services.AddRazorPages(o =>
            {
                o.RootDirectory = "/";
            })
            .AddMvcOptions(o => o.Filters.Add<PageWriteGuard>())
            .AddRazorOptions(o => o.PageViewLocationFormats.Add("/Pages/Shared/{0}.cshtml"));

        services.AddScoped<ApiWriteGuard>();
        services.AddScoped<PageWriteGuard>();
        services.AddScoped<AuditVerifier>();
        services.AddScoped<Notifier>();
        services.AddScoped<DeadlineService>();
        services.Configure<EscalationPolicy>(configuration.GetSection("Deadlines"));
        services.PostConfigure<EscalationPolicy>(p =>
        {
            if (p.Upward.Count == 0)
            {
                p.Upward = EscalationPolicy.DefaultUpward();
            }
        });
        services.AddSingleton<DeadlineSweeper>();
        services.AddHostedService(sp => sp.GetRequiredService<DeadlineSweeper>());
        services.Configure<AttachmentOptions>(configuration.GetSection("Attachments"));
        services.AddScoped<AttachmentStore>();
        services.AddScoped<PlatformSeeder>();
        services.AddScoped<SignInService>();
        services.AddScoped<ShellData>();
        services.AddSingleton<UnreadCounts>();
        services.AddSingleton<Data.ISaveHook>(sp => sp.GetRequiredService<UnreadCounts>());
        services.AddSingleton<RegionTree>();
        services.AddSingleton<Data.ISaveHook>(sp => sp.GetRequiredService<RegionTree>());
        return builder;
    }

    public static void ConfigureJson(JsonSerializerOptions json)
    {
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        json.Converters.Add(new UtcDateTimeConverter());
        json.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseServerTiming();
        app.UseExceptionHandler("/error/500");
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/api"), api => api.UseStatusCodePages());
        app.UseWhen(http => !http.Request.Path.StartsWithSegments("/api"), pages => pages.UseStatusCodePagesWithReExecute("/error/{0}"));
        app.Use(async (http, next) =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            headers.ContentSecurityPolicy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            await next();
        });
        app.UseStaticFiles();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    /// <summary>The API surface of the platform: <c>/api/v1</c>, requiring sign-in and guarding writes.</summary>
    public static RouteGroupBuilder MapApi(this WebApplication app)
    {
        app.MapOpenApi().AllowAnonymous();
        app.MapGet("/health", () => Results.Text("ok")).AllowAnonymous().ExcludeFromDescription();
        app.MapRazorPages();
        var api = app.MapGroup("/api/v1").RequireAuthorization().AddEndpointFilter<ApiWriteGuard>().DisableAntiforgery();
        api.MapAuthApi();
        api.MapAuditApi();
        api.MapInboxApi();
        api.MapAttachmentApi();
        api.MapRegionApi();
        return api;
    }

    /// <summary>
    /// Identity's check of the cookie's security stamp (a changed password or a locked account ends other sessions),
    /// called only when it is due: Identity resolves its validator — a SignInManager and a UserManager, built anew —
    /// on every request just to find that the interval has not passed (2 % of the app's CPU on <c>/mines</c> under wrk).
    /// The test is Identity's own: no issue time, or more than the interval since it.
    /// </summary>
    private static Task ValidateSecurityStampWhenDue(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext ctx)
    {
        var options = ctx.HttpContext.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SecurityStampValidatorOptions>>().Value;
        var now = (options.TimeProvider ?? TimeProvider.System).GetUtcNow();
        return ctx.Properties.IssuedUtc is { } issued && now - issued <= options.ValidationInterval
            ? Task.CompletedTask
            : SecurityStampValidator.ValidatePrincipalAsync(ctx);
    }

    private static Task ApiStatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> ctx, int status)
    {
        if (ctx.Request.Path.StartsWithSegments("/api"))
        {
            ctx.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        ctx.Response.Redirect(ctx.RedirectUri);
        return Task.CompletedTask;
    }
}
