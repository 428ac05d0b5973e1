using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Auth;

[AllowReadOnly]
public sealed class LogoutModel(SignInManager<AppUser> manager, AppDbContext db, CurrentUser user) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        db.AuditEvent(new AuditEvent("退出登录", $"{user.UserName} 退出登录", "用户", user.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await db.SaveChangesAsync(ct);
        await manager.SignOutAsync();
        return Redirect("/account/login");
    }
}
