using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Shell;

/// <summary>The friendly page people see for any error status; never a stack trace.</summary>
[AllowAnonymous]
[AllowReadOnly]
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Status { get; private set; }

    public string Title { get; private set; } = "";

    public string Detail { get; private set; } = "";

    public string Icon { get; private set; } = "bi-exclamation-circle";

    public string TraceId => HttpContext.TraceIdentifier;

    public void OnGet(int? status) => Fill(status);

    public void OnPost(int? status) => Fill(status);

    private void Fill(int? status)
    {
        // After an exception the handler has already chosen the status (500, or 503 when the database is away).
        var afterException = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>() is not null;
        Status = afterException && Response.StatusCode >= 500 ? Response.StatusCode : status ?? (Response.StatusCode >= 400 ? Response.StatusCode : 500);
        Response.StatusCode = Status;
        Title = Status == 404 ? "页面不存在" : ErrorResults.Title(Status);
        Detail = HttpContext.Items[PageWriteGuard.ErrorDetailKey] as string
                 ?? (Status == 404 ? "您访问的页面不存在，或相关记录不在您的管辖范围内。" : ErrorResults.DefaultDetail(Status));
        Icon = Status switch
        {
            403 => "bi-slash-circle",
            404 => "bi-question-circle",
            503 => "bi-hourglass-split",
            _ => "bi-exclamation-circle",
        };
    }
}
