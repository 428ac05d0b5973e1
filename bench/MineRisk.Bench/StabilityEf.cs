using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Bench;

/// <summary>
/// The stability API's own query code (ConflictQuery, StabilityViews; the assessment list as StabilityApi builds it)
/// run in this process on a new AppDbContext per call, configured as DatabaseSetup configures it: the API without
/// HTTP, authentication and JSON. With <see cref="Capture"/>, prints the SQL EF sends (the source of StabilitySql).
/// </summary>
public sealed class StabilityEf(Provider provider, string connectionString, Scope scope, bool capture = false)
{
    private readonly DbContextOptions<AppDbContext> _options = EfList.Options(provider, connectionString, capture);
    private RegionTree? _regions;

    /// <summary>Runs one case; returns its time in ms and its answer (<see cref="Answer"/>).</summary>
    public async Task<(double Ms, string Answer)> RunAsync(StabilityKind kind, StabilityFilter f, DateTime nowUtc)
    {
        var watch = Stopwatch.StartNew();
        await using var db = new AppDbContext(_options)
        {
            Scope = new UserScope(scope.Low, scope.High, scope.EnterpriseId, null, false, "bench"),
        };
        var today = DateOnly.FromDateTime(ChinaTime.ToChina(nowUtc));
        string answer;
        switch (kind)
        {
            case StabilityKind.Conflicts:
            {
                var query = new ConflictQuery(f.RegionCode, f.MineId, (ConflictCategory?)f.Category, (ConflictState?)f.State, f.Open, f.Overdue, null, null, f.Q);
                var paging = Paging.From(f.Page, f.PageSize);
                var (items, total) = await query.PageAsync(db, today, paging, CancellationToken.None);
                var result = new PagedResult<ConflictListItem>(items.Select(StabilityViews.Labelled).ToList(), total, paging.Page, paging.PageSize);
                answer = Answer.List(result.Total, result.Items.Select(i => i.Id));
                break;
            }

            case StabilityKind.Assessments:
            {
                var query = new AssessmentQuery(f.MineId, (AssessmentState?)f.State, (RiskGrade?)f.Grade, f.RegionCode);
                var paging = Paging.From(f.Page, f.PageSize);
                var (items, total) = await query.PageAsync(db, paging, CancellationToken.None);
                var result = new PagedResult<AssessmentListItem>(items.Select(StabilityViews.Labelled).ToList(), total, paging.Page, paging.PageSize);
                answer = Answer.List(result.Total, result.Items.Select(i => i.Id));
                break;
            }

            case StabilityKind.Monthly:
            {
                var month = f.Month ?? new DateOnly(today.Year, today.Month, 1);
                var summary = await StabilityViews.MonthlyAsync(db, month, f.RegionCode, nowUtc, CancellationToken.None);
                answer = Answer.Monthly(summary.Rows.Select(r => new MonthlyRow(r.CountyCode, (int)r.Category, r.Open, r.New, r.Closed, r.Overdue, r.Amount, r.Persons)));
                break;
            }

            default:
            {
                _regions ??= new RegionTree(new PooledDbContextFactory<AppDbContext>(_options)); // as the app's: loaded once, then in memory
                var grades = await StabilityViews.GradesAsync(db, _regions, f.RegionCode, CancellationToken.None);
                answer = Answer.Grades(grades.High, grades.Medium, grades.Low, grades.Unassessed);
                break;
            }
        }

        return (watch.Elapsed.TotalMilliseconds, answer);
    }
}

/// <summary>One row of the monthly summary as the bench compares it.</summary>
public sealed record MonthlyRow(string County, int Category, int Open, int New, int Closed, int Overdue, double Amount, int Persons);

/// <summary>
/// The answer of a case as one comparable text, whoever computed it (the API's JSON, raw SQL, EF in process): for a
/// list the total and the ids of the page in order; for the monthly summary every row; for the grades the four counts.
/// </summary>
public static class Answer
{
    public static string List(int total, IEnumerable<long> ids) => $"total {total}; ids {string.Join(",", ids)}";

    public static string Monthly(IEnumerable<MonthlyRow> rows) => string.Join("\n", rows.OrderBy(r => r.County, StringComparer.Ordinal).ThenBy(r => r.Category)
        .Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.County} {r.Category}: open {r.Open} new {r.New} closed {r.Closed} overdue {r.Overdue} amount {Math.Round(r.Amount, 2):0.##} persons {r.Persons}")));

    public static string Grades(int high, int medium, int low, int unassessed) => $"high {high} medium {medium} low {low} unassessed {unassessed}";
}
