using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Features.Stability.Pages;

public sealed class AssessmentsModel(AppDbContext db, CurrentUser user) : PageModel
{
    public PagedResult<AssessmentListItem> Result { get; private set; } = new([], 0, 1, 20);

    public Pager Pager { get; private set; } = null!;

    public List<MineOption> Mines { get; private set; } = [];

    public AssessmentState? State { get; private set; }

    public RiskGrade? Grade { get; private set; }

    public bool CanAssess => StabilityAccess.CanAssess(user) && !user.IsReadOnly;

    public bool IsAdmin => user.IsInRole(Roles.Admin);

    public async Task OnGetAsync(AssessmentState? state, RiskGrade? grade, int? p, CancellationToken ct)
    {
        (State, Grade) = (state, grade);
        var paging = Paging.From(p, 20);
        var (items, total) = await new AssessmentQuery(State: state, Grade: grade).PageAsync(db, paging, ct);
        Result = new PagedResult<AssessmentListItem>(items.Select(StabilityViews.Labelled).ToList(), total, paging.Page, paging.PageSize);
        Pager = Pager.For(Result, "/stability/assessments", Request.Query);
        if (CanAssess)
        {
            Mines = await db.Set<Mine>().AsNoTracking().OrderBy(m => m.Code).Select(m => new MineOption(m.Id, m.Code, m.Name)).ToListAsync(ct);
        }
    }
}
