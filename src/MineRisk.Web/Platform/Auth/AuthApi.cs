using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Auth;

public sealed record LoginRequest(string? UserName, string? Password);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

public sealed record MeResponse(long Id, string UserName, string DisplayName, IReadOnlyList<string> Roles, bool ReadOnly,
    MeOrganisation? Organisation, MeScope Scope, DateTime? LastLoginAt);

public sealed record MeOrganisation(long Id, string Name);

public sealed record MeScope(string? RegionCode, string? RegionName, long? EnterpriseId, string Description);

public static class AuthApi
{
    public static void MapAuthApi(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/login", LoginAsync).AllowAnonymous().WithMetadata(new AllowReadOnlyAttribute())
            .WithSummary("登录，换取 Bearer 访问令牌");
        api.MapGet("/me", MeAsync).WithSummary("当前用户、角色、单位与管辖范围");
        api.MapPost("/auth/password", ChangePasswordAsync).WithMetadata(new AllowReadOnlyAttribute()).WithSummary("修改本人密码");
    }

    private static async Task<IResult> LoginAsync(LoginRequest request, SignInService signIn, SignInManager<AppUser> manager, CancellationToken ct)
    {
        var result = await signIn.CheckAsync(request.UserName, request.Password, ct);
        if (result.TryGetError(out var error))
        {
            return error.ToProblem();
        }

        var principal = await manager.CreateUserPrincipalAsync(result.Value);
        // The bearer handler writes {"tokenType","accessToken","expiresIn","refreshToken"}.
        return Results.SignIn(principal, authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<MeResponse> MeAsync(CurrentUser user, UserManager<AppUser> users)
    {
        var scope = user.Scope;
        var account = await users.FindByIdAsync(user.Id.ToString()!);
        return new MeResponse(
            user.Id ?? 0,
            user.UserName,
            user.DisplayName,
            user.Roles,
            user.IsReadOnly,
            user.OrganisationId is { } orgId ? new MeOrganisation(orgId, user.OrganisationName) : null,
            new MeScope(user.RegionCode, user.Principal?.FindFirstValue(ScopeClaims.RegionName), user.EnterpriseId, scope.Description),
            account?.LastLoginAt);
    }

    private static async Task<IResult> ChangePasswordAsync(ChangePasswordRequest request, CurrentUser current, UserManager<AppUser> users)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword) || string.IsNullOrEmpty(request.NewPassword))
        {
            return new ValidationError("请填写原密码和新密码。").ToProblem();
        }

        var user = await users.FindByIdAsync(current.Id.ToString()!);
        if (user is null)
        {
            return new NotFoundError().ToProblem();
        }

        var result = await users.ChangePasswordAsync(user, request.CurrentPassword, request.NewPassword);
        return result.Succeeded
            ? Results.NoContent()
            : new ValidationError(string.Join("", result.Errors.Select(e => e.Description))).ToProblem();
    }
}
