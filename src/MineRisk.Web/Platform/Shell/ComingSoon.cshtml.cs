using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace MineRisk.Web.Platform.Shell;

public sealed class ComingSoonModel : PageModel
{
    public ModuleInfo Module { get; private set; } = null!;

    public IActionResult OnGet(string key)
    {
        var module = ModuleCatalog.Find(key);
        if (module is null)
        {
            return NotFound();
        }

        if (module.Built)
        {
            return Redirect(module.Path);
        }

        Module = module;
        return Page();
    }
}
