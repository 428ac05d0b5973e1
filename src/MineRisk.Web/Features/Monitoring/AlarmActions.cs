using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Monitoring;

public sealed record DisposeInput(string? Cause, string? Measures);

/// <summary>
/// 报警转隐患: what the hazard needs beyond the alarm. Location and description default to the alarm's; 整改期限 and 专业类别 are the
/// registering regulator's call (the hazard ledger's rules apply unchanged).
/// </summary>
public sealed record AlarmHazardInput(string? ProfessionalCategory, DateOnly? Deadline, string? Location = null, string? Description = null,
    string? Measures = null, long? RectifierUserId = null);

/// <summary>The hazard an alarm was registered as.</summary>
public sealed record AlarmHazard(long AlarmId, long HazardId, string HazardNumber);

/// <summary>What people do to an alarm (确认, 处置, 转隐患), for the API and the pages alike. All are audited.</summary>
public sealed class AlarmActions(AppDbContext db, CurrentUser user, TimeProvider clock, AlarmHub hub, HazardService hazards, IOptions<HazardOptions> hazardOptions)
{
    /// <summary>Regulators, and an enterprise for its own mines (the scope filter sees to "own"); not 信访 or read-only users.</summary>
    public bool CanAct => Roles.Regulators.Any(user.IsInRole) || user.IsInRole(Roles.Enterprise);

    /// <summary>
    /// Regulators only: a hazard of source 监测预警 is a regulator's finding; an enterprise registers its own as 企业自查 in the
    /// hazard ledger (the ledger refuses any other source from it).
    /// </summary>
    public bool CanRegisterHazard => HazardAccess.CanWork(user) && HazardAccess.IsRegulator(user);

    /// <summary>The 专业类别 an alarm most likely belongs to (a suggestion for the form; null when none fits the configured list).</summary>
    public string? SuggestedCategory(AlarmType type, string? sensorType)
    {
        var sensor = sensorType ?? "";
        bool Has(params string[] words) => words.Any(w => sensor.Contains(w, StringComparison.Ordinal));
        var category = type switch
        {
            AlarmType.Overcrowded or AlarmType.LeaderAbsent => "安全管理",
            AlarmType.PointSilent or AlarmType.MineSilent => "机电",
            _ when Has("甲烷", "瓦斯") => "瓦斯",
            _ when Has("一氧化碳", "温度", "烟雾", "二氧化碳", "氧气") => "防灭火",
            _ when Has("风速", "风压", "风门", "风筒", "局扇", "主扇", "主通风机", "局部通风机") => "通风",
            _ when Has("馈电", "开关", "断电", "设备", "电压", "电流") => "机电",
            _ when Has("水", "涌水") => "防治水",
            _ when Has("顶板", "压力", "离层", "应力") => "顶板",
            _ => "其他",
        };
        return hazardOptions.Value.Categories.Contains(category) ? category : null;
    }

    /// <summary>
    /// 报警转隐患 (issue 6 item 3): registers a hazard of source 监测预警 through the hazard ledger (its checks, numbering, deadline
    /// and audit), found when the condition began, and links it to the alarm. Once per alarm: a second attempt, even a concurrent
    /// one, is refused and leaves no second hazard (both happen in one transaction).
    /// </summary>
    public async Task<Result<AlarmHazard>> RegisterHazardAsync(long id, AlarmHazardInput input, CancellationToken ct)
    {
        var alarm = await db.Set<Alarm>().AsNoTracking().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alarm is null)
        {
            return new NotFoundError("未找到该报警，或它不在您的管辖范围内。");
        }

        if (!CanRegisterHazard)
        {
            return new ForbiddenError("只有监管部门可以将报警登记为隐患（来源：监测预警）；企业请在隐患排查治理中按企业自查登记。");
        }

        if (alarm.HazardId is not null)
        {
            return new ConflictError("该报警已登记为隐患，不能重复登记。");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var location = string.IsNullOrWhiteSpace(input.Location) ? DefaultLocation(alarm) : input.Location;
        var description = string.IsNullOrWhiteSpace(input.Description) ? DefaultDescription(alarm) : input.Description;
        var foundAt = DateTime.SpecifyKind(alarm.StartedAt < now ? alarm.StartedAt : now, DateTimeKind.Utc);
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var created = await hazards.CreateAsync(new HazardInput(alarm.MineId, location, description, HazardSource.Monitoring, input.ProfessionalCategory, foundAt,
            "监测预警系统", input.Deadline, input.Measures, null, null, null, input.RectifierUserId), ct);
        if (!created.TryGetValue(out var hazard, out var error))
        {
            return error;
        }

        // The guard is in the UPDATE itself: of two concurrent registrations one links, the other rolls back its hazard.
        var linked = await db.Set<Alarm>().Where(a => a.Id == id && a.HazardId == null).ExecuteUpdateAsync(s => s.SetProperty(a => a.HazardId, hazard.Id), ct);
        if (linked == 0)
        {
            return new ConflictError("该报警刚刚已被登记为隐患，不能重复登记。");
        }

        await transaction.CommitAsync(ct);
        return new AlarmHazard(alarm.Id, hazard.Id, hazard.Number);
    }

    /// <summary>The hazard's location when the regulator writes none: the alarm's subject, or the whole mine.</summary>
    public static string DefaultLocation(Alarm alarm) => alarm.SubjectName is { Length: > 0 } subject ? subject : "全矿";

    /// <summary>The hazard's description when the regulator writes none: what the alarm said, where it came from.</summary>
    public static string DefaultDescription(Alarm alarm) =>
        $"监测预警：{alarm.Message}（报警编号 {alarm.Id}，{alarm.Type.Label()}，开始于 {ChinaTime.Format(alarm.StartedAt)}）";

    public Task<Result<Alarm>> AcknowledgeAsync(long id, CancellationToken ct) =>
        ActAsync(id, AlarmEvent.Acknowledged, a => a.Acknowledge(user.Id, user.DisplayName, clock.GetUtcNow().UtcDateTime), ct);

    public Task<Result<Alarm>> DisposeAsync(long id, DisposeInput input, CancellationToken ct) =>
        ActAsync(id, AlarmEvent.Disposed, a => a.Dispose(input.Cause, input.Measures, user.Id, user.DisplayName, clock.GetUtcNow().UtcDateTime), ct);

    private async Task<Result<Alarm>> ActAsync(long id, string change, Func<Alarm, Result> act, CancellationToken ct)
    {
        var alarm = await db.Set<Alarm>().SingleOrDefaultAsync(a => a.Id == id, ct);
        if (alarm is null)
        {
            return new NotFoundError("未找到该报警，或它不在您的管辖范围内。");
        }

        if (!CanAct)
        {
            return new ForbiddenError("只有监管部门和煤矿企业可以确认或处置报警。");
        }

        if (act(alarm).TryGetError(out var error))
        {
            return error;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ConflictError("报警状态刚刚发生了变化（例如已自动解除），请刷新后再操作。");
        }

        var mineName = await db.Set<Mines.Mine>().Where(m => m.Id == alarm.MineId).Select(m => m.Name).SingleAsync(ct);
        hub.Publish([AlarmEvent.Of(change, alarm, mineName, clock.GetUtcNow().UtcDateTime)]);
        return alarm;
    }
}
