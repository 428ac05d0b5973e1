using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Mines;

/// <summary><c>POST /api/v1/mines/import</c>: a multipart upload (field <c>file</c>) of an .xlsx in the export's columns.</summary>
public static class MineImportApi
{
    public const long MaxFileBytes = 20L * 1024 * 1024;

    public static async Task<IResult> ImportAsync(HttpRequest request, bool? dryRun, MineImporter importer, MineWriter writer, CancellationToken ct)
    {
        if (!writer.CanEditMines)
        {
            return new ForbiddenError("只有监管部门可以导入煤矿名录。").ToProblem();
        }

        if (!request.HasFormContentType)
        {
            return new ValidationError("请以 multipart/form-data 方式上传，文件字段名为 file。").ToProblem();
        }

        var form = await request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file)
        {
            return ValidationError.For("file", "请选择要导入的 Excel 文件（字段名 file）。").ToProblem();
        }

        if (file.Length > MaxFileBytes)
        {
            return new TooLargeError($"导入文件不能超过 {MaxFileBytes / 1024 / 1024} MB。").ToProblem();
        }

        await using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        buffer.Position = 0;
        var report = await importer.ImportAsync(buffer, dryRun == true, null, ct);
        if (!report.Valid)
        {
            return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = StatusCodes.Status422UnprocessableEntity,
                Title = ErrorResults.Title(422),
                Detail = $"导入失败：文件中有 {report.ErrorCount} 处错误，未导入任何数据。请改正后重新导入。",
                Extensions = { ["errors"] = report.Errors, ["errorCount"] = report.ErrorCount, ["rows"] = report.Rows },
            });
        }

        return Results.Ok(report);
    }
}
