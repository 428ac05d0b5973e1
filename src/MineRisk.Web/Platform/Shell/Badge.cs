using Microsoft.AspNetCore.Html;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Web.Platform.Shell;

/// <summary>
/// The coloured status badges of lists and pages, one method per kind. Written as plain HTML rather than partial views:
/// a list page of 20 rows rendered 60 partials, a tenth of its CPU (perf of /mines under wrk).
/// </summary>
public static class Badge
{
    /// <summary><c>&lt;span class="badge {css}" {attributes}&gt;{text}&lt;/span&gt;</c>, the text encoded.</summary>
    public static IHtmlContent Of(string css, string text, string? attributes = null) =>
        new HtmlString($"<span class=\"badge {css}\"{(attributes is null ? "" : " " + attributes)}>{HtmlText.Encoder.Encode(text)}</span>");

    /// <summary>生产状态.</summary>
    public static IHtmlContent For(MineStatus status) => Of(status switch
    {
        MineStatus.Producing => "text-bg-success",
        MineStatus.UnderConstruction or MineStatus.TechnicalUpgrade => "text-bg-info",
        MineStatus.SuspendedForRectification => "text-bg-warning",
        MineStatus.Closed => "text-bg-secondary",
        _ => "text-bg-light border",
    }, status.Label());

    /// <summary>处置类别.</summary>
    public static IHtmlContent For(Disposition disposition) => Of(disposition switch
    {
        Disposition.CloseExit => "text-bg-danger",
        Disposition.Merge => "text-bg-warning",
        _ => "text-bg-primary",
    }, disposition.Label());

    /// <summary>风险等级 (未评估 without an approved assessment).</summary>
    public static IHtmlContent For(RiskGrade? grade) => grade is { } g
        ? Of(g switch
        {
            RiskGrade.High => "text-bg-danger",
            RiskGrade.Medium => "text-bg-warning",
            _ => "text-bg-success",
        }, g.Label(), $"data-grade=\"{g}\"")
        : Of("text-bg-light border text-muted", "未评估");

    /// <summary>隐患等级 (待定级 before grading).</summary>
    public static IHtmlContent For(HazardLevel? level) => level switch
    {
        HazardLevel.Major => Of("text-bg-danger", "重大"),
        HazardLevel.General => Of("text-bg-secondary", "一般"),
        _ => Of("text-bg-light border", "待定级"),
    };

    /// <summary>不稳定因素的办理状态.</summary>
    public static IHtmlContent For(ConflictState state) => Of(state switch
    {
        ConflictState.Registered => "text-bg-secondary",
        ConflictState.Resolving => "text-bg-primary",
        ConflictState.Claimed => "text-bg-warning",
        _ => "text-bg-success",
    }, state.Label(), "data-testid=\"conflict-state\"");

    /// <summary>期限状态: 正常 / 临期 / 超期 / 暂停 / 已办结.</summary>
    public static IHtmlContent For(DeadlineStatus status) => Of(status switch
    {
        DeadlineStatus.Normal => "badge-normal",
        DeadlineStatus.DueSoon => "badge-duesoon",
        DeadlineStatus.Overdue => "badge-overdue",
        DeadlineStatus.Paused => "badge-paused",
        _ => "badge-done",
    }, status.Label());
}
