using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using MineRisk.Web.Platform.Data;
using Npgsql;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// Writes many rows of one table in one statement, inside the caller's transaction, without change tracking: feed-file
/// records of a group commit, and the rows a definition file carries (CDDY points, RYXX people). On PostgreSQL the columns
/// go as typed arrays, unnested side by side into rows; on SQLite, which runs in process, one prepared statement is reused
/// for every row. Tables, columns, store types and value conversions come from the EF model, so a row is exactly what
/// saving the entity would have written. Change tracking made a batch of definitions quadratic in its size, and a group
/// commit's records cost more in EF than in the database (perf, docs/PERFORMANCE.md).
/// </summary>
internal static class BulkWriter
{
    private static readonly ConcurrentDictionary<(IModel Model, Type Type, string Key, string Columns), Plan> Plans = new();

    /// <summary>
    /// Inserts <paramref name="rows"/> of <paramref name="mineId"/> with <c>MineId</c>, <paramref name="key"/> and
    /// <paramref name="properties"/>, or where (mine, key) exists updates <paramref name="properties"/>. Keys must be unique
    /// within <paramref name="rows"/>. Returns the row id for each key.
    /// </summary>
    public static async Task<Dictionary<string, long>> UpsertAsync<T>(AppDbContext db, long mineId, IReadOnlyList<T> rows, string key, IReadOnlyList<string> properties,
        CancellationToken ct) where T : class
    {
        var ids = new Dictionary<string, long>(rows.Count, StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            return ids;
        }

        var plan = PlanFor<T>(db, key, properties);
        var keyColumn = plan.Columns[0].Name;
        var conflict = $"ON CONFLICT ({plan.MineColumn}, {keyColumn}) DO UPDATE SET {string.Join(", ", plan.Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))}";
        var insert = $"INSERT INTO {plan.Table} ({plan.MineColumn}, {string.Join(", ", plan.Columns.Select(c => c.Name))})";
        await using var command = Command(db);
        if (db.IsPostgres)
        {
            command.Parameters.Add(new NpgsqlParameter("mine", mineId));
            command.CommandText = $"{insert} SELECT @mine, u.* FROM unnest({Arrays(command, plan, rows)}) AS u {conflict} RETURNING {plan.IdColumn}, {keyColumn}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids[reader.GetString(1)] = reader.GetInt64(0);
            }

            return ids;
        }

        var mine = command.CreateParameter();
        mine.ParameterName = "$mine";
        mine.Value = mineId;
        command.Parameters.Add(mine);
        var parameters = Parameters(command, plan, rows[0]);
        command.CommandText = $"{insert} VALUES ($mine, {string.Join(", ", parameters.Select(p => p.ParameterName))}) {conflict} RETURNING {plan.IdColumn}";
        command.Prepare();
        foreach (var row in rows)
        {
            Bind(plan, parameters, row);
            ids[(string)parameters[0].Value!] = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return ids;
    }

    /// <summary>
    /// Writes <paramref name="rows"/> whose primary key the caller gives (not generated): each is inserted, or where its key
    /// exists its <paramref name="properties"/> are updated. Keys must be unique within <paramref name="rows"/>.
    /// </summary>
    public static async Task SaveAsync<T>(AppDbContext db, IReadOnlyList<T> rows, IReadOnlyList<string> properties, CancellationToken ct) where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        var key = db.Model.FindEntityType(typeof(T))!.FindPrimaryKey()!.Properties.Single().Name;
        var plan = PlanFor<T>(db, key, properties);
        var names = string.Join(", ", plan.Columns.Select(c => c.Name));
        var conflict = $"ON CONFLICT ({plan.IdColumn}) DO UPDATE SET {string.Join(", ", plan.Columns.Skip(1).Select(c => $"{c.Name} = excluded.{c.Name}"))}";
        await using var command = Command(db);
        if (db.IsPostgres)
        {
            command.CommandText = $"INSERT INTO {plan.Table} ({names}) SELECT * FROM unnest({Arrays(command, plan, rows)}) {conflict}";
            await command.ExecuteNonQueryAsync(ct);
            return;
        }

