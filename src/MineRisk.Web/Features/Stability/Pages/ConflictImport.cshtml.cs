using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class ConflictImportModel(ConflictImporter importer, CurrentUser user) : PageModel
{
    public ImportReport? Report { get; private set; }

    public IActionResult OnGet() => StabilityAccess.CanKeepLedger(user) ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(IFormFile? file, bool dryRun, CancellationToken ct)
    {
        if (!StabilityAccess.CanKeepLedger(user))
        {
            return Forbid();
        }

        if (file is null || file.Length == 0 || file.Length > MineImportApi.MaxFileBytes)
        {
            Report = new ImportReport(dryRun, false, 0, 0, 0, [new ImportIssue(0, "文件", "请选择不超过 20 MB 的 Excel 文件。")], 1);
            return Page();
        }

        await using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        Report = await importer.ImportAsync(buffer, dryRun, ct);
        return Page();
    }
}
