using System.Data.Common;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace MineRisk.Bench;

public enum Provider
{
    Sqlite,
    Postgres,
}

/// <summary>A row of the list, read the way EF materialises <c>MineListItem</c> (typed getters, nulls checked).</summary>
public sealed record ListRow(long Id, string Code, string Name, string RegionCode, long? EnterpriseId,
    string? EnterpriseName, int Status, int Disposition, int GasLevel, double? DesignCapacity, double? ApprovedCapacity, int? RiskGrade);

/// <summary>
/// The list and export queries as raw SQL through ADO.NET: the text EF Core 10 generates for
/// <c>GET /api/v1/mines</c> (MineApi.ListAsync: a count, then the page joined to enterprises; region names come from the app's region tree in memory) and for the
/// export (MineSheet.RowsAsync: pages of 1,000 and their licences), copied from the app's EF command log, with the
/// same parameters, including the jurisdiction filter (scope range and enterprise). Identifiers are double-quoted,
/// which both engines accept; the only differences between the providers are the ones EF makes (count type, text match).
/// </summary>
public sealed class RawSql(Provider provider, string connectionString, Scope scope)
{
    private const string ListColumns =
        "\"m0\".\"id\", \"m0\".\"code\", \"m0\".\"name\", \"m0\".\"region_code\", \"m0\".\"enterprise_id\", " +
        "\"e\".\"name\", \"m0\".\"status\", \"m0\".\"disposition\", \"m0\".\"gas_level\", \"m0\".\"design_capacity\", \"m0\".\"approved_capacity\", \"m0\".\"risk_grade\"";

    private const string InnerColumns =
        "\"m\".\"id\", \"m\".\"approved_capacity\", \"m\".\"code\", \"m\".\"design_capacity\", \"m\".\"disposition\", \"m\".\"enterprise_id\", " +
        "\"m\".\"gas_level\", \"m\".\"name\", \"m\".\"region_code\", \"m\".\"risk_grade\", \"m\".\"status\"";

