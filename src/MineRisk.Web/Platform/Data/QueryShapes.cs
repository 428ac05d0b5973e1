using System.Collections.Concurrent;
using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;

namespace MineRisk.Web.Platform.Data;

/// <summary>
/// A list's queries compiled by EF Core once per shape — which filters are set, which sort — with the request's values
/// bound as parameters. Every LINQ query EF runs is first walked to pull its values out as parameters and then looked up
/// in EF's query cache by the shape of its expression tree; for the registry's list that took about 0.1 ms per statement
/// on the 2-core machine, a third of what the database took for the same statements (docs/PERFORMANCE.md). A compiled
/// query skips both: its values come as arguments.
/// <para>
/// The list builds its query as usual, from <typeparamref name="TArgs"/>'s fields: every value the query uses must be a
/// field of the arguments object (<c>m.Status == a.Status</c>). The first time a shape is seen its tree is rewritten so
/// that each field becomes a parameter of an <see cref="EF.CompileAsyncQuery{TContext,TResult}(Expression{Func{TContext, IQueryable{TResult}}})"/>;
/// a captured value that is not a field of the arguments (a local, <c>this</c>) would be frozen into the compiled
/// query and is refused instead. The jurisdiction's query filter is not part of the shape: EF evaluates it for each
/// execution from the context that runs it, as for any query.
/// </para>
/// <para>The shape key is the caller's: it must name everything that changes the tree (filters present, sort, page or count).</para>
/// </summary>
public sealed class QueryShapes<TArgs>(int capacity = 1_000) where TArgs : class
{
    // By model too: a compiled query serves the model it was compiled for (one per process, but the tests run two).
    private readonly ConcurrentDictionary<(Microsoft.EntityFrameworkCore.Metadata.IModel Model, string Shape), Delegate> _compiled = new();

    /// <summary>How many shapes are compiled (for tests: a shape is compiled once).</summary>
    public int Count => _compiled.Count;

