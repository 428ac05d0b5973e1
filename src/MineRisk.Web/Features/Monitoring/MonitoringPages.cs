using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>/monitoring: the jurisdiction's mines on line and silent, open alarms by type and county; refreshed on every alarm event (SSE).</summary>
public sealed class OverviewModel(AppDbContext db, TimeProvider clock, IOptions<MonitoringOptions> options) : PageModel
{
    public OverviewData Data { get; private set; } = null!;

    /// <summary>The two charts' data for ECharts (read by monitoring.js from a data attribute: no inline script under the CSP).</summary>
    public string ChartJson => JsonSerializer.Serialize(new
    {
        byType = new { names = Data.ByType.Select(t => t.Name), values = Data.ByType.Select(t => t.Count) },
        byCounty = new { names = Data.ByCounty.Select(c => c.Name), values = Data.ByCounty.Select(c => c.Count) },
    });

    public async Task OnGetAsync(CancellationToken ct) => Data = await MonitoringViews.OverviewAsync(db, clock.GetUtcNow().UtcDateTime, options.Value.SilentAfter, ct);

    public async Task<IActionResult> OnGetSummaryAsync(CancellationToken ct)
    {
        await OnGetAsync(ct);
        return Partial("/Features/Monitoring/_Summary.cshtml", this);
    }
}

/// <summary>/monitoring/mines/{id}: every point's latest value with its sparkline, people underground by area.</summary>
public sealed class MineLiveModel(AppDbContext db, TimeProvider clock, IOptions<MonitoringOptions> options) : PageModel
{
    public MineLive Live { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var live = await MonitoringViews.LiveAsync(db, id, clock.GetUtcNow().UtcDateTime, options.Value.SilentAfter, ct);
        if (live is null)
        {
            return NotFound();
        }

        Live = live;
        return Page();
    }

    public async Task<IActionResult> OnGetPointsAsync(long id, CancellationToken ct)
    {
        var result = await OnGetAsync(id, ct);
        return result is NotFoundResult ? result : Partial("/Features/Monitoring/_Points.cshtml", this);
    }
}

/// <summary>/monitoring/alarms: the alarm ledger with filters, paging, export, and acknowledgement from the list.</summary>
public sealed class AlarmsModel(AppDbContext db, AlarmActions actions, RegionTree regions, CurrentUser user) : PageModel
{
    public AlarmFilter Filter { get; private set; } = new(null, null, null, null, null, null, null, null, null, null);

    public string? ActiveText { get; private set; }

    public PagedResult<AlarmListItem> Result { get; private set; } = new([], 0, 1, 20);

    public Pager Pager { get; private set; } = null!;

    public RegionFilter Regions { get; private set; } = RegionFilter.Empty;

    public string? MineName { get; private set; }

    public string? Error { get; private set; }

    public bool CanAct => actions.CanAct;

    public string ExportUrl => "/api/v1/alarms/export.xlsx" + Request.QueryString;

    public async Task OnGetAsync(string? active, long? mineId, string? type, string? state, string? source, string? regionCode, bool? major, string? q,
        DateOnly? from, DateOnly? to, int? p, CancellationToken ct)
    {
        ActiveText = active;
        bool? open = active switch { "true" => true, "false" => false, _ => null };
        Filter = new AlarmFilter(open, mineId, type, state, source, regionCode, major, q,
            from is { } f ? ChinaTime.StartOfDay(f) : null, to is { } t ? ChinaTime.StartOfDay(t.AddDays(1)) : null);
        var result = await MonitoringViews.ListAsync(db, Filter, Paging.From(p, 20), ct);
        if (result.TryGetValue(out var page, out var error))
        {
            Result = page;
        }
        else
        {
            Error = error.Message;
        }

        Pager = Pager.For(Result, "/monitoring/alarms", Request.Query);
        Regions = new RegionFilter(await regions.DrillDownAsync(user, Filter.RegionCode, RegionLevel.County, ct), Filter.RegionCode);
        MineName = mineId is { } id ? await db.Set<Mine>().Where(m => m.Id == id).Select(m => m.Name).SingleOrDefaultAsync(ct) : null;
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(long id, CancellationToken ct)
    {
        var result = await actions.AcknowledgeAsync(id, ct);
        var back = Request.Headers.Referer.ToString() is { Length: > 0 } referer && referer.Contains("/monitoring/alarms", StringComparison.Ordinal) ? referer : "/monitoring/alarms";
        return this.Outcome(result.Error, "报警已确认。", back, actions.CanAct);
    }
}

/// <summary>/monitoring/alarms/{id}: one alarm, its timeline, and the 确认/处置 forms.</summary>
public sealed class AlarmDetailModel(AppDbContext db, AlarmActions actions, HazardService hazards, TimeProvider clock, IOptions<HazardOptions> hazardOptions) : PageModel
{
    public AlarmListItem Alarm { get; private set; } = null!;

