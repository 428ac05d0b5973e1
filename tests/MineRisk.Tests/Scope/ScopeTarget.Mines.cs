using Microsoft.EntityFrameworkCore;
using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Scope;

/// <summary>The registry's items of a target jurisdiction: an enterprise, a mine with a licence, a key person and a plan.</summary>
public sealed partial class ScopeTarget
{
    public long MineId { get; private set; }

    public string MineName { get; private set; } = "";

    public string MineCode { get; private set; } = "";

    public string EnterpriseName { get; private set; } = "";

    public long LicenceId { get; private set; }

    public long PersonId { get; private set; }

    public long MilestoneId { get; private set; }

    /// <summary>A code no mine has, for create and import attempts.</summary>
    public string FreshCode { get; private set; } = "";

    private async Task CreateMineAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var tag = Random.Shared.Next(100000, 999999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        EnterpriseName = $"{Name}范围测试煤业有限公司{tag}";
        MineName = $"{Name}范围测试煤矿{tag}";
        MineCode = CountyCode + tag;
        FreshCode = CountyCode + (999999 - int.Parse(tag, System.Globalization.CultureInfo.InvariantCulture)).ToString("000000", System.Globalization.CultureInfo.InvariantCulture);
        var enterprise = new Enterprise { Name = EnterpriseName, Kind = EnterpriseKind.Company };
        db.Add(enterprise);
        await db.SaveChangesAsync();
        var mine = new Mine
        {
            Code = MineCode, Name = MineName, EnterpriseId = enterprise.Id, RegionCode = RegionCode, Status = MineStatus.Producing,
            Disposition = Disposition.CloseExit, MiningMethod = MiningMethod.Mechanized, GasLevel = GasLevel.High, HydroType = HydroType.Medium,
            Combustion = CombustionTendency.Prone, Standardization = StandardizationLevel.Level3, ApprovedCapacity = 9, Version = 1, RiskGrade = RiskGrade.High,
        };
        mine.Licences.Add(new MineLicence { RegionCode = RegionCode, EnterpriseId = enterprise.Id, Kind = LicenceKind.MiningRight, Number = $"C{tag}", ExpiresOn = new DateOnly(2027, 1, 1) });
        mine.KeyPersons.Add(new KeyPerson { RegionCode = RegionCode, EnterpriseId = enterprise.Id, Position = KeyPosition.MineManager, Name = $"{Name}矿长{tag}", Education = Education.College, YearsExperience = 10, FullTime = true, MiningMajor = true });
        db.Add(mine);
        await db.SaveChangesAsync();
        (MineId, LicenceId, PersonId) = (mine.Id, mine.Licences[0].Id, mine.KeyPersons[0].Id);
        var plan = new DispositionPlan { MineId = mine.Id, RegionCode = RegionCode, EnterpriseId = enterprise.Id, Category = Disposition.CloseExit, Summary = "范围测试方案" };
        plan.Milestones.Add(new Milestone { MineId = mine.Id, RegionCode = RegionCode, EnterpriseId = enterprise.Id, Seq = 1, Name = "停产", DueOn = new DateOnly(2027, 1, 1) });
        db.Add(plan);
        await db.SaveChangesAsync();
        MilestoneId = plan.Milestones[0].Id;
    }

    /// <summary>Whether a mine with <paramref name="code"/> exists (after a refused create or import it must not).</summary>
    public static Task<bool> MineExistsAsync(AppFixture app, string code) =>
        app.WithDbAsync(db => db.Set<Mine>().AnyAsync(m => m.Code == code));
}
