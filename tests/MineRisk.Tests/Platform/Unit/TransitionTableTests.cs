using System.ComponentModel.DataAnnotations;
using MineRisk.Web.Platform.Errors;
using MineRisk.Web.Platform.Workflow;

namespace MineRisk.Tests.Platform.Unit;

public sealed class TransitionTableTests
{
    private enum State
    {
        [Display(Name = "挂号")] Registered,
        [Display(Name = "化解中")] Resolving,
        [Display(Name = "申请销号")] Claimed,
        [Display(Name = "已销号")] Closed,
    }

    private enum Action
    {
        [Display(Name = "开始化解")] Start,
        [Display(Name = "申请销号")] Claim,
        [Display(Name = "销号")] Close,
        [Display(Name = "反弹")] Rebound,
    }

    private static readonly TransitionTable<State, Action> Table = new TransitionTable<State, Action>()
        .Allow(State.Registered, Action.Start, State.Resolving)
        .Allow(State.Resolving, Action.Claim, State.Claimed)
        .Allow(State.Claimed, Action.Close, State.Closed)
        .Allow(State.Closed, Action.Rebound, State.Resolving);

    [Fact]
    public void Next_AllowedMove_GivesTheTargetState()
    {
        Assert.Equal(State.Resolving, Table.Next(State.Registered, Action.Start).Value);
        Assert.Equal(State.Resolving, Table.Next(State.Closed, Action.Rebound).Value);
    }

    [Fact]
    public void Next_FromTheWrongState_IsAConflictNamingStateActionAndWhatIsAllowed()
    {
        var result = Table.Next(State.Registered, Action.Close);
        var error = Assert.IsType<ConflictError>(result.Error);
        Assert.Equal("当前状态为「挂号」，不能执行「销号」。当前可执行的操作：「开始化解」。", error.Message);
    }

    [Fact]
    public void Allow_TheSameMoveTwice_IsAProgrammingError()
    {
        var table = new TransitionTable<State, Action>().Allow(State.Registered, Action.Start, State.Resolving);
        Assert.Throws<InvalidOperationException>(() => table.Allow(State.Registered, Action.Start, State.Claimed));
    }

    [Fact]
    public void ActionsFrom_ListsTheAllowedActions()
    {
        Assert.Equal([Action.Claim], Table.ActionsFrom(State.Resolving));
        Assert.True(Table.IsAllowed(State.Claimed, Action.Close));
        Assert.False(Table.IsAllowed(State.Claimed, Action.Start));
    }
}
