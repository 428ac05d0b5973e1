using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;

namespace MineRisk.Web.Features.Mines.Sections;

public sealed record LicenceRow(LicenceView Licence, DeadlineStatus? Status);

public sealed record LicencesSection(long MineId, bool CanEdit, IReadOnlyList<LicenceRow> Rows);

public sealed record PersonsSection(long MineId, bool CanEdit, IReadOnlyList<KeyPersonView> Persons);

public sealed record PlanSection(long MineId, bool CanEdit, Disposition Disposition, PlanView? Plan);

public sealed record HistorySection(IReadOnlyList<MineChangeView> Changes);

/// <summary>证照 on the mine page, with the renewal deadline's status.</summary>
public sealed class MineLicencesViewComponent(AppDbContext db, MineWriter writer, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var licences = await db.Set<MineLicence>().AsNoTracking().Where(l => l.MineId == mineId).OrderBy(l => l.Kind).ToListAsync();
        var ids = licences.Where(l => l.DeadlineId != null).Select(l => l.DeadlineId!.Value).ToList();
        var deadlines = await db.Deadlines.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id);
        var rows = licences.Select(l => new LicenceRow(new LicenceView(l.Id, l.Kind, l.Kind.Label(), l.Number, l.IssuedBy, l.ExpiresOn),
            l.DeadlineId is { } d && deadlines.TryGetValue(d, out var deadline) ? deadline.StatusAt(now) : null)).ToList();
        return View("/Features/Mines/Sections/Licences.cshtml", new LicencesSection(mineId, writer.CanEditDetails, rows));
    }
}

/// <summary>关键岗位人员 on the mine page.</summary>
public sealed class MineKeyPersonsViewComponent(AppDbContext db, MineWriter writer) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId)
    {
        var persons = (await db.Set<KeyPerson>().AsNoTracking().Where(p => p.MineId == mineId).OrderBy(p => p.Position).ThenBy(p => p.Id).ToListAsync())
            .Select(p => new KeyPersonView(p.Id, p.Position, p.Position.Label(), p.Name, KeyPerson.Mask(p.IdNumber), p.Education, p.Education.Label(),
                p.MiningMajor, p.YearsExperience, p.FullTime, p.RegisteredSafetyEngineer)).ToList();
        return View("/Features/Mines/Sections/Persons.cshtml", new PersonsSection(mineId, writer.CanEditDetails, persons));
    }
}

/// <summary>处置方案 (一矿一方案) on the mine page.</summary>
public sealed class MinePlanViewComponent(AppDbContext db, MineWriter writer, TimeProvider clock) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId)
    {
        var disposition = await db.Set<Mine>().Where(m => m.Id == mineId).Select(m => m.Disposition).SingleAsync();
        var plan = await PlanView.LoadAsync(db, mineId, clock.GetUtcNow().UtcDateTime, default);
        return View("/Features/Mines/Sections/Plan.cshtml", new PlanSection(mineId, writer.CanEditMines, disposition, plan));
    }
}

/// <summary>变更历史 (status, capacity, disposition) on the mine page.</summary>
public sealed class MineHistoryViewComponent(AppDbContext db) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(long mineId) =>
        View("/Features/Mines/Sections/History.cshtml", new HistorySection(await MineViews.HistoryAsync(db, mineId, default)));
}
