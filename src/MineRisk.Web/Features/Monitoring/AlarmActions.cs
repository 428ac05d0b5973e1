using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Features.Monitoring;

public sealed record DisposeInput(string? Cause, string? Measures);

/// <summary>
/// The extension point for 报警转隐患 (issue 6 item 3): the hazards module, when it exists, registers one implementation that
/// creates a hazard (source 监测预警) from an alarm and returns its id. None is registered today, so the action is not offered
/// anywhere (no page button, no endpoint); <see cref="AlarmActions.CanRegisterHazard"/> says whether it is.
/// </summary>
public interface IAlarmHazardRegistrar
{
    Task<Result<long>> RegisterAsync(Alarm alarm, CurrentUser user, CancellationToken ct);
}

/// <summary>What people do to an alarm (确认, 处置), for the API and the pages alike. Both are audited (normal saves).</summary>
public sealed class AlarmActions(AppDbContext db, CurrentUser user, TimeProvider clock, AlarmHub hub, IEnumerable<IAlarmHazardRegistrar> hazards)
{
    /// <summary>Regulators, and an enterprise for its own mines (the scope filter sees to "own"); not 信访 or read-only users.</summary>
    public bool CanAct => Roles.Regulators.Any(user.IsInRole) || user.IsInRole(Roles.Enterprise);

    public bool CanRegisterHazard => hazards.Any();

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
