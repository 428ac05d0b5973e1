using MineRisk.Web.Features.Mines;
using MineRisk.Web.Features.Stability;
using MineRisk.Web.Platform;
using MineRisk.Web.Platform.Auth;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Tests.Features.Stability;

/// <summary>The stability rules without a database: template v1, grading and vetoes, the conflict state machine, who decides, the summary's words.</summary>
public sealed class StabilityRulesTests
{
    private static readonly AssessmentTemplate V1 = AssessmentTemplate.DefaultV1(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

    private static Dictionary<string, double> Every(double score) => V1.Dimensions.ToDictionary(d => d.Key, _ => score);

    [Fact]
    public void TemplateV1_HasTheIssuesElevenDimensionsAndWeights_SummingTo100()
    {
        var expected = new Dictionary<string, double>
        {
            ["assets_debt"] = 10, ["loans"] = 10, ["economic_loss"] = 8, ["resettlement"] = 12, ["legal"] = 8, ["safety"] = 10,
            ["wage_arrears"] = 14, ["merger"] = 8, ["mine_village"] = 10, ["livelihood"] = 5, ["petitions"] = 5,
        };
        Assert.Equal(expected, V1.Dimensions.ToDictionary(d => d.Key, d => d.Weight));
        Assert.Empty(V1.Validate());
        Assert.All(V1.Dimensions, d => Assert.False(string.IsNullOrWhiteSpace(d.Guidance0 + d.Guidance5 + d.Guidance10)));
    }

    [Theory]
    [InlineData(6.0, 60.0, RiskGrade.High)]     // exactly at 高's cut-off
    [InlineData(5.9, 59.0, RiskGrade.Medium)]
    [InlineData(3.5, 35.0, RiskGrade.Medium)]   // exactly at 中's cut-off
    [InlineData(3.4, 34.0, RiskGrade.Low)]
    [InlineData(0.0, 0.0, RiskGrade.Low)]
    [InlineData(10.0, 100.0, RiskGrade.High)]
    public void Grade_IsTheWeightedSumAgainstTheCutOffs(double each, double score, RiskGrade grade)
    {
        var (total, actual, veto) = V1.Grade(Every(each));
        Assert.Equal(score, total, 1);
        Assert.Equal(grade, actual);
        Assert.Null(veto);
    }

    [Fact]
    public void VetoRules_RaiseTheGradeButNeverLowerIt()
    {
        var scores = Every(0);
        scores["wage_arrears"] = 8; // 11.2 points: 低 by the sum, 高 by the veto
        var (total, grade, veto) = V1.Grade(scores);
        Assert.Equal(11.2, total, 1);
        Assert.Equal(RiskGrade.High, grade);
        Assert.Contains("拖欠职工工资", veto);

        scores = Every(0);
        scores["mine_village"] = 9;
        Assert.Equal(RiskGrade.Medium, V1.Grade(scores).Grade);

        scores = Every(7); // 高 by the sum already: the 中 veto of 矿村矛盾 changes nothing
        scores["mine_village"] = 9;
        var high = V1.Grade(scores);
        Assert.Equal(RiskGrade.High, high.Grade);
        Assert.Null(high.Veto);
    }

    [Fact]
    public void Validate_RefusesBadTemplates()
    {
        var template = new AssessmentTemplate
        {
            Name = "坏模板", CreatedByName = "测试", HighThreshold = 30, MediumThreshold = 40,
            Dimensions = [new TemplateDimension { Key = "a", Name = "甲", Weight = 60, Guidance0 = "", Guidance5 = "", Guidance10 = "" },
                          new TemplateDimension { Key = "a", Name = "乙", Weight = 30, Guidance0 = "", Guidance5 = "", Guidance10 = "" }],
            VetoRules = [new VetoRule { DimensionKey = "zzz", AtLeastScore = 5, RaisesTo = RiskGrade.High }],
        };
        var errors = template.Validate();
        Assert.Contains("重复", errors["dimensions"][0]);
        Assert.Contains("0 < 中 < 高", errors["thresholds"][0]);
        Assert.Contains("否决规则须引用本模板的维度", errors["vetoRules"][0]);
        template.Dimensions[1] = new TemplateDimension { Key = "b", Name = "乙", Weight = 30, Guidance0 = "", Guidance5 = "", Guidance10 = "" };
        Assert.Contains("权重之和应为 100，现为 90", template.Validate()["dimensions"][0]);
    }

    [Fact]
    public void ConflictStates_OnlyTheDomainsMovesAreAllowed()
    {
        var allowed = new HashSet<(ConflictState, ConflictAction)>
        {
            (ConflictState.Registered, ConflictAction.Start), (ConflictState.Resolving, ConflictAction.Claim), (ConflictState.Claimed, ConflictAction.Close),
            (ConflictState.Claimed, ConflictAction.Reject), (ConflictState.Closed, ConflictAction.Rebound),
        };
        foreach (var state in Enum.GetValues<ConflictState>())
        {
            foreach (var action in Enum.GetValues<ConflictAction>())
            {
                var next = Conflict.Transitions.Next(state, action);
                Assert.Equal(allowed.Contains((state, action)), next.IsOk);
                if (!next.IsOk)
                {
                    Assert.IsType<ConflictError>(next.Error);
                    Assert.Contains($"当前状态为「{state.Label()}」", next.Error!.Message);
                }
            }
        }
    }

    [Fact]
    public void WhoDecides_TheLeader_ARegulatorAboveTheLeader_OrAnAdmin()
    {
        var conflict = new Conflict
        {
            Number = "WW-530302-2026-000001", RegionCode = "530302101", Description = "测试", LeaderUserId = 10, LeaderName = "张卫东", LeaderRegionCode = "530302",
            RegisteredByName = "测试",
        };
        static CurrentUser User(long id, string region, string role) => new SystemActor(id, $"用户{id}", region, [role]).AsCurrentUser();
        Assert.True(conflict.CanDecide(User(10, "530302", Roles.CountyRegulator)));        // the leader
        Assert.True(conflict.CanDecide(User(20, "530300", Roles.CityRegulator)));          // the city above him
        Assert.True(conflict.CanDecide(User(21, "530000", Roles.CityRegulator)));          // the province above him
        Assert.True(conflict.CanDecide(User(22, "530300", Roles.Admin)));
        Assert.False(conflict.CanDecide(User(30, "530302", Roles.CountyRegulator)));       // a colleague at his level
        Assert.False(conflict.CanDecide(User(31, "530381", Roles.CountyRegulator)));       // another county
        Assert.False(conflict.CanDecide(User(32, "530300", Roles.PetitionOfficer)));       // keeps the ledger, does not decide
        Assert.False(conflict.CanDecide(User(33, "530300", Roles.Leader)));
    }

    [Theory]
    [InlineData(ConflictCategory.WageArrears, 12, 320, 1468.0, "欠薪 12 件，涉及 320 人 1468 万元")]
    [InlineData(ConflictCategory.Loans, 3, 0, 45.5, "借贷 3 件，涉及 45.5 万元")]
    [InlineData(ConflictCategory.MineVillage, 2, 60, 0.0, "矿村矛盾 2 件，涉及 60 人")]
    [InlineData(ConflictCategory.Legal, 1, 0, 0.0, "法律纠纷 1 件")]
    public void SummarySentence_InSeed000sWords(ConflictCategory category, int open, int persons, double amount, string expected) =>
        Assert.Equal(expected, StabilityViews.Sentence(category, open, persons, amount));
}
