using MineRisk.Web.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

/// <summary>The form of a mine (new at <c>/mines/new</c>, edit at <c>/mines/{id}/edit</c>).</summary>
public sealed class MineForm
{
    public string? Code { get; set; }

    public string? Name { get; set; }

    public long? EnterpriseId { get; set; }

    public string? NewEnterpriseName { get; set; }

    public string? RegionCode { get; set; }

    public string? Address { get; set; }

    public double? Longitude { get; set; }

    public double? Latitude { get; set; }

    public MineStatus? Status { get; set; }

    public Disposition? Disposition { get; set; }

    public double? DesignCapacity { get; set; }

    public double? ApprovedCapacity { get; set; }

    public MiningMethod? MiningMethod { get; set; }

    public GasLevel? GasLevel { get; set; }

    public HydroType? HydroType { get; set; }

    public bool RockBurst { get; set; }

    public CombustionTendency? Combustion { get; set; }

    public StandardizationLevel? Standardization { get; set; }

    public int? ShiftPersonnelLimit { get; set; }

    public int? MiningDepth { get; set; }

    public string? Reason { get; set; }

    public int? Version { get; set; }

    public MineInput ToInput(long? enterpriseId) => new()
    {
        Code = Code, Name = Name, EnterpriseId = enterpriseId, RegionCode = RegionCode, Address = Address, Longitude = Longitude, Latitude = Latitude,
        Status = Status, Disposition = Disposition, DesignCapacity = DesignCapacity, ApprovedCapacity = ApprovedCapacity, MiningMethod = MiningMethod,
        GasLevel = GasLevel, HydroType = HydroType, RockBurst = RockBurst, Combustion = Combustion, Standardization = Standardization,
        ShiftPersonnelLimit = ShiftPersonnelLimit, MiningDepth = MiningDepth, Reason = Reason, Version = Version,
    };

    public static MineForm From(Mine m) => new()
    {
        Code = m.Code, Name = m.Name, EnterpriseId = m.EnterpriseId, RegionCode = m.RegionCode, Address = m.Address, Longitude = m.Longitude,
        Latitude = m.Latitude, Status = m.Status, Disposition = m.Disposition, DesignCapacity = m.DesignCapacity, ApprovedCapacity = m.ApprovedCapacity,
        MiningMethod = m.MiningMethod, GasLevel = m.GasLevel, HydroType = m.HydroType, RockBurst = m.RockBurst, Combustion = m.Combustion,
        Standardization = m.Standardization, ShiftPersonnelLimit = m.ShiftPersonnelLimit, MiningDepth = m.MiningDepth, Version = m.Version,
    };
}

public sealed class EditModel(AppDbContext db, MineWriter writer, RegionTree regions) : PageModel
{
    [BindProperty]
    public MineForm Form { get; set; } = new();

    public long? Id { get; private set; }

    public string? MineName { get; private set; }

    public bool IsNew => Id is null;

    public List<EnterpriseItem> Enterprises { get; private set; } = [];

    public List<RegionOption> Regions { get; private set; } = [];

    public IEnumerable<SelectListItem> Options<T>() where T : struct, Enum =>
        EnumLabels.All<T>().Select(o => new SelectListItem(o.Label, o.Value.ToString()));

    public async Task<IActionResult> OnGetAsync(long? id, CancellationToken ct)
    {
        if (!writer.CanEditMines)
        {
            return Forbid();
        }

        if (id is { } mineId)
        {
            var mine = await writer.FindAsync(mineId, ct);
            if (mine is null)
            {
                return NotFound();
            }

            Form = MineForm.From(mine);
            Id = mineId;
            MineName = mine.Name;
        }
        else
        {
            Form = new MineForm { Disposition = Disposition.Retain, Status = MineStatus.Producing };
        }

        await LoadListsAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(long? id, CancellationToken ct)
    {
        if (!writer.CanEditMines)
        {
            return Forbid();
        }

        Id = id;
        // Binding errors (text in a number field) come in English: say them in Chinese and keep the rules' messages.
        var unreadable = ModelState.Where(e => e.Value?.Errors.Count > 0).Select(e => (e.Key, e.Value!.AttemptedValue)).ToList();
        ModelState.Clear();
        foreach (var (key, attempted) in unreadable)
        {
            ModelState.AddModelError(key, $"「{attempted}」格式不正确。");
        }
        var enterpriseId = Form.EnterpriseId;
        if (enterpriseId is null && !string.IsNullOrWhiteSpace(Form.NewEnterpriseName))
        {
            var name = Form.NewEnterpriseName.Trim();
            var existing = await db.Set<Enterprise>().Where(e => e.Name == name).Select(e => (long?)e.Id).FirstOrDefaultAsync(ct);
            if (existing is null && Form.ToInput(0).Validate().Count == 0)
            {
                var enterprise = new Enterprise { Name = name, Kind = EnterpriseKind.Company };
                db.Add(enterprise);
                await db.SaveChangesAsync(ct);
                existing = enterprise.Id;
            }

            enterpriseId = existing;
        }

        if (unreadable.Count > 0)
        {
            await LoadListsAsync(ct);
            return Page();
        }

        var result = id is { } mineId ? await writer.UpdateAsync(mineId, Form.ToInput(enterpriseId), ct) : await writer.CreateAsync(Form.ToInput(enterpriseId), ct);
        if (result.TryGetError(out var error))
        {
            if (error is Platform.Errors.NotFoundError)
            {
                return NotFound();
            }

            error.AddTo(ModelState, nameof(Form));
            if (id is { } existingId)
            {
                MineName = (await writer.FindAsync(existingId, ct))?.Name;
            }

            await LoadListsAsync(ct);
            return Page();
        }

        TempData["Message"] = id is null ? "煤矿已新建。" : "煤矿信息已保存。";
        return Redirect($"/mines/{result.Value.Id}");
    }

    private async Task LoadListsAsync(CancellationToken ct)
    {
        Enterprises = (await MineViews.EnterprisesInScopeAsync(db, ct)).Where(e => e.Kind == EnterpriseKind.Company).ToList();
        if (Form.EnterpriseId is { } current && Enterprises.All(e => e.Id != current))
        {
            Enterprises.AddRange(await db.Set<Enterprise>().AsNoTracking().Where(e => e.Id == current)
                .Select(e => new EnterpriseItem(e.Id, e.Name, e.Kind, "", e.GroupId, null)).ToListAsync(ct));
        }
        Regions = await regions.AllAsync(db.Scope, RegionLevel.Township, ct);
    }
}