    public bool CanAct => actions.CanAct;

    /// <summary>报警转隐患 is offered to regulators while the alarm has no hazard yet.</summary>
    public bool CanRegisterHazard => actions.CanRegisterHazard && Alarm.HazardId is null;

    /// <summary>The hazard registered from this alarm (its number), when there is one.</summary>
    public string? HazardNumber { get; private set; }

    public IEnumerable<SelectListItem> CategoryItems => hazardOptions.Value.Categories.Select(c => new SelectListItem(c, c));

    /// <summary>Who may be named to fix it: the mine's own people first, then the regulators over it.</summary>
    public List<RectifierOption> Rectifiers { get; private set; } = [];

    public IEnumerable<SelectListItem> RectifierItems =>
        Rectifiers.Select(r => new SelectListItem($"{r.Name}（{r.Organisation}）", r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Why the hazard form was refused (shown in the form; the fields concerned are marked too).</summary>
    public string? HazardError { get; private set; }

    [BindProperty]
    public DisposeForm Form { get; set; } = new();

    [BindProperty]
    public HazardForm Hazard { get; set; } = new();

    public sealed class DisposeForm
    {
        public string? Cause { get; set; }

        public string? Measures { get; set; }
    }

    public sealed class HazardForm
    {
        public string? ProfessionalCategory { get; set; }

        public DateOnly? Deadline { get; set; }

        public long? RectifierUserId { get; set; }

        public string? Location { get; set; }

        public string? Description { get; set; }

        public string? Measures { get; set; }
    }

    public async Task<IActionResult> OnGetAsync(long id, CancellationToken ct)
    {
        var alarm = await MonitoringViews.AlarmAsync(db, id, ct);
        if (alarm is null)
        {
            return NotFound();
        }

        Alarm = alarm;
        HazardNumber = alarm.HazardId is { } hazardId ? await db.Set<Hazard>().Where(h => h.Id == hazardId).Select(h => h.Number).SingleOrDefaultAsync(ct) : null;
        if (CanRegisterHazard)
        {
            var mine = await db.Set<Mine>().SingleAsync(m => m.Id == alarm.MineId, ct);
            Rectifiers = await hazards.RectifiersForAsync(mine, ct);
        }

        if (CanRegisterHazard && HazardError is null)
        {
            // The form's defaults: the alarm's place and words, a week to fix, the category its sensor suggests.
            var entity = await db.Set<Alarm>().AsNoTracking().SingleAsync(a => a.Id == id, ct);
            var sensor = entity.PointId is { } pointId ? await db.Set<MonitoringPoint>().Where(p => p.Id == pointId).Select(p => p.SensorType).SingleOrDefaultAsync(ct) : null;
            Hazard = new HazardForm
            {
                ProfessionalCategory = actions.SuggestedCategory(alarm.Type, sensor),
                Deadline = ChinaTime.DateOf(clock.GetUtcNow().UtcDateTime).AddDays(7),
                RectifierUserId = Rectifiers.FirstOrDefault()?.Id,
                Location = AlarmActions.DefaultLocation(entity),
                Description = AlarmActions.DefaultDescription(entity),
            };
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAcknowledgeAsync(long id, CancellationToken ct) =>
        this.Outcome((await actions.AcknowledgeAsync(id, ct)).Error, "报警已确认。", $"/monitoring/alarms/{id}", actions.CanAct);

    public async Task<IActionResult> OnPostDisposeAsync(long id, CancellationToken ct)
    {
        var result = await actions.DisposeAsync(id, new DisposeInput(Form.Cause, Form.Measures), ct);
        if (result.TryGetError(out var error) && error is ValidationError)
        {
            error.AddTo(ModelState, nameof(Form));
            return await OnGetAsync(id, ct);
        }

        return this.Outcome(result.Error, "报警已处置。", $"/monitoring/alarms/{id}", actions.CanAct);
    }

    public async Task<IActionResult> OnPostRegisterHazardAsync(long id, CancellationToken ct)
    {
        var result = await actions.RegisterHazardAsync(id, new AlarmHazardInput(Hazard.ProfessionalCategory, Hazard.Deadline, Hazard.Location, Hazard.Description, Hazard.Measures, Hazard.RectifierUserId), ct);
        if (!result.TryGetValue(out var registered, out var error))
        {
            if (error is ValidationError)
            {
                HazardError = error.Message;
                error.AddTo(ModelState, nameof(Hazard));
                return await OnGetAsync(id, ct);
            }

            return this.Outcome(error, "", $"/monitoring/alarms/{id}", actions.CanRegisterHazard);
        }

        return this.Outcome(null, $"已登记为隐患 {registered.HazardNumber}（来源：监测预警）。", $"/monitoring/alarms/{id}", true);
    }
}

/// <summary>/monitoring/mines/{id}/files: what a mine sent, accepted and rejected with reasons, and (regulators) its upload keys.</summary>
public sealed class FeedFilesModel(AppDbContext db, UploadKeys keys, CurrentUser user) : PageModel
{
    public FeedFilesData Data { get; private set; } = null!;

    public Pager Pager { get; private set; } = null!;

    public string? StatusText { get; private set; }

    public bool CanManageKeys => UploadKeys.MayManage(user);

    public List<UploadKeyView> Keys { get; private set; } = [];

    /// <summary>A key just created: shown on this response only, never again.</summary>
    public NewUploadKey? NewKey { get; private set; }

    public async Task<IActionResult> OnGetAsync(long id, string? status, int? p, CancellationToken ct)
    {
        StatusText = status;
        FeedStatus? parsed = EnumLabels.TryParse<FeedStatus>(status, out var s) ? s : null;
        var data = await MonitoringViews.FilesAsync(db, id, parsed, Paging.From(p, 30), ct);
        if (data is null)
        {
            return NotFound();
        }

        Data = data;
        Pager = Pager.For(data.Files, $"/monitoring/mines/{id}/files", Request.Query);
        Keys = CanManageKeys ? await UploadKeys.ListAsync(db, id, ct) : [];
        return Page();
    }

    public async Task<IActionResult> OnPostCreateKeyAsync(long id, string? note, CancellationToken ct)
    {
        var result = await keys.CreateAsync(db, user, id, note, ct);
        if (result.TryGetError(out var error))
        {
            return this.Outcome(error, "", $"/monitoring/mines/{id}/files", CanManageKeys);
        }

        NewKey = result.Value;
        return await OnGetAsync(id, null, null, ct);
    }

    public async Task<IActionResult> OnPostRevokeKeyAsync(long id, long keyId, CancellationToken ct)
    {
        var result = await keys.RevokeAsync(db, user, id, keyId, ct);
        return this.Outcome(result.Error, "上传密钥已吊销，使用它的上传将被拒收。", $"/monitoring/mines/{id}/files#keys", CanManageKeys);
    }
}

/// <summary>What the alarm pages share.</summary>
internal static class AlarmPages
{
    /// <summary>The badge colour of an alarm state.</summary>
    public static string StateCss(AlarmState state) => state switch
    {
        AlarmState.Active => "text-bg-danger",
        AlarmState.Acknowledged => "text-bg-warning",
        AlarmState.Cleared => "text-bg-info",
        _ => "text-bg-secondary",
    };
}