    /// <summary>The rows of <paramref name="build"/>'s query for <paramref name="args"/>, through the query compiled for <paramref name="shape"/>.</summary>
    public async Task<List<T>> ToListAsync<T>(AppDbContext db, string shape, TArgs args, Func<TArgs, IQueryable<T>> build, int capacity, CancellationToken ct)
    {
        var run = (Func<AppDbContext, TArgs, IAsyncEnumerable<T>>)Get(db, "list:" + shape, () => Compile(build(args), args, count: false));
        var rows = new List<T>(capacity);
        await foreach (var row in run(db, args).WithCancellation(ct))
        {
            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The number of rows of <paramref name="build"/>'s query for <paramref name="args"/>, through the count compiled for <paramref name="shape"/>.</summary>
    public Task<int> CountAsync<T>(AppDbContext db, string shape, TArgs args, Func<TArgs, IQueryable<T>> build, CancellationToken ct)
    {
        var run = (Func<AppDbContext, TArgs, CancellationToken, Task<int>>)Get(db, "count:" + shape, () => Compile(build(args), args, count: true));
        return run(db, args, ct);
    }

    /// <summary>
    /// The compiled query of a shape, compiled now if it is new. Shapes are few in use, but every combination of a list's
    /// filters is one, so that a client trying them all cannot make the cache grow without end: past
    /// <c>capacity</c> shapes it starts again empty (and compiles what is asked for again).
    /// </summary>
    private Delegate Get(AppDbContext db, string shape, Func<Delegate> compile)
    {
        var key = (db.Model, shape);
        if (_compiled.TryGetValue(key, out var compiled))
        {
            return compiled;
        }

        if (_compiled.Count >= capacity)
        {
            _compiled.Clear();
        }

        return _compiled.GetOrAdd(key, _ => compile());
    }

    private static Delegate Compile<T>(IQueryable<T> query, TArgs args, bool count)
    {
        var rewriter = new ArgumentsToParameters(args);
        var body = rewriter.Visit(query.Expression);
        Refuse.CapturedValues(body);
        if (count)
        {
            body = Expression.Call(typeof(Queryable), nameof(Queryable.Count), [typeof(T)], body);
        }

        var context = Expression.Parameter(typeof(AppDbContext), "db");
        var token = Expression.Parameter(typeof(CancellationToken), "ct");
        List<ParameterExpression> parameters = [context, .. rewriter.Parameters];
        if (count)
        {
            parameters.Add(token);
        }

        if (parameters.Count > 16)
        {
            throw new InvalidOperationException($"查询参数过多（{parameters.Count - 1} 个），EF Core 的编译查询最多 15 个。");
        }

        // EF.CompileAsyncQuery<TContext, T1…Tn, TResult>: the overload for an IQueryable (rows) or for a value with a
        // cancellation token (the count).
        var lambdaType = Expression.GetFuncType([.. parameters.Select(p => p.Type), count ? typeof(int) : typeof(IQueryable<T>)]);
        var lambda = Expression.Lambda(lambdaType, body, parameters);
        var typeArguments = parameters.Where(p => p != token).Select(p => p.Type).Append(count ? typeof(int) : typeof(T)).ToArray();
        var compiled = (Delegate)CompileMethod(parameters.Count + 1, count).MakeGenericMethod(typeArguments).Invoke(null, [lambda])!;

        // (db, args[, ct]) => compiled(db, args.F1, …, args.Fn[, ct])
        var argsParameter = Expression.Parameter(typeof(TArgs), "args");
        List<Expression> arguments = [context, .. rewriter.Fields.Select(f => Expression.Field(argsParameter, f))];
        List<ParameterExpression> outer = [context, argsParameter];
        if (count)
        {
            arguments.Add(token);
            outer.Add(token);
        }

        return Expression.Lambda(Expression.Invoke(Expression.Constant(compiled), arguments), outer).Compile();
    }

    /// <summary>EF.CompileAsyncQuery taking a lambda of <paramref name="funcArguments"/> type arguments that returns rows, or a value after a <see cref="CancellationToken"/>.</summary>
    private static MethodInfo CompileMethod(int funcArguments, bool scalar) => typeof(EF).GetMethods(BindingFlags.Public | BindingFlags.Static).Single(m =>
    {
        if (m.Name != nameof(EF.CompileAsyncQuery))
        {
            return false;
        }

        var func = m.GetParameters()[0].ParameterType.GetGenericArguments()[0].GetGenericArguments();
        if (func.Length != funcArguments)
        {
            return false;
        }

        var returns = func[^1];
        return scalar
            ? returns.IsGenericParameter && func[^2] == typeof(CancellationToken)
            : returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(IQueryable<>);
    });

    /// <summary>Replaces each read of a field of the arguments object (<c>closure.args.Field</c>) by a parameter, one per field.</summary>
    private sealed class ArgumentsToParameters(TArgs args) : ExpressionVisitor
    {
        private readonly Dictionary<FieldInfo, ParameterExpression> _parameters = [];

        public List<FieldInfo> Fields { get; } = [];

        public IEnumerable<ParameterExpression> Parameters => Fields.Select(f => _parameters[f]);

        protected override Expression VisitMember(MemberExpression node)
        {
            if (node.Member is FieldInfo field && field.DeclaringType == typeof(TArgs) && ReferenceEquals(Evaluate(node.Expression), args))
            {
                if (!_parameters.TryGetValue(field, out var parameter))
                {
                    parameter = Expression.Parameter(field.FieldType, "a_" + field.Name);
                    _parameters[field] = parameter;
                    Fields.Add(field);
                }

                return parameter;
            }

            return base.VisitMember(node);
        }

        // The tree is kept as long as its compiled query; a query root from the first request's context would keep that
        // context (pooled, later disposed) alive with it.
        protected override Expression VisitExtension(Expression node) =>
            node is Microsoft.EntityFrameworkCore.Query.QueryRootExpression root ? root.DetachQueryProvider() : base.VisitExtension(node);

        /// <summary>The value of a chain of field reads from a constant (a closure), or null when it is something else.</summary>
        private static object? Evaluate(Expression? expression) => expression switch
        {
            ConstantExpression constant => constant.Value,
            MemberExpression { Member: FieldInfo field } member when Evaluate(member.Expression) is { } owner => field.GetValue(owner),
            _ => null,
        };
    }

    /// <summary>
    /// Refuses a tree that still holds a captured object (a closure, <c>this</c>): its values would be frozen into the
    /// compiled query. Literals of the query's own text (numbers, strings, enum values, dates) may stay.
    /// </summary>
    private sealed class Refuse : ExpressionVisitor
    {
        public static void CapturedValues(Expression body) => new Refuse().Visit(body);

        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            // Queryable.Skip(rows, 20) takes the number itself, which the tree keeps as a literal: page 2 would be page 1 again.
            if (node.Method.DeclaringType == typeof(Queryable) && node.Method.Name is nameof(Queryable.Skip) or nameof(Queryable.Take)
                && node.Arguments[1] is ConstantExpression)
            {
                throw new InvalidOperationException($"编译查询的 {node.Method.Name} 须以参数传入（{nameof(QueryShapes.SkipTake)}），不能是常数。");
            }

            return base.VisitMethodCall(node);
        }

        protected override Expression VisitConstant(ConstantExpression node)
        {
            if (node.Value is { } value && !IsLiteral(value.GetType()))
            {
                throw new InvalidOperationException($"编译查询中有未作为参数的捕获值（{value.GetType().Name}）：查询用到的每个值都须取自 {typeof(TArgs).Name} 的字段。");
            }

            return node;
        }

        private static bool IsLiteral(Type type) =>
            type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateOnly)
            || type == typeof(TimeSpan) || type == typeof(Guid);
    }
}

public static class QueryShapes
{
    /// <summary>
    /// <c>rows.Skip(skip()).Take(take())</c> with the numbers kept as expressions (Queryable.Skip takes a number, which a
    /// compiled query would keep as a literal): EF binds them as parameters, per execution.
    /// </summary>
    public static IQueryable<T> SkipTake<T>(this IQueryable<T> rows, Expression<Func<int>> skip, Expression<Func<int>> take)
    {
        var skipped = Expression.Call(typeof(Queryable), nameof(Queryable.Skip), [typeof(T)], rows.Expression, skip.Body);
        return rows.Provider.CreateQuery<T>(Expression.Call(typeof(Queryable), nameof(Queryable.Take), [typeof(T)], skipped, take.Body));
    }
}
