using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Workflow;

/// <summary>
/// The states of a ledger and the actions allowed from each, declared once per ledger (DESIGN §1 "Workflow").
/// Entity methods ask <see cref="Next"/> before changing state; a wrong action gets a Chinese explanation that
/// names the current state and what can be done from it.
/// </summary>
public sealed class TransitionTable<TState, TAction>
    where TState : struct, Enum
    where TAction : struct, Enum
{
    private readonly Dictionary<(TState From, TAction Action), TState> _moves = [];

    public TransitionTable<TState, TAction> Allow(TState from, TAction action, TState to)
    {
        if (!_moves.TryAdd((from, action), to))
        {
            throw new InvalidOperationException($"重复定义的状态转换：{from} --{action}-->");
        }

        return this;
    }

    public IEnumerable<(TState From, TAction Action, TState To)> Moves => _moves.Select(m => (m.Key.From, m.Key.Action, m.Value));

    /// <summary>The actions allowed from <paramref name="state"/>, in declaration order.</summary>
    public IReadOnlyList<TAction> ActionsFrom(TState state) =>
        _moves.Keys.Where(k => EqualityComparer<TState>.Default.Equals(k.From, state)).Select(k => k.Action).ToList();

    public bool IsAllowed(TState from, TAction action) => _moves.ContainsKey((from, action));

    /// <summary>The state after <paramref name="action"/>, or a 409 error explaining why it is not allowed now.</summary>
    public Result<TState> Next(TState from, TAction action)
    {
        if (_moves.TryGetValue((from, action), out var to))
        {
            return to;
        }

        var allowed = ActionsFrom(from);
        var hint = allowed.Count == 0
            ? "该状态下不能再执行任何操作。"
            : $"当前可执行的操作：{string.Join("、", allowed.Select(a => $"「{a.Label()}」"))}。";
        return new ConflictError($"当前状态为「{from.Label()}」，不能执行「{action.Label()}」。{hint}");
    }
}
