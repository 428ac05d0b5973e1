using Microsoft.AspNetCore.Identity;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// Checks a user name and password for both doors (the login page and <c>POST /api/v1/auth/login</c>): lockout after
/// 5 wrong passwords for 15 minutes, Chinese answers, and every attempt in the audit trail.
/// </summary>
public sealed class SignInService(UserManager<AppUser> users, SignInManager<AppUser> signIn, AppDbContext db, TimeProvider clock)
{
    public const string WrongCredentials = "用户名或密码错误。连续 5 次输错密码，账户将被锁定 15 分钟。";

    public async Task<Result<AppUser>> CheckAsync(string? userName, string? password, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(userName) || string.IsNullOrEmpty(password))
        {
            return new UnauthorizedError("请输入用户名和密码。");
        }

        var user = await users.FindByNameAsync(userName.Trim());
        if (user is null)
        {
            await RecordAsync(null, userName.Trim(), "登录失败", "用户名不存在", ct);
            return new UnauthorizedError(WrongCredentials);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true);
        if (result.Succeeded)
        {
            user.LastLoginAt = clock.GetUtcNow().UtcDateTime;
            await RecordAsync(user, user.UserName!, "登录成功", null, ct);
            return user;
        }

        if (result.IsLockedOut)
        {
            await RecordAsync(user, user.UserName!, "登录被拒", "账户已锁定", ct);
            return new LockedError(LockedMessage(await users.GetLockoutEndDateAsync(user)));
        }

        await RecordAsync(user, user.UserName!, "登录失败", "密码错误", ct);
        return new UnauthorizedError(WrongCredentials);
    }

    private string LockedMessage(DateTimeOffset? end)
    {
        if (end is not { } until)
        {
            return "账户已被锁定，请联系系统管理员解锁。";
        }

        var minutes = Math.Max(1, (int)Math.Ceiling((until - clock.GetUtcNow()).TotalMinutes));
        return $"连续输错密码次数过多，账户已被锁定，请于 {ChinaTime.Format(until.UtcDateTime)} 后重试（约 {minutes} 分钟），或联系系统管理员解锁。";
    }

    private async Task RecordAsync(AppUser? user, string userName, string action, string? reason, CancellationToken ct)
    {
        db.Actor = (user?.Id, user?.DisplayName is { Length: > 0 } name ? name : userName);
        db.AuditEvent(new AuditEvent(action, reason is null ? $"{userName} {action}" : $"{userName} {action}：{reason}", "用户", user?.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync(ct);
    }
}
