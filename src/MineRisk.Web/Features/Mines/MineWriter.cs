using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Deadlines;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Regions;

namespace MineRisk.Web.Features.Mines;

public sealed record LicenceInput(LicenceKind? Kind, string? Number, string? IssuedBy, DateOnly? ExpiresOn);

public sealed record KeyPersonInput(KeyPosition? Position, string? Name, string? IdNumber, Education? Education, bool? MiningMajor,
    int? YearsExperience, bool? FullTime, bool? RegisteredSafetyEngineer);

public sealed record PlanInput(string? Summary, string? SurvivingEntity, string? PartnerMineCodes, IReadOnlyList<MilestoneInput>? Milestones);

public sealed record MilestoneInput(string? Name, DateOnly? DueOn);

/// <summary>
/// Every change to the registry goes through here (the API, the pages and the Excel import): checks against the
/// database (unique code, enterprise, township in the caller's jurisdiction), history of status/capacity/disposition,
/// licence deadlines in the deadline engine, and the disposition plan's milestone deadlines.
/// </summary>
/// <summary>
/// A precondition another module puts on starting a disposition milestone (e.g. the stability module's “一纳入”:
/// no disposition step without a recent approved risk assessment).
/// </summary>
public interface IMilestoneGuard
{
    Task<Error?> CheckStartAsync(long mineId, CancellationToken ct);
}

