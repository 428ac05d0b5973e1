using MineRisk.Tests.Infrastructure;
using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Scope;

/// <summary>The stability module's items of a target jurisdiction: an assessment, a conflict, a task force, a 十到位 item.</summary>
public sealed partial class ScopeTarget
{
    public long AssessmentId { get; private set; }

    public string AssessmentNumber { get; private set; } = "";

    public long ConflictId { get; private set; }

    public string ConflictNumber { get; private set; } = "";

    /// <summary>Text only the conflict's own pages show (its number is echoed by a search box, so it cannot serve as a marker there).</summary>
    public string ConflictDescription => $"{Name}范围测试欠薪{MineCode[^6..]}";

    public long TaskForceId { get; private set; }

    public string TaskForceName { get; private set; } = "";

    private async Task CreateStabilityAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var template = db.Set<AssessmentTemplate>().OrderByDescending(t => t.Version).First();
        var tag = MineCode[^6..];
        var owner = db.Users.Single(u => u.UserName == Owner);
        var assessment = new Assessment
        {
            Number = $"PG-{CountyCode}-2026-{tag}", MineId = MineId, RegionCode = RegionCode, TemplateId = template.Id, AssessorId = owner.Id,
            AssessorName = owner.DisplayName, AssessorRegionCode = CountyCode, Notes = $"{Name}范围测试评估",
        };
        var conflict = new Conflict
        {
            Number = $"WW-{CountyCode}-2026-{tag}", MineId = MineId, RegionCode = RegionCode, Category = ConflictCategory.WageArrears,
            Description = $"{Name}范围测试欠薪{tag}", Amount = 12, Persons = 5, RiskGrade = RiskGrade.High, LeaderUserId = owner.Id, LeaderName = owner.DisplayName,
            LeaderRegionCode = CountyCode, DueOn = new DateOnly(2027, 1, 1), RegisteredById = owner.Id, RegisteredByName = owner.DisplayName,
            RegisteredAt = new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc), Version = 1,
        };
        var force = new TaskForce
        {
            MineId = MineId, RegionCode = RegionCode, Name = $"{Name}范围测试专班{tag}", LeaderName = "组长", WatchTarget = "井口", WatchDuty = "盯守",
            Members = [new TaskForceMember { Name = "组员", Organisation = "县应急管理局" }],
        };
        db.AddRange(assessment, conflict, force);
        db.Add(new TenItemCheck { MineId = MineId, RegionCode = RegionCode, Item = TenItem.Visits, Done = false });
        await db.SaveChangesAsync();
        (AssessmentId, AssessmentNumber, ConflictId, ConflictNumber, TaskForceId, TaskForceName) =
            (assessment.Id, assessment.Number, conflict.Id, conflict.Number, force.Id, force.Name);
    }
}
