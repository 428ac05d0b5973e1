using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Platform.Auth;

namespace MineRisk.Web.Features.Mines;

/// <summary>Upload of a registry workbook; the import runs in the background and the page shows its progress.</summary>
[RequestSizeLimit(MineImportApi.MaxFileBytes + (1024 * 1024))]
public sealed class ImportModel(MineImportJobs jobs, MineWriter writer, CurrentUser user) : PageModel
{
    public Guid? JobId { get; private set; }

    public string? Error { get; private set; }

    public IActionResult OnGet() => writer.CanEditMines ? Page() : Forbid();

    public async Task<IActionResult> OnPostAsync(IFormFile? file, bool dryRun, CancellationToken ct)
    {
        if (!writer.CanEditMines)
        {
            return Forbid();
        }

        if (file is null || file.Length == 0)
        {
            Error = "请选择要导入的 Excel 文件。";
            return Page();
        }

        if (file.Length > MineImportApi.MaxFileBytes)
        {
            Error = $"导入文件不能超过 {MineImportApi.MaxFileBytes / 1024 / 1024} MB。";
            return Page();
        }

        await using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        JobId = jobs.Start(buffer.ToArray(), Path.GetFileName(file.FileName), dryRun, user).Id;
        return Page();
    }

    public IActionResult OnGetProgress(Guid job)
    {
        var found = jobs.Find(job, user.Id ?? 0);
        return found is null ? NotFound() : Partial("/Features/Mines/_ImportProgress.cshtml", found);
    }
}