        var parameters = Parameters(command, plan, rows[0]);
        command.CommandText = $"INSERT INTO {plan.Table} ({names}) VALUES ({string.Join(", ", parameters.Select(p => p.ParameterName))}) {conflict}";
        command.Prepare();
        foreach (var row in rows)
        {
            Bind(plan, parameters, row);
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Inserts <paramref name="rows"/> with <paramref name="properties"/>; returns their generated ids in row order.</summary>
    public static async Task<long[]> InsertAsync<T>(AppDbContext db, IReadOnlyList<T> rows, IReadOnlyList<string> properties, CancellationToken ct) where T : class
    {
        var ids = new long[rows.Count];
        if (rows.Count == 0)
        {
            return ids;
        }

        var plan = PlanFor<T>(db, null, properties);
        var names = string.Join(", ", plan.Columns.Select(c => c.Name));
        await using var command = Command(db);
        if (db.IsPostgres)
        {
            // Ids are drawn in the rows' order (WITH ORDINALITY) and the rows inserted with them: RETURNING promises no order.
            var aliases = string.Join(", ", plan.Columns.Select((_, i) => "c" + i));
            command.CommandText =
                $"WITH u AS (SELECT nextval(pg_get_serial_sequence('{plan.Table}', '{plan.IdColumn}')) AS id, u.* " +
                $"FROM unnest({Arrays(command, plan, rows)}) WITH ORDINALITY AS u({aliases}, ord)), " +
                $"i AS (INSERT INTO {plan.Table} ({plan.IdColumn}, {names}) OVERRIDING SYSTEM VALUE SELECT id, {aliases} FROM u) " +
                "SELECT id FROM u ORDER BY ord";
            await using var reader = await command.ExecuteReaderAsync(ct);
            for (var i = 0; await reader.ReadAsync(ct); i++)
            {
                ids[i] = reader.GetInt64(0);
            }

            return ids;
        }

        var parameters = Parameters(command, plan, rows[0]);
        command.CommandText = $"INSERT INTO {plan.Table} ({names}) VALUES ({string.Join(", ", parameters.Select(p => p.ParameterName))}) RETURNING {plan.IdColumn}";
        command.Prepare();
        for (var i = 0; i < rows.Count; i++)
        {
            Bind(plan, parameters, rows[i]);
            ids[i] = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        }

        return ids;
    }

    private sealed record Column(IProperty Property, RelationalTypeMapping Mapping, string Name, string StoreType);

    private sealed record Plan(string Table, string IdColumn, string MineColumn, Column[] Columns);

    private static Plan PlanFor<T>(AppDbContext db, string? key, IReadOnlyList<string> properties) => Plans.GetOrAdd((db.Model, typeof(T), key ?? "", string.Join(",", properties)), _ =>
    {
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} 不在模型中");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        Column ColumnOf(string name)
        {
            var p = entity.FindProperty(name) ?? throw new InvalidOperationException($"{typeof(T).Name}.{name} 不是映射的属性");
            return new Column(p, (RelationalTypeMapping)p.GetRelationalTypeMapping(), p.GetColumnName(table)!, p.GetColumnType(table));
        }

        var columns = (key is null ? properties : properties.Prepend(key)).Select(ColumnOf).ToArray();
        var mine = entity.FindProperty("MineId")?.GetColumnName(table) ?? "";
        return new Plan(entity.GetTableName()!, entity.FindPrimaryKey()!.Properties[0].GetColumnName(table)!, mine, columns);
    });

    private static DbCommand Command(AppDbContext db)
    {
        var command = db.Database.GetDbConnection().CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        return command;
    }

    /// <summary>PostgreSQL: one array parameter per column; returns the unnest arguments.</summary>
    private static string Arrays<T>(DbCommand command, Plan plan, IReadOnlyList<T> rows) where T : class
    {
        var arguments = new string[plan.Columns.Length];
        for (var i = 0; i < plan.Columns.Length; i++)
        {
            var column = plan.Columns[i];
            var parameter = new NpgsqlParameter("p" + i, ProviderArray(column, rows));
            if (parameter.Value is DateTime?[] or DateTime[])
            {
                // Npgsql guesses an array's type from its first element, and a null guesses 'timestamp' (without time
                // zone), to which a UTC time cannot be written: the column's type says which it is.
                parameter.NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | (column.StoreType.StartsWith("timestamp without", StringComparison.Ordinal)
                    ? NpgsqlTypes.NpgsqlDbType.Timestamp
                    : NpgsqlTypes.NpgsqlDbType.TimestampTz);
            }

            command.Parameters.Add(parameter);
            arguments[i] = $"@p{i}::{column.StoreType}[]";
        }

        return string.Join(", ", arguments);
    }

    /// <summary>SQLite: one parameter per column, typed as EF would type it, holding the values of <paramref name="first"/>.</summary>
    private static DbParameter[] Parameters<T>(DbCommand command, Plan plan, T first) where T : class
    {
        var parameters = new DbParameter[plan.Columns.Length];
        for (var i = 0; i < parameters.Length; i++)
        {
            var column = plan.Columns[i];
            // The model's value: the mapping converts it (and makes null DBNull) as EF does; later rows are bound converted.
            var value = column.Property.GetGetter().GetClrValueUsingContainingEntity(first);
            parameters[i] = column.Mapping.CreateParameter(command, "$p" + i, value, column.Property.IsNullable);
            command.Parameters.Add(parameters[i]);
        }

        return parameters;
    }

    private static void Bind<T>(Plan plan, DbParameter[] parameters, T row) where T : class
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            parameters[i].Value = Provider(plan.Columns[i], row);
        }
    }

    /// <summary>The value as the database stores it (enums as numbers, and so on), or <see cref="DBNull"/>.</summary>
    private static object Provider(Column column, object row)
    {
        var value = column.Property.GetGetter().GetClrValueUsingContainingEntity(row);
        if (value is not null && column.Mapping.Converter is { } converter)
        {
            value = converter.ConvertToProvider(value);
        }

        return value ?? DBNull.Value;
    }

    /// <summary>One column of the rows as an array of its provider type (bytes widened to smallint: a byte[] would be bytea).</summary>
    private static Array ProviderArray<T>(Column column, IReadOnlyList<T> rows) where T : class
    {
        var clr = column.Mapping.Converter?.ProviderClrType ?? column.Property.ClrType;
        var type = Nullable.GetUnderlyingType(clr) ?? clr;
        var widen = type == typeof(byte) || type == typeof(sbyte);
        if (widen)
        {
            type = typeof(short);
        }

        var element = type.IsValueType && column.Property.IsNullable ? typeof(Nullable<>).MakeGenericType(type) : type;
        var array = Array.CreateInstance(element, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var value = Provider(column, rows[i]);
            array.SetValue(value is DBNull ? null : widen ? Convert.ToInt16(value, CultureInfo.InvariantCulture) : value, i);
        }

        return array;
    }
}
