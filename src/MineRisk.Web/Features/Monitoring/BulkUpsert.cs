using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using MineRisk.Web.Platform.Data;
using Npgsql;

namespace MineRisk.Web.Features.Monitoring;

/// <summary>
/// Writes a mine's rows of one table that a feed file defines (CDDY points, RYXX people) in bulk, inside the caller's
/// transaction: new rows are inserted, rows whose key (mine, <c>key</c>) exists are updated, and the ids come back by key.
/// On PostgreSQL one statement per call (<c>INSERT … SELECT FROM unnest(arrays) ON CONFLICT (mine_id, key) DO UPDATE …
/// RETURNING</c>); on SQLite, which runs in process, one prepared upsert reused for every row. Tables, columns, store types
/// and value conversions come from the EF model, so the rows are exactly what saving the entities would have written,
/// without change tracking (which made applying a batch of definitions quadratic in its size: docs/PERFORMANCE.md).
/// </summary>
internal static class BulkUpsert
{
    /// <summary>
    /// Upserts <paramref name="rows"/> of <paramref name="mineId"/>: inserts with <c>MineId</c>, <paramref name="key"/> and
    /// <paramref name="properties"/>; on an existing (mine, key) updates <paramref name="properties"/>. Keys must be unique
    /// within <paramref name="rows"/>. Returns the row id for each key.
    /// </summary>
    public static async Task<Dictionary<string, long>> RunAsync<T>(AppDbContext db, long mineId, IReadOnlyList<T> rows, string key, IReadOnlyList<string> properties,
        CancellationToken ct) where T : class
    {
        var ids = new Dictionary<string, long>(rows.Count, StringComparer.Ordinal);
        if (rows.Count == 0)
        {
            return ids;
        }

        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} 不在模型中");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var keyProperty = entity.FindProperty(key)!;
        var columns = properties.Select(p => entity.FindProperty(p) ?? throw new InvalidOperationException($"{typeof(T).Name}.{p} 不是映射的属性")).ToList();
        var idColumn = Column(entity.FindPrimaryKey()!.Properties[0], table);
        var mineColumn = Column(entity.FindProperty("MineId")!, table);
        var keyColumn = Column(keyProperty, table);
        var names = columns.Select(c => Column(c, table)).ToList();
        var insert = $"INSERT INTO {entity.GetTableName()} ({mineColumn}, {keyColumn}, {string.Join(", ", names)})";
        var conflict = $"ON CONFLICT ({mineColumn}, {keyColumn}) DO UPDATE SET {string.Join(", ", names.Select(n => $"{n} = excluded.{n}"))}";

        var connection = db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = db.Database.CurrentTransaction?.GetDbTransaction();
        if (db.IsPostgres)
        {
            // Columns as typed arrays, unnested side by side into rows.
            var all = new List<IProperty>(columns.Count + 1) { keyProperty };
            all.AddRange(columns);
            var arrays = new List<string>(all.Count);
            for (var i = 0; i < all.Count; i++)
            {
                var (values, parameterName) = (ProviderArray(all[i], rows), "p" + i);
                command.Parameters.Add(new NpgsqlParameter(parameterName, values));
                arrays.Add($"@{parameterName}::{all[i].GetColumnType(table)}[]");
            }

            command.Parameters.Add(new NpgsqlParameter("mine", mineId));
            command.CommandText = $"{insert} SELECT @mine, u.* FROM unnest({string.Join(", ", arrays)}) AS u {conflict} RETURNING {idColumn}, {keyColumn}";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                ids[reader.GetString(1)] = reader.GetInt64(0);
            }

            return ids;
        }

        var mapped = columns.Prepend(keyProperty).Select(p => (Property: p, Mapping: (RelationalTypeMapping)p.GetRelationalTypeMapping())).ToList();
        var parameters = new DbParameter[mapped.Count];
        for (var i = 0; i < mapped.Count; i++)
        {
            parameters[i] = mapped[i].Mapping.CreateParameter(command, "$p" + i, Provider(mapped[i].Property, mapped[i].Mapping, rows[0]), mapped[i].Property.IsNullable);
            command.Parameters.Add(parameters[i]);
        }

        var mine = command.CreateParameter();
        mine.ParameterName = "$mine";
        mine.Value = mineId;
        command.Parameters.Add(mine);
        command.CommandText = $"{insert} VALUES ($mine, {string.Join(", ", parameters.Select(p => p.ParameterName))}) {conflict} RETURNING {idColumn}";
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < mapped.Count; i++)
            {
                parameters[i].Value = Provider(mapped[i].Property, mapped[i].Mapping, row);
            }

            ids[(string)parameters[0].Value!] = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        return ids;
    }

    private static string Column(IProperty property, StoreObjectIdentifier table) => property.GetColumnName(table)!;

    /// <summary>The value as the database stores it (enums as numbers, and so on), or <see cref="DBNull"/>.</summary>
    private static object Provider(IProperty property, RelationalTypeMapping mapping, object row)
    {
        var value = property.GetGetter().GetClrValueUsingContainingEntity(row);
        if (value is not null && mapping.Converter is { } converter)
        {
            value = converter.ConvertToProvider(value);
        }

        return value ?? DBNull.Value;
    }

    /// <summary>One column of the rows as an array of its provider type (bytes widened to smallint: a byte[] would be bytea).</summary>
    private static Array ProviderArray<T>(IProperty property, IReadOnlyList<T> rows) where T : class
    {
        var mapping = (RelationalTypeMapping)property.GetRelationalTypeMapping();
        var type = Nullable.GetUnderlyingType(mapping.Converter?.ProviderClrType ?? property.ClrType) ?? mapping.Converter?.ProviderClrType ?? property.ClrType;
        var widen = type == typeof(byte) || type == typeof(sbyte);
        if (widen)
        {
            type = typeof(short);
        }

        var element = type.IsValueType && property.IsNullable ? typeof(Nullable<>).MakeGenericType(type) : type;
        var array = Array.CreateInstance(element, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var value = Provider(property, mapping, rows[i]);
            array.SetValue(value is DBNull ? null : widen ? Convert.ToInt16(value, System.Globalization.CultureInfo.InvariantCulture) : value, i);
        }

        return array;
    }
}