public sealed class MineWriter(AppDbContext db, CurrentUser user, TimeProvider clock, DeadlineService deadlines, IOptions<MineOptions> options,
    IEnumerable<IMilestoneGuard> milestoneGuards)
{
    public const string LicenceSubject = "licence";
    public const string MilestoneSubject = "milestone";

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>May the current user change the registry's facts of a mine (regulators only)?</summary>
    public bool CanEditMines => Roles.Regulators.Any(user.IsInRole);

    /// <summary>May the current user change licences and key personnel (regulators, and an enterprise for its own mines)?</summary>
    public bool CanEditDetails => CanEditMines || user.IsInRole(Roles.Enterprise);

    public Task<Mine?> FindAsync(long id, CancellationToken ct) => db.Set<Mine>().SingleOrDefaultAsync(m => m.Id == id, ct);

    public async Task<Result<Mine>> CreateAsync(MineInput input, CancellationToken ct)
    {
        if (!CanEditMines)
        {
            return new ForbiddenError("只有监管部门可以新建煤矿。");
        }

        if (await CheckAsync(input, null, ct) is { } error)
        {
            return error;
        }

        var now = Now;
        var mine = new Mine { Code = "", Name = "", RegionCode = input.RegionCode!, CreatedAt = now };
        mine.Apply(input, input.EnterpriseId!.Value, null, user.Id, user.DisplayName, now);
        mine.Version = 1;
        db.Add(mine);
        await db.SaveChangesAsync(ct);
        return mine;
    }

    public async Task<Result<Mine>> UpdateAsync(long id, MineInput input, CancellationToken ct)
    {
        var mine = await FindAsync(id, ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        if (!CanEditMines)
        {
            return new ForbiddenError("只有监管部门可以修改煤矿基本信息。");
        }

        if (input.Version is null)
        {
            return ValidationError.For("version", "请提交所编辑数据的版本号（version），以免覆盖他人的修改。");
        }

        if (input.Version != mine.Version)
        {
            return new ConflictError($"该煤矿的信息已被他人修改（当前版本 {mine.Version}，您编辑的是版本 {input.Version}）。请刷新后在最新数据上重新修改。");
        }

        if (await CheckAsync(input, mine, ct) is { } error)
        {
            return error;
        }

        var moved = mine.RegionCode != input.RegionCode || mine.EnterpriseId != input.EnterpriseId;
        var changes = mine.Apply(input, input.EnterpriseId!.Value, input.Reason, user.Id, user.DisplayName, Now);
        db.AddRange(changes);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return new ConflictError("该煤矿的信息刚刚被他人修改，请刷新后在最新数据上重新修改。");
        }

        if (moved)
        {
            await PropagateScopeAsync(mine, ct);
        }

        return mine;
    }

    /// <summary>The checks that need the database; null when all pass.</summary>
    private async Task<Error?> CheckAsync(MineInput input, Mine? existing, CancellationToken ct)
    {
        var errors = input.Validate();
        void Add(string field, string message) => errors[field] = [.. errors.GetValueOrDefault(field) ?? [], message];
        if (!errors.ContainsKey("code"))
        {
            var code = input.Code!.Trim();
            var other = await db.Set<Mine>().IgnoreQueryFilters().Where(m => m.Code == code && (existing == null || m.Id != existing.Id))
                .Select(m => m.Name).FirstOrDefaultAsync(ct);
            if (other is not null)
            {
                Add("code", $"煤矿编码「{code}」已被「{other}」使用。");
            }
        }

        if (!errors.ContainsKey("regionCode"))
        {
            var region = await db.Regions.Where(r => r.Code == input.RegionCode).Select(r => new { r.Level }).SingleOrDefaultAsync(ct);
            if (region is null)
            {
                Add("regionCode", $"所在乡镇「{input.RegionCode}」不存在，或不在您的管辖范围内。");
            }
            else if (region.Level != RegionLevel.Township)
            {
                Add("regionCode", "煤矿所在地须选到乡镇（街道）一级。");
            }
        }

        if (!errors.ContainsKey("enterpriseId") && !await db.Set<Enterprise>().AnyAsync(e => e.Id == input.EnterpriseId, ct))
        {
            Add("enterpriseId", "所属企业不存在。");
        }

        if (existing is not null && existing.NeedsReason(input) && string.IsNullOrWhiteSpace(input.Reason))
        {
            Add("reason", "修改生产状态、处置类别或产能时，须填写变更原因。");
        }

        return errors.Count == 0 ? null : new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
    }

    /// <summary>After a mine moves to another township or enterprise, its items move with it (their jurisdiction is copied).</summary>
    private async Task PropagateScopeAsync(Mine mine, CancellationToken ct)
    {
        var (region, enterprise, id) = (mine.RegionCode, mine.EnterpriseId, mine.Id);
        await db.Set<MineLicence>().IgnoreQueryFilters().Where(x => x.MineId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RegionCode, region).SetProperty(x => x.EnterpriseId, enterprise), ct);
        await db.Set<KeyPerson>().IgnoreQueryFilters().Where(x => x.MineId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RegionCode, region).SetProperty(x => x.EnterpriseId, enterprise), ct);
        await db.Set<MineChange>().IgnoreQueryFilters().Where(x => x.MineId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RegionCode, region).SetProperty(x => x.EnterpriseId, enterprise), ct);
        await db.Set<DispositionPlan>().IgnoreQueryFilters().Where(x => x.MineId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RegionCode, region).SetProperty(x => x.EnterpriseId, enterprise), ct);
        await db.Set<Milestone>().IgnoreQueryFilters().Where(x => x.MineId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RegionCode, region).SetProperty(x => x.EnterpriseId, enterprise), ct);
        await db.Deadlines.IgnoreQueryFilters().Where(x => x.MineId == id).ExecuteUpdateAsync(s => s.SetProperty(x => x.RegionCode, region).SetProperty(x => x.EnterpriseId, enterprise), ct);
    }

    /// <summary>The county regulator body of a township (where licence and plan deadlines go).</summary>
    public Task<long?> RegulatorOrganisationAsync(string townshipCode, CancellationToken ct) => RegulatorOrganisationAsync(db, townshipCode, ct);

    /// <summary>The county emergency bureau above a township.</summary>
    public static async Task<long?> RegulatorOrganisationAsync(AppDbContext db, string townshipCode, CancellationToken ct)
    {
        var county = await db.Regions.IgnoreQueryFilters().Where(r => r.Code == townshipCode).Select(r => r.ParentCode).SingleOrDefaultAsync(ct);
        return await db.Organisations.IgnoreQueryFilters()
            .Where(o => o.RegionCode == county && o.Kind == OrganisationKind.EmergencyBureau)
            .Select(o => (long?)o.Id).FirstOrDefaultAsync(ct);
    }

    // ---- licences -------------------------------------------------------------------------------------------

    public async Task<Result<MineLicence>> SaveLicenceAsync(long mineId, long? licenceId, LicenceInput input, CancellationToken ct)
    {
        var mine = await FindAsync(mineId, ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        if (!CanEditDetails)
        {
            return new ForbiddenError("您的角色不能修改证照信息。");
        }

        var errors = new Dictionary<string, string[]>();
        if (input.Kind is null || !Enum.IsDefined(input.Kind.Value))
        {
            errors["kind"] = [$"请选择证照类型（{string.Join("、", EnumLabels.All<LicenceKind>().Select(k => k.Label))}）。"];
        }

        if (string.IsNullOrWhiteSpace(input.Number) || input.Number.Trim().Length > 60)
        {
            errors["number"] = ["请填写证照编号（不超过 60 个字符）。"];
        }

        if (input.ExpiresOn is null)
        {
            errors["expiresOn"] = ["请填写有效期截止日期。"];
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        MineLicence licence;
        if (licenceId is { } lid)
        {
            var found = await db.Set<MineLicence>().SingleOrDefaultAsync(l => l.Id == lid && l.MineId == mineId, ct);
            if (found is null)
            {
                return new NotFoundError("未找到该证照。");
            }

            licence = found;
        }
        else
        {
            if (await db.Set<MineLicence>().AnyAsync(l => l.MineId == mineId && l.Kind == input.Kind, ct))
            {
                return new ConflictError($"该煤矿已登记{input.Kind!.Value.Label()}，请修改原记录。");
            }

            licence = new MineLicence { MineId = mineId, RegionCode = mine.RegionCode, EnterpriseId = mine.EnterpriseId, Number = "" };
            db.Add(licence);
        }

        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        var expiryChanged = licence.ExpiresOn != input.ExpiresOn || licence.Kind != input.Kind;
        licence.Kind = input.Kind!.Value;
        licence.Number = input.Number!.Trim();
        licence.IssuedBy = string.IsNullOrWhiteSpace(input.IssuedBy) ? null : input.IssuedBy.Trim();
        licence.ExpiresOn = input.ExpiresOn!.Value;
        await db.SaveChangesAsync(ct);
        if (expiryChanged)
        {
            await ReplaceLicenceDeadlineAsync(mine, licence, ct);
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return licence;
    }

    public async Task<Result> DeleteLicenceAsync(long mineId, long licenceId, CancellationToken ct)
    {
        if (!CanEditDetails)
        {
            return new ForbiddenError("您的角色不能修改证照信息。");
        }

        var licence = await db.Set<MineLicence>().SingleOrDefaultAsync(l => l.Id == licenceId && l.MineId == mineId, ct);
        if (licence is null)
        {
            return new NotFoundError("未找到该证照。");
        }

        await CompleteDeadlineAsync(licence.DeadlineId, ct);
        db.Remove(licence);
        await db.SaveChangesAsync(ct);
        return Result.Ok;
    }

    /// <summary>A renewed licence closes the old renewal deadline and opens one for the new expiry date.</summary>
    private async Task ReplaceLicenceDeadlineAsync(Mine mine, MineLicence licence, CancellationToken ct)
    {
        await CompleteDeadlineAsync(licence.DeadlineId, ct);
        var deadline = deadlines.Open(LicenceSubject, licence.Id, $"{mine.Name}{licence.Kind.Label()}到期换证", licence,
            DeadlineService.EndOf(licence.ExpiresOn), organisationId: await RegulatorOrganisationAsync(mine.RegionCode, ct), mineId: mine.Id,
            link: $"/mines/{mine.Id}", warnBefore: TimeSpan.FromDays(options.Value.LicenceWarnDays));
        await db.SaveChangesAsync(ct);
        licence.DeadlineId = deadline.Id;
    }

    private async Task CompleteDeadlineAsync(long? deadlineId, CancellationToken ct)
    {
        if (deadlineId is { } id && await db.Deadlines.SingleOrDefaultAsync(d => d.Id == id, ct) is { CompletedAt: null } open)
        {
            open.Complete(Now);
        }
    }

    // ---- key personnel --------------------------------------------------------------------------------------

    public async Task<Result<KeyPerson>> SavePersonAsync(long mineId, long? personId, KeyPersonInput input, CancellationToken ct)
    {
        var mine = await FindAsync(mineId, ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        if (!CanEditDetails)
        {
            return new ForbiddenError("您的角色不能修改关键岗位人员。");
        }

        var errors = new Dictionary<string, string[]>();
        if (input.Position is null || !Enum.IsDefined(input.Position.Value))
        {
            errors["position"] = ["请选择岗位。"];
        }

        if (string.IsNullOrWhiteSpace(input.Name) || input.Name.Trim().Length > 50)
        {
            errors["name"] = ["请填写姓名（不超过 50 个字）。"];
        }

        if (input.IdNumber is { Length: > 0 } idNumber && !IdNumbers.IsValid(idNumber.Trim()))
        {
            errors["idNumber"] = ["身份证号应为 18 位，最后一位可以是数字或 X，且校验码正确。"];
        }

        if (input.Education is null || !Enum.IsDefined(input.Education.Value))
        {
            errors["education"] = ["请选择学历。"];
        }

        if (input.YearsExperience is not { } years || years < 0 || years > 60)
        {
            errors["yearsExperience"] = ["煤矿相关工作年限应为 0～60 之间的整数。"];
        }

        if (errors.Count > 0)
        {
            return new ValidationError(string.Join("", errors.Values.SelectMany(v => v)), errors);
        }

        KeyPerson person;
        if (personId is { } pid)
        {
            var found = await db.Set<KeyPerson>().SingleOrDefaultAsync(p => p.Id == pid && p.MineId == mineId, ct);
            if (found is null)
            {
                return new NotFoundError("未找到该人员。");
            }

            person = found;
        }
        else
        {
            person = new KeyPerson { MineId = mineId, RegionCode = mine.RegionCode, EnterpriseId = mine.EnterpriseId, Name = "" };
            db.Add(person);
        }

        person.Position = input.Position!.Value;
        person.Name = input.Name!.Trim();
        person.IdNumber = string.IsNullOrWhiteSpace(input.IdNumber) ? null : input.IdNumber.Trim().ToUpperInvariant();
        person.Education = input.Education!.Value;
        person.MiningMajor = input.MiningMajor ?? false;
        person.YearsExperience = input.YearsExperience!.Value;
        person.FullTime = input.FullTime ?? false;
        person.RegisteredSafetyEngineer = input.RegisteredSafetyEngineer ?? false;
        await db.SaveChangesAsync(ct);
        return person;
    }

    public async Task<Result> DeletePersonAsync(long mineId, long personId, CancellationToken ct)
    {
        if (!CanEditDetails)
        {
            return new ForbiddenError("您的角色不能修改关键岗位人员。");
        }

        var person = await db.Set<KeyPerson>().SingleOrDefaultAsync(p => p.Id == personId && p.MineId == mineId, ct);
        if (person is null)
        {
            return new NotFoundError("未找到该人员。");
        }

        db.Remove(person);
        await db.SaveChangesAsync(ct);
        return Result.Ok;
    }

    // ---- disposition plan (一矿一方案) -------------------------------------------------------------------------

    /// <summary>Creates the plan (milestones from the category's template unless given) or updates its text.</summary>
    public async Task<Result<DispositionPlan>> SavePlanAsync(long mineId, PlanInput input, CancellationToken ct)
    {
        var mine = await FindAsync(mineId, ct);
        if (mine is null)
        {
            return new NotFoundError("未找到该煤矿，或它不在您的管辖范围内。");
        }

        if (!CanEditMines)
        {
            return new ForbiddenError("只有监管部门可以制定处置方案。");
        }

        if (mine.Disposition == Disposition.Retain)
        {
            return new ConflictError("单独保留的煤矿没有关闭或整合方案。");
        }

        var plan = await db.Set<DispositionPlan>().Include(p => p.Milestones).SingleOrDefaultAsync(p => p.MineId == mineId, ct);
        if (mine.Disposition == Disposition.Merge && string.IsNullOrWhiteSpace(input.SurvivingEntity ?? plan?.SurvivingEntity))
        {
            return ValidationError.For("survivingEntity", "整合重组方案须写明整合主体。");
        }

        var isNew = plan is null;
        await using var transaction = await UnitOfWork.BeginAsync(db, ct);
        if (plan is null)
        {
            plan = new DispositionPlan { MineId = mineId, RegionCode = mine.RegionCode, EnterpriseId = mine.EnterpriseId, Category = mine.Disposition, CreatedAt = Now };
            var today = DateOnly.FromDateTime(ChinaTime.ToChina(Now));
            var milestones = input.Milestones is { Count: > 0 } given
                ? given.Select(m => (m.Name?.Trim() ?? "", m.DueOn ?? today.AddMonths(1))).ToList()
                : DispositionPlan.TemplateFor(mine.Disposition).Select((name, i) => (name, today.AddMonths(2 * (i + 1)))).ToList();
            if (milestones.Any(m => m.Item1.Length == 0))
            {
                return ValidationError.For("milestones", "每个节点都须填写名称。");
            }

            var seq = 0;
            plan.Milestones.AddRange(milestones.Select(m => new Milestone
            {
                MineId = mineId,
                RegionCode = mine.RegionCode,
                EnterpriseId = mine.EnterpriseId,
                Seq = ++seq,
                Name = m.Item1,
                DueOn = m.Item2,
            }));
            db.Add(plan);
        }

        plan.Category = mine.Disposition;
        plan.Summary = string.IsNullOrWhiteSpace(input.Summary) ? plan.Summary : input.Summary.Trim();
        plan.SurvivingEntity = string.IsNullOrWhiteSpace(input.SurvivingEntity) ? plan.SurvivingEntity : input.SurvivingEntity.Trim();
        plan.PartnerMineCodes = string.IsNullOrWhiteSpace(input.PartnerMineCodes) ? plan.PartnerMineCodes : input.PartnerMineCodes.Trim();
        await db.SaveChangesAsync(ct);
        if (isNew)
        {
            var org = await RegulatorOrganisationAsync(mine.RegionCode, ct);
            foreach (var m in plan.Milestones)
            {
                var deadline = deadlines.Open(MilestoneSubject, m.Id, $"{mine.Name}处置方案：{m.Name}", m, DeadlineService.EndOf(m.DueOn),
                    organisationId: org, mineId: mine.Id, link: $"/mines/{mine.Id}#plan");
                await db.SaveChangesAsync(ct);
                m.DeadlineId = deadline.Id;
            }

            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return plan;
    }

    /// <summary>Starts, completes or reopens a milestone; completion closes its deadline.</summary>
    public async Task<Result<Milestone>> ActOnMilestoneAsync(long mineId, long milestoneId, MilestoneAction action, string? note, CancellationToken ct)
    {
        if (!CanEditMines)
        {
            return new ForbiddenError("只有监管部门可以推进处置方案。");
        }

        var milestone = await db.Set<Milestone>().SingleOrDefaultAsync(m => m.Id == milestoneId && m.MineId == mineId, ct);
        if (milestone is null)
        {
            return new NotFoundError("未找到该方案节点，或它不在您的管辖范围内。");
        }

        if (action == MilestoneAction.Start && milestone.State == MilestoneState.NotStarted)
        {
            foreach (var guard in milestoneGuards)
            {
                if (await guard.CheckStartAsync(mineId, ct) is { } refused)
                {
                    return refused;
                }
            }
        }

        var result = milestone.Act(action, note, Now);
        if (result.TryGetError(out var error))
        {
            return error;
        }

        if (action == MilestoneAction.Complete)
        {
            await CompleteDeadlineAsync(milestone.DeadlineId, ct);
        }
        else if (action == MilestoneAction.Reopen)
        {
            var mine = (await FindAsync(mineId, ct))!;
            var deadline = deadlines.Open(MilestoneSubject, milestone.Id, $"{mine.Name}处置方案：{milestone.Name}（退回重办）", milestone,
                DeadlineService.EndOf(milestone.DueOn), organisationId: await RegulatorOrganisationAsync(mine.RegionCode, ct), mineId: mine.Id, link: $"/mines/{mine.Id}#plan");
            await db.SaveChangesAsync(ct);
            milestone.DeadlineId = deadline.Id;
        }

        db.Timeline.Add(new Platform.Workflow.TimelineEntry
        {
            SubjectType = MilestoneSubject,
            SubjectId = milestone.Id,
            RegionCode = milestone.RegionCode,
            EnterpriseId = milestone.EnterpriseId,
            Action = action.Label(),
            ToState = milestone.State.Label(),
            ActorId = user.Id,
            ActorName = user.DisplayName,
            At = Now,
            Note = note,
        });
        await db.SaveChangesAsync(ct);
        return milestone;
    }
}
