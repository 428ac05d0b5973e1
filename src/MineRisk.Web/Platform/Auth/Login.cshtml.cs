using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Auth;

[AllowAnonymous]
[AllowReadOnly]
public sealed class LoginModel(SignInService signIn, SignInManager<AppUser> manager) : PageModel
{
    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var result = await signIn.CheckAsync(UserName, Password, ct);
        if (result.TryGetError(out var error))
        {
            Error = error.Message;
            Response.StatusCode = error.StatusCode();
            return Page();
        }

        await manager.SignInAsync(result.Value, isPersistent: false);
        return LocalRedirect(SafeReturnUrl());
    }

    private string SafeReturnUrl() => ReturnUrl is { Length: > 0 } url && Url.IsLocalUrl(url) ? url : "/";
}