    public DbConnection Connect() => provider == Provider.Sqlite ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);

    /// <summary>
    /// Count and page of one list query; returns the times of each part in ms. By default on one pooled connection,
    /// as hand-written ADO.NET would do it. With <paramref name="likeEf"/>, the connection is driven the way the app's
    /// EF context drives it: opened and closed around each of the two statements and, on SQLite, each open followed by
    /// the app's <c>PRAGMA synchronous=FULL</c> (its SqlitePragmas interceptor) — to tell that cost from EF's own.
    /// </summary>
    public async Task<(double CountMs, double PageMs, double TotalMs, int Total, List<ListRow> Rows)> ListAsync(MineFilter filter, bool likeEf = false)
    {
        var total = Stopwatch.StartNew();
        var (countSql, pageSql, parameters, pageParameters) = ListSql(filter);
        var connection = Connect();
        try
        {
            await OpenAsync(connection, likeEf);
            var watch = Stopwatch.StartNew();
            int count;
            await using (var command = Command(connection, countSql, parameters))
            {
                count = Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
            }

            var countMs = watch.Elapsed.TotalMilliseconds;
            if (likeEf)
            {
                await connection.CloseAsync();
                await OpenAsync(connection, likeEf);
            }

            watch.Restart();
            var rows = new List<ListRow>(filter.PageSize);
            await using (var command = Command(connection, pageSql, pageParameters))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add(new ListRow(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                        reader.IsDBNull(4) ? null : reader.GetInt64(4), reader.IsDBNull(5) ? null : reader.GetString(5), reader.GetInt32(6),
                        reader.GetInt32(7), reader.GetInt32(8), reader.IsDBNull(9) ? null : reader.GetDouble(9),
                        reader.IsDBNull(10) ? null : reader.GetDouble(10), reader.IsDBNull(11) ? null : reader.GetInt32(11)));
                }
            }

            return (countMs, watch.Elapsed.TotalMilliseconds, total.Elapsed.TotalMilliseconds, count, rows);
        }
        finally
        {
            await connection.DisposeAsync();
        }
    }

    private async Task OpenAsync(DbConnection connection, bool likeEf)
    {
        await connection.OpenAsync();
        if (likeEf && provider == Provider.Sqlite)
        {
            await using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=FULL;";
            await pragma.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The plans of a list query's two statements (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).</summary>
    public async Task<string> ExplainAsync(MineFilter filter)
    {
        var (countSql, pageSql, parameters, pageParameters) = ListSql(filter);
        var prefix = provider == Provider.Postgres ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ";
        await using var connection = Connect();
        await connection.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var (label, sql, list) in new[] { ("count", countSql, parameters), ("page", pageSql, pageParameters) })
        {
            text.AppendLine($"-- {label}");
            await using var command = Command(connection, prefix + sql, list);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                // SQLite: id, parent, notused, detail; PostgreSQL: one text column.
                text.AppendLine(provider == Provider.Postgres ? reader.GetString(0) : $"{reader.GetInt64(0),4} {reader.GetInt64(1),4}  {reader.GetString(3)}");
            }
        }

        return text.ToString();
    }

    private (string Count, string Page, List<(string, object)> Parameters, List<(string, object)> PageParameters) ListSql(MineFilter filter)
    {
        var where = Where(filter, out var parameters);
        var count = $"SELECT {(provider == Provider.Postgres ? "count(*)::int" : "COUNT(*)")}\nFROM \"mines\" AS \"m\"\nWHERE {where}";
        var (inner, outer) = Order(filter.Sort);
        var page = $"""
            SELECT {ListColumns}
            FROM (
                SELECT {InnerColumns}{(filter.Sort == "updated" ? ", \"m\".\"updated_at\"" : "")}
                FROM "mines" AS "m"
                WHERE {where}
                ORDER BY {inner}
                LIMIT @p1 OFFSET @p
            ) AS "m0"
            LEFT JOIN "enterprises" AS "e" ON "m0"."enterprise_id" = "e"."id"
            ORDER BY {outer}
            """;
        return (count, page, parameters, [.. parameters, ("p1", filter.PageSize), ("p", filter.Skip)]);
    }

    /// <summary>
    /// The data of the export of every mine in scope, read as the export reads it (pages of 1,000 in code order, each
    /// followed by its licences), without writing a workbook: the ceiling of the export.
    /// </summary>
    public async Task<int> ExportRowsAsync()
    {
        await using var connection = Connect();
        await connection.OpenAsync();
        var scopeParameters = ScopeParameters();
        var read = 0;
        for (var skip = 0; ; skip += 1000)
        {
            var ids = new List<long>(1000);
            var sql = $"""
                SELECT "m0"."id", "m0"."code", "m0"."name", "e"."name", "e0"."name", "m0"."region_code", "r0"."full_name", "m0"."address", "m0"."longitude", "m0"."latitude", "m0"."status", "m0"."disposition", "m0"."design_capacity", "m0"."approved_capacity", "m0"."mining_method", "m0"."gas_level", "m0"."hydro_type", "m0"."rock_burst", "m0"."combustion", "m0"."standardization", "m0"."shift_personnel_limit", "m0"."mining_depth"
                FROM (
                    SELECT "m"."id", "m"."address", "m"."approved_capacity", "m"."code", "m"."combustion", "m"."design_capacity", "m"."disposition", "m"."enterprise_id", "m"."gas_level", "m"."hydro_type", "m"."latitude", "m"."longitude", "m"."mining_depth", "m"."mining_method", "m"."name", "m"."region_code", "m"."rock_burst", "m"."shift_personnel_limit", "m"."standardization", "m"."status"
                    FROM "mines" AS "m"
                    WHERE {ScopeWhere("m")}
                    ORDER BY "m"."code"
                    LIMIT @p1 OFFSET @p
                ) AS "m0"
                LEFT JOIN "enterprises" AS "e" ON "m0"."enterprise_id" = "e"."id"
                LEFT JOIN "enterprises" AS "e0" ON "e"."group_id" = "e0"."id"
                INNER JOIN (
                    SELECT "r"."code", "r"."full_name"
                    FROM "regions" AS "r"
                    WHERE {RegionScope("r")}
                ) AS "r0" ON "m0"."region_code" = "r0"."code"
                ORDER BY "m0"."code"
                """;
            await using (var command = Command(connection, sql, [.. scopeParameters, ("p1", 1000), ("p", skip)]))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                var values = new object[reader.FieldCount];
                while (await reader.ReadAsync())
                {
                    reader.GetValues(values);
                    ids.Add(reader.GetInt64(0));
                }
            }

            if (ids.Count == 0)
            {
                return read;
            }

            read += ids.Count;
            var licenceParameters = new List<(string, object)>(scopeParameters);
            string idList;
            if (provider == Provider.Postgres)
            {
                idList = "= ANY (@ids)";
                licenceParameters.Add(("ids", ids.ToArray()));
            }
            else
            {
                idList = "IN (" + string.Join(", ", ids.Select((_, i) => $"@ids{i + 1}")) + ")";
                licenceParameters.AddRange(ids.Select((id, i) => ($"ids{i + 1}", (object)id)));
            }

            var licences = $"""
                SELECT "m1"."mine_id", "m1"."kind", "m1"."number", "m1"."expires_on"
                FROM "mines" AS "m"
                INNER JOIN (
                    SELECT "m0"."expires_on", "m0"."kind", "m0"."mine_id", "m0"."number"
                    FROM "mine_licences" AS "m0"
                    WHERE {ScopeWhere("m0")}
                ) AS "m1" ON "m"."id" = "m1"."mine_id"
                WHERE {ScopeWhere("m")} AND "m1"."mine_id" {idList}
                ORDER BY "m"."code"
                """;
            await using (var command = Command(connection, licences, licenceParameters))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                var values = new object[reader.FieldCount];
                while (await reader.ReadAsync())
                {
                    reader.GetValues(values);
                }
            }

            if (ids.Count < 1000)
            {
                return read;
            }
        }
    }

    private string Where(MineFilter f, out List<(string, object)> parameters)
    {
        parameters = ScopeParameters();
        var where = ScopeWhere("m");
        if (provider == Provider.Sqlite && !scope.AllRegions)
        {
            // AppDbContext.SeekScope: the registry's lists repeat a regional scope's range bare, for SQLite to seek.
            where += " AND \"m\".\"region_code\" >= @low AND \"m\".\"region_code\" < @high";
            parameters.Add(("low", scope.Low));
            parameters.Add(("high", scope.High));
        }

        if (f.RegionCode is { } region)
        {
            var prefix = Scope.Prefix(region);
            where += " AND \"m\".\"region_code\" >= @prefix AND \"m\".\"region_code\" < @upper";
            parameters.Add(("prefix", prefix));
            parameters.Add(("upper", Scope.UpperBound(prefix)));
        }

        if (f.Status is { } status)
        {
            where += " AND \"m\".\"status\" = @status";
            parameters.Add(("status", status));
        }

        if (f.Disposition is { } disposition)
        {
            where += " AND \"m\".\"disposition\" = @disposition";
            parameters.Add(("disposition", disposition));
        }

        if (f.GasLevel is { } gas)
        {
            where += " AND \"m\".\"gas_level\" = @gas";
            parameters.Add(("gas", gas));
        }

        if (f.MinCapacity is { } min)
        {
            where += " AND \"m\".\"approved_capacity\" >= @min";
            parameters.Add(("min", min));
        }

        if (f.MaxCapacity is { } max)
        {
            where += " AND \"m\".\"approved_capacity\" <= @max";
            parameters.Add(("max", max));
        }

        if (f.Q is { } q)
        {
            var escaped = q.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");
            if (provider == Provider.Postgres)
            {
                where += " AND (\"m\".\"name\" LIKE @q_contains OR \"m\".\"code\" LIKE @q_startswith)";
                parameters.Add(("q_contains", "%" + escaped + "%"));
            }
            else
            {
                where += " AND (instr(\"m\".\"name\", @q) > 0 OR \"m\".\"code\" LIKE @q_startswith ESCAPE '\\')";
                parameters.Add(("q", q));
            }

            parameters.Add(("q_startswith", escaped + "%"));
        }

        return where;
    }

    /// <summary>The parameters of <see cref="ScopeWhere"/>: on SQLite the flags and both bounds always, on PostgreSQL only what its statement names.</summary>
    internal List<(string, object)> ScopeParameters()
    {
        var flags = provider == Provider.Sqlite;
        var parameters = new List<(string, object)>();
        if (flags)
        {
            parameters.Add(("ef_filter__ScopeAllRegions", scope.AllRegions));
            parameters.Add(("ef_filter__p4", scope.EnterpriseId is null));
        }

        if (flags || !scope.AllRegions)
        {
            parameters.Add(("ef_filter__ScopeLow", scope.Low));
            parameters.Add(("ef_filter__ScopeHigh", scope.High));
        }

        if (scope.EnterpriseId is { } enterprise)
        {
            parameters.Add(("ef_filter__ScopeEnterpriseId", enterprise));
        }

        return parameters;
    }

    /// <summary>
    /// The jurisdiction filter on an IScoped table, as AppDbContext.ScopeFilter has EF write it. SQLite: the kind of
    /// scope as flags (<c>@flag OR range</c>). PostgreSQL: only the conditions this kind of scope needs — the region
    /// range unless the scope is every region, the enterprise for an enterprise user; where EF writes no condition at all
    /// (the nation), this is <c>1 = 1</c>, which PostgreSQL drops while planning.
    /// </summary>
    internal string ScopeWhere(string alias)
    {
        if (provider == Provider.Sqlite)
        {
            return $"(@ef_filter__ScopeAllRegions OR (\"{alias}\".\"region_code\" >= @ef_filter__ScopeLow AND \"{alias}\".\"region_code\" < @ef_filter__ScopeHigh)) " +
                $"AND (@ef_filter__p4 OR \"{alias}\".\"enterprise_id\" " + (scope.EnterpriseId is null ? "IS NULL)" : "= @ef_filter__ScopeEnterpriseId)");
        }

        var conditions = new List<string>();
        if (!scope.AllRegions)
        {
            conditions.Add($"\"{alias}\".\"region_code\" >= @ef_filter__ScopeLow AND \"{alias}\".\"region_code\" < @ef_filter__ScopeHigh");
        }

        if (scope.EnterpriseId is not null)
        {
            conditions.Add($"\"{alias}\".\"enterprise_id\" = @ef_filter__ScopeEnterpriseId");
        }

        return conditions.Count == 0 ? "1 = 1" : string.Join(" AND ", conditions);
    }

    /// <summary>The jurisdiction filter on the regions table, written as <see cref="ScopeWhere"/>.</summary>
    internal string RegionScope(string alias) =>
        provider == Provider.Sqlite
            ? $"@ef_filter__ScopeAllRegions OR (\"{alias}\".\"code\" >= @ef_filter__ScopeLow AND \"{alias}\".\"code\" < @ef_filter__ScopeHigh)"
            : scope.AllRegions ? "1 = 1" : $"\"{alias}\".\"code\" >= @ef_filter__ScopeLow AND \"{alias}\".\"code\" < @ef_filter__ScopeHigh";

    private static (string Inner, string Outer) Order(string? sort) => sort switch
    {
        "name" => ("\"m\".\"name\", \"m\".\"id\"", "\"m0\".\"name\", \"m0\".\"id\""),
        "capacity" => ("\"m\".\"approved_capacity\" DESC, \"m\".\"code\"", "\"m0\".\"approved_capacity\" DESC, \"m0\".\"code\""),
        "status" => ("\"m\".\"status\", \"m\".\"code\"", "\"m0\".\"status\", \"m0\".\"code\""),
        "updated" => ("\"m\".\"updated_at\" DESC, \"m\".\"id\"", "\"m0\".\"updated_at\" DESC, \"m0\".\"id\""),
        _ => ("\"m\".\"code\"", "\"m0\".\"code\""),
    };

    internal static DbCommand Command(DbConnection connection, string sql, IEnumerable<(string Name, object Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
