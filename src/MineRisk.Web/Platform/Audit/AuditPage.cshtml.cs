using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Excel;

namespace MineRisk.Web.Platform.Audit;

[Authorize(Policy = PlatformSetup.AdminPolicy)]
public sealed class AuditPageModel(AppDbContext db, AuditVerifier verifier, TimeProvider clock) : PageModel
{
    public AuditFilter Filter { get; private set; } = new(null, null, null, null, null, null);

    public PagedResult<AuditItem> Result { get; private set; } = new([], 0, 1, 50);

    public AuditVerification? Verification { get; private set; }

    public IReadOnlyList<string> Actions { get; private set; } = [];

    public IReadOnlyList<string> Entities { get; private set; } = [];

    public string ExportUrl => "/audit?handler=Export&" + Request.QueryString.Value?.TrimStart('?');

    public Pager Pager { get; private set; } = null!;

    public async Task OnGetAsync(string? user, string? action, string? entity, string? q, DateOnly? from, DateOnly? to, int? p, CancellationToken ct)
    {
        Filter = new AuditFilter(user, action, entity, q, from, to);
        var paging = Paging.From(p, 50, 50);
        var query = Filter.Apply(db.AuditEntries.AsNoTracking());
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.Id).Skip(paging.Skip).Take(paging.PageSize)
            .Select(e => new AuditItem(e.Id, e.At, e.UserName, e.Action, e.EntityName, e.EntityId, e.Summary, e.Before, e.After, e.Hash))
            .ToListAsync(ct);
        Result = new PagedResult<AuditItem>(items, total, paging.Page, paging.PageSize);
        Pager = Pager.For(Result, "/audit", Request.Query);
        Actions = await db.AuditEntries.Select(e => e.Action).Distinct().OrderBy(a => a).ToListAsync(ct);
        Entities = await db.AuditEntries.Where(e => e.EntityName != "").Select(e => e.EntityName).Distinct().OrderBy(a => a).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        Verification = await verifier.VerifyAsync(ct);
        db.AuditEvent(new AuditEvent("核验审计链", Verification.Ok ? $"核验通过，共 {Verification.Entries} 条" : $"核验发现问题：{Verification.Reason}"));
        await db.SaveChangesAsync(ct);
        if (Request.Headers.ContainsKey("HX-Request"))
        {
            return Partial("/Platform/Audit/_Verification.cshtml", Verification);
        }

        await OnGetAsync(null, null, null, null, null, null, null, ct);
        return Page();
    }

    public IActionResult OnGetExport(string? user, string? action, string? entity, string? q, DateOnly? from, DateOnly? to)
    {
        var filter = new AuditFilter(user, action, entity, q, from, to);
        var rows = filter.Apply(db.AuditEntries.AsNoTracking()).OrderBy(e => e.Id)
            .Select(e => new object?[] { e.Id, e.At, e.UserName, e.Action, e.EntityName, e.EntityId, e.Summary, e.Before, e.After, e.PrevHash, e.Hash })
            .AsAsyncEnumerable();
        XlsxColumn[] columns =
        [
            new("序号", 8, XlsxType.Number), new("时间", 18, XlsxType.DateTime), new("操作人", 12), new("动作", 10), new("对象", 10), new("对象编号", 10),
            new("摘要", 40), new("变更前", 40), new("变更后", 40), new("前序哈希", 20), new("哈希", 20),
        ];
        return new HttpResultActionResult(XlsxWriter.File("审计记录", "审计记录", columns, rows, clock));
    }
}

/// <summary>Lets a page handler return a minimal-API <see cref="IResult"/> (e.g. a streamed Excel file).</summary>
public sealed class HttpResultActionResult(IResult result) : IActionResult
{
    public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
}
