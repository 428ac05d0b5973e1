using MineRisk.Web.Features.Hazards;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Tests.Scope;

/// <summary>
/// The hazard module's items of a target jurisdiction: two major hazards found while producing (so the mine is a
/// 第70条 closure candidate), one of them 挂牌督办 by the county; a closed hazard and a 回马枪 revisit of it.
/// </summary>
public sealed partial class ScopeTarget
{
    public long HazardId { get; private set; }

    public string HazardNumber { get; private set; } = "";

    /// <summary>Text only the hazard's own pages and lists show (its number is echoed by search boxes).</summary>
    public string HazardDescription => $"{Name}范围测试隐患{MineCode[^6..]}";

    public long ClosedHazardId { get; private set; }

    public long RevisitId { get; private set; }

    public string RevisitNumber { get; private set; } = "";

    private async Task CreateHazardsAsync(IServiceProvider services)
    {
        var db = services.GetRequiredService<AppDbContext>();
        var tag = MineCode[^6..];
        var owner = db.Users.Single(u => u.UserName == Owner);
        Hazard Make(int seq, DateTime foundAt, HazardState state) => new()
        {
            Number = $"YH-{CountyCode}-2026-{tag}{seq}", MineId = MineId, RegionCode = RegionCode, Location = $"{Name}3102 回风巷",
            Description = seq == 1 ? HazardDescription : $"{Name}范围测试隐患之{seq}", Source = HazardSource.Inspection, ProfessionalCategory = "通风",
            FoundAt = foundAt, FoundById = owner.Id, FoundByName = owner.DisplayName, FoundWhileProducing = true, Level = HazardLevel.Major,
            Basis = "2020版第四条第（一）项", StoppedArea = "3102 工作面", RectifierUserId = owner.Id, RectifierName = owner.DisplayName,
            DueOn = new DateOnly(2027, 1, 1), State = state, RegisteredById = owner.Id, RegisteredByName = owner.DisplayName, RegisteredAt = foundAt,
            UpdatedAt = foundAt, Version = 1,
        };
        var open = Make(1, new DateTime(2026, 6, 1, 2, 0, 0, DateTimeKind.Utc), HazardState.Graded);
        open.ListedAt = new DateTime(2026, 6, 2, 2, 0, 0, DateTimeKind.Utc);
        open.ListRegionCode = CountyCode;
        open.ListIssuer = $"{Name}应急管理局";
        open.ListDocumentNumber = $"{Name}应急督〔2026〕{tag}号";
        open.ListDueOn = new DateOnly(2027, 1, 1);
        var second = Make(2, new DateTime(2026, 5, 20, 2, 0, 0, DateTimeKind.Utc), HazardState.Rectifying);
        var closed = Make(3, new DateTime(2026, 3, 1, 2, 0, 0, DateTimeKind.Utc), HazardState.Closed);
        closed.Level = HazardLevel.General;
        closed.FoundWhileProducing = false;
        closed.ClosedAt = closed.VerifiedAt = new DateTime(2026, 4, 1, 2, 0, 0, DateTimeKind.Utc);
        closed.VerifierName = "验收人";
        db.AddRange(open, second, closed);
        await db.SaveChangesAsync();
        var revisit = new Revisit
        {
            Number = $"HMQ-{CountyCode}-2026-{tag}", MineId = MineId, RegionCode = RegionCode, ScheduledOn = new DateOnly(2026, 6, 20),
            ScheduledById = owner.Id, ScheduledByName = owner.DisplayName, CreatedAt = new DateTime(2026, 6, 10, 2, 0, 0, DateTimeKind.Utc),
            Items = [new RevisitItem { HazardId = closed.Id }],
        };
        db.Add(revisit);
        await db.SaveChangesAsync();
        (HazardId, HazardNumber, ClosedHazardId, RevisitId, RevisitNumber) = (open.Id, open.Number, closed.Id, revisit.Id, revisit.Number);
    }
}
