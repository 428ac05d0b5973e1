using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using MineRisk.Web.Platform;

namespace MineRisk.Bench;

/// <summary>
/// The stability queries as raw SQL through ADO.NET: the statements EF Core 10 sends for each endpoint (printed by
/// <c>MineRisk.Bench stability-sql</c>, which logs them from StabilityEf, and copied here), with the same parameters,
/// including the jurisdiction filter, on one pooled connection per call — the ceiling of each endpoint.
/// </summary>
public sealed class StabilitySql(Provider provider, string connectionString, Scope scope)
{
    private readonly RawSql _raw = new(provider, connectionString, scope);

    private bool Pg => provider == Provider.Postgres;

    /// <summary>Runs one case; returns its time in ms, its answer (<see cref="Answer"/>) and its rows (a list's total, a summary's rows).</summary>
    public async Task<(double Ms, string Answer, int Rows)> RunAsync(StabilityKind kind, StabilityFilter f, DateTime nowUtc)
    {
        var watch = Stopwatch.StartNew();
        await using var connection = _raw.Connect();
        await connection.OpenAsync();
        string answer;
        int rows;
        switch (kind)
        {
            case StabilityKind.Conflicts:
            case StabilityKind.Assessments:
            {
                var (count, page, parameters, pageParameters) = kind == StabilityKind.Conflicts ? ConflictSql(f, nowUtc) : AssessmentSql(f);
                await using (var command = RawSql.Command(connection, count, parameters))
                {
                    rows = Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
                }

                var ids = new List<long>(f.PageSize);
                await using (var command = RawSql.Command(connection, page, pageParameters))
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    // Every column read with its typed getter, as EF materialises the list item.
                    var values = new object[reader.FieldCount];
                    while (await reader.ReadAsync())
                    {
                        reader.GetValues(values);
                        ids.Add(reader.GetInt64(0));
                    }
                }

                answer = Answer.List(rows, ids);
                break;
            }

            case StabilityKind.Monthly:
            {
                var (sql, parameters) = MonthlySql(f, nowUtc);
                var found = new List<(string County, int Category, int Open, int New, int Closed, int Overdue, double Amount, int Persons)>();
                await using (var command = RawSql.Command(connection, sql, parameters))
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        found.Add((reader.GetString(0), reader.GetInt32(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetInt32(4), reader.GetInt32(5),
                            reader.GetDouble(6), reader.GetInt32(7)));
                    }
                }

                await CountyNamesAsync(connection, found.Select(r => (string?)r.County).Distinct().ToList());
                rows = found.Count;
                answer = Answer.Monthly(found.Select(r => new MonthlyRow(r.County, r.Category, r.Open, r.New, r.Closed, r.Overdue, Math.Round(r.Amount, 2), r.Persons)));
                break;
            }

            default:
            {
                var (sql, parameters) = GradesSql(f);
                var found = new List<(string? County, int? Grade, int Count)>();
                await using (var command = RawSql.Command(connection, sql, parameters))
                await using (var reader = await command.ExecuteReaderAsync())
                {
                    while (await reader.ReadAsync())
                    {
                        found.Add((reader.IsDBNull(0) ? null : reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt32(1), reader.GetInt32(2)));
                    }
                }

                // The counties' names come from the app's region tree in memory (no statement).
                rows = found.Count;
                int Sum(int? grade) => found.Where(r => r.Grade == grade).Sum(r => r.Count);
                answer = Answer.Grades(Sum(3), Sum(2), Sum(1), Sum(null));
                break;
            }
        }

        return (watch.Elapsed.TotalMilliseconds, answer, rows);
    }

    /// <summary>The plans of a case's statements (EXPLAIN QUERY PLAN on SQLite, EXPLAIN ANALYZE on PostgreSQL).</summary>
    public async Task<string> ExplainAsync(StabilityKind kind, StabilityFilter f, DateTime nowUtc)
    {
        var statements = new List<(string Label, string Sql, List<(string, object)> Parameters)>();
        switch (kind)
        {
            case StabilityKind.Conflicts:
            case StabilityKind.Assessments:
                var (count, page, parameters, pageParameters) = kind == StabilityKind.Conflicts ? ConflictSql(f, nowUtc) : AssessmentSql(f);
                statements.Add(("count", count, parameters));
                statements.Add(("page", page, pageParameters));
                break;
            case StabilityKind.Monthly:
                var (monthly, monthlyParameters) = MonthlySql(f, nowUtc);
                statements.Add(("summary", monthly, monthlyParameters));
                break;
            default:
                var (grades, gradeParameters) = GradesSql(f);
                statements.Add(("grades", grades, gradeParameters));
                break;
        }

        var prefix = Pg ? "EXPLAIN (ANALYZE, BUFFERS) " : "EXPLAIN QUERY PLAN ";
        await using var connection = _raw.Connect();
        await connection.OpenAsync();
        var text = new System.Text.StringBuilder();
        foreach (var (label, sql, list) in statements)
        {
            text.AppendLine($"-- {label}");
            await using var command = RawSql.Command(connection, prefix + sql, list);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(Pg ? reader.GetString(0) : $"{reader.GetInt64(0),4} {reader.GetInt64(1),4}  {reader.GetString(3)}");
            }
        }

        return text.ToString();
    }

    /// <summary>The mine with the most assessments (the assessment list's <c>mineId=</c> case).</summary>
    public async Task<long> MostAssessedMineAsync()
    {
        await using var connection = _raw.Connect();
        await connection.OpenAsync();
        await using var command = RawSql.Command(connection,
            "SELECT \"mine_id\" FROM \"assessments\" GROUP BY \"mine_id\" ORDER BY COUNT(*) DESC, \"mine_id\" LIMIT 1", []);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? throw new InvalidOperationException("no assessments: is the demo data there?"),
            CultureInfo.InvariantCulture);
    }

    /// <summary>How much data there is: mines, conflicts (open), assessments.</summary>
    public async Task<string> VolumesAsync()
    {
        await using var connection = _raw.Connect();
        await connection.OpenAsync();
        async Task<long> Scalar(string sql)
        {
            await using var command = RawSql.Command(connection, sql, []);
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        var (mines, conflicts) = (await Scalar("SELECT COUNT(*) FROM \"mines\""), await Scalar("SELECT COUNT(*) FROM \"conflicts\""));
        var (open, assessments) = (await Scalar("SELECT COUNT(*) FROM \"conflicts\" WHERE \"state\" <> 4"), await Scalar("SELECT COUNT(*) FROM \"assessments\""));
        var regions = await Scalar("SELECT COUNT(*) FROM \"regions\"");
        return string.Create(CultureInfo.InvariantCulture, $"{mines:N0} mines, {conflicts:N0} conflicts ({open:N0} open), {assessments:N0} assessments, {regions:N0} regions");
    }

    // ---- the statements -----------------------------------------------------------------------------------------

    private (string Count, string Page, List<(string, object)> Parameters, List<(string, object)> PageParameters) ConflictSql(StabilityFilter f, DateTime nowUtc)
    {
        var today = ChinaTime.DateOf(nowUtc);
        var parameters = _raw.ScopeParameters();
        var where = _raw.ScopeWhere("c") + RegionWhere("c", f.RegionCode, parameters);
        if (f.MineId is { } mineId)
        {
            where += " AND \"c\".\"mine_id\" = @mineId";
            parameters.Add(("mineId", mineId));
        }

        if (f.Category is { } category)
        {
            where += " AND \"c\".\"category\" = @category";
            parameters.Add(("category", category));
        }

        if (f.State is { } state)
        {
            where += " AND \"c\".\"state\" = @state";
            parameters.Add(("state", state));
        }

        if (f.Open == true)
        {
            where += " AND \"c\".\"state\" <> 4";
        }

        if (f.Overdue == true)
        {
            where += " AND \"c\".\"state\" <> 4 AND \"c\".\"due_on\" < @today";
        }

        var mines = $"""
            SELECT "m"."id", "m"."code", "m"."name", "m"."region_code"
            FROM "mines" AS "m"
            WHERE {_raw.ScopeWhere("m")}
            """;
        string Regions(string regionColumn) => $"""
            INNER JOIN (
                SELECT "r"."code", "r"."name", "r"."parent_code"
                FROM "regions" AS "r"
                WHERE {_raw.RegionScope("r")}
            ) AS "r0" ON {regionColumn} = "r0"."code"
            LEFT JOIN (
                SELECT "r1"."code", "r1"."name"
                FROM "regions" AS "r1"
                WHERE {_raw.RegionScope("r1")}
            ) AS "r2" ON "r0"."parent_code" = "r2"."code"
            """;
        const string inner = "\"c\".\"id\", \"c\".\"amount\", \"c\".\"category\", \"c\".\"closed_at\", \"c\".\"description\", \"c\".\"due_on\", \"c\".\"latest_progress\", " +
                             "\"c\".\"leader_name\", \"c\".\"leader_user_id\", \"c\".\"measures\", \"c\".\"mine_id\", \"c\".\"number\", \"c\".\"persons\", \"c\".\"region_code\", " +
                             "\"c\".\"registered_at\", \"c\".\"responsible_person\", \"c\".\"responsible_unit\", \"c\".\"risk_grade\", \"c\".\"state\"";
        string Columns(string c, string mine) =>
            $"\"{c}\".\"id\", \"{c}\".\"number\", \"{c}\".\"mine_id\", \"{mine}\".\"name\", \"{mine}\".\"code\", \"{c}\".\"region_code\", \"r2\".\"name\", \"r0\".\"name\", " +
            $"\"{c}\".\"category\", \"{c}\".\"description\", \"{c}\".\"amount\", \"{c}\".\"persons\", \"{c}\".\"risk_grade\", \"{c}\".\"leader_user_id\", \"{c}\".\"leader_name\", " +
            $"\"{c}\".\"responsible_unit\", \"{c}\".\"responsible_person\", \"{c}\".\"measures\", \"{c}\".\"due_on\", \"{c}\".\"state\", " +
            $"\"{c}\".\"state\" <> 4 AND \"{c}\".\"due_on\" < @today, \"{c}\".\"latest_progress\", \"{c}\".\"registered_at\", \"{c}\".\"closed_at\"";
        string count, page;
        if (f.Q is { } q)
        {
            // The text search reaches the mine's name: EF joins the mines inside, before the page is cut.
            where += Pg
                ? " AND (\"c\".\"number\" = @q OR strpos(\"c\".\"description\", @q) > 0 OR strpos(\"m0\".\"name\", @q) > 0)"
                : " AND (\"c\".\"number\" = @q OR instr(\"c\".\"description\", @q) > 0 OR instr(\"m0\".\"name\", @q) > 0)";
            parameters.Add(("q", q));
            count = $"""
                SELECT {CountStar}
                FROM "conflicts" AS "c"
                INNER JOIN (
                    SELECT "m"."id", "m"."name"
                    FROM "mines" AS "m"
                    WHERE {_raw.ScopeWhere("m")}
                ) AS "m0" ON "c"."mine_id" = "m0"."id"
                WHERE {where}
                """;
            page = $"""
                SELECT {Columns("s", "s")}
                FROM (
                    SELECT {inner}, "m0"."code", "m0"."name", "m0"."region_code" AS "region_code0"
                    FROM "conflicts" AS "c"
                    INNER JOIN (
                        {mines}
                    ) AS "m0" ON "c"."mine_id" = "m0"."id"
                    WHERE {where}
                    ORDER BY "c"."registered_at" DESC, "c"."id" DESC
                    LIMIT @p1 OFFSET @p
                ) AS "s"
                {Regions("\"s\".\"region_code0\"")}
                ORDER BY "s"."registered_at" DESC, "s"."id" DESC
                """;
        }
        else
        {
            count = $"""
                SELECT {CountStar}
                FROM "conflicts" AS "c"
                WHERE {where}
                """;
            page = $"""
                SELECT {Columns("c0", "m0")}
                FROM (
                    SELECT {inner}
                    FROM "conflicts" AS "c"
                    WHERE {where}
                    ORDER BY "c"."registered_at" DESC, "c"."id" DESC
                    LIMIT @p1 OFFSET @p
                ) AS "c0"
                INNER JOIN (
                    {mines}
                ) AS "m0" ON "c0"."mine_id" = "m0"."id"
                {Regions("\"m0\".\"region_code\"")}
                ORDER BY "c0"."registered_at" DESC, "c0"."id" DESC
                """;
        }

        var countParameters = f.Overdue == true ? [.. parameters, ("today", today)] : parameters;
        return (count, page, countParameters, [.. parameters, ("today", today), ("p1", f.PageSize), ("p", f.Skip)]);
    }

    private (string Count, string Page, List<(string, object)> Parameters, List<(string, object)> PageParameters) AssessmentSql(StabilityFilter f)
    {
        var parameters = _raw.ScopeParameters();
        var where = _raw.ScopeWhere("a");
        if (f.MineId is { } mineId)
        {
            where += " AND \"a\".\"mine_id\" = @m";
            parameters.Add(("m", mineId));
        }

        if (f.State is { } state)
        {
            where += " AND \"a\".\"state\" = @state";
            parameters.Add(("state", state));
        }

        if (f.Grade is { } grade)
        {
            where += " AND \"a\".\"grade\" = @grade";
            parameters.Add(("grade", grade));
        }

        where += RegionWhere("a", f.RegionCode, parameters);
        var count = $"""
            SELECT {CountStar}
            FROM "assessments" AS "a"
            WHERE {where}
            """;
        var page = $"""
            SELECT "a0"."id", "a0"."number", "a0"."mine_id", "m0"."name", "r2"."name", "a0"."state", "a0"."score", "a0"."grade", "a0"."veto", "a0"."assessor_name", "a0"."approver_name", "a1"."version", "a0"."created_at", "a0"."approved_at"
            FROM (
                SELECT "a"."id", "a"."approved_at", "a"."approver_name", "a"."assessor_name", "a"."created_at", "a"."grade", "a"."mine_id", "a"."number", "a"."score", "a"."state", "a"."template_id", "a"."veto"
                FROM "assessments" AS "a"
                WHERE {where}
                ORDER BY "a"."created_at" DESC, "a"."id" DESC
                LIMIT @p1 OFFSET @p
            ) AS "a0"
            INNER JOIN (
                SELECT "m"."id", "m"."name", "m"."region_code"
                FROM "mines" AS "m"
                WHERE {_raw.ScopeWhere("m")}
            ) AS "m0" ON "a0"."mine_id" = "m0"."id"
            INNER JOIN (
                SELECT "r"."code", "r"."parent_code"
                FROM "regions" AS "r"
                WHERE {_raw.RegionScope("r")}
            ) AS "r0" ON "m0"."region_code" = "r0"."code"
            LEFT JOIN (
                SELECT "r1"."code", "r1"."name"
                FROM "regions" AS "r1"
                WHERE {_raw.RegionScope("r1")}
            ) AS "r2" ON "r0"."parent_code" = "r2"."code"
            INNER JOIN "assessment_templates" AS "a1" ON "a0"."template_id" = "a1"."id"
            ORDER BY "a0"."created_at" DESC, "a0"."id" DESC
            """;
        return (count, page, parameters, [.. parameters, ("p1", f.PageSize), ("p", f.Skip)]);
    }

    /// <summary>每月一汇总 (StabilityViews.MonthlyAsync): the month's bounds in China time, the cut-off for "overdue" (now, in the current month).</summary>
    private (string Sql, List<(string, object)> Parameters) MonthlySql(StabilityFilter f, DateTime nowUtc)
    {
        var today = ChinaTime.DateOf(nowUtc);
        var month = f.Month ?? new DateOnly(today.Year, today.Month, 1);
        var start = ChinaTime.StartOfDay(month);
        var end = ChinaTime.StartOfDay(month.AddMonths(1));
        var asOf = end < nowUtc ? end : nowUtc;
        var asOfDay = ChinaTime.DateOf(asOf);
        var parameters = _raw.ScopeParameters();
        var where = _raw.ScopeWhere("c") + RegionWhere("c", f.RegionCode, parameters);
        parameters.AddRange([("start", start), ("end", end), ("asOf", asOf), ("asOfDay", asOfDay)]);
        var county = Pg ? "substring(\"c\".\"region_code\", 1, 6)" : "substr(\"c\".\"region_code\", 0 + 1, 6)";
        var sql = $"""
            SELECT "c0"."County", "c0"."category" AS "Category", {CountOf}(CASE
                WHEN "c0"."closed_at" IS NULL OR "c0"."closed_at" >= @end THEN 1
            END){IntCast} AS "Open", {CountOf}(CASE
                WHEN "c0"."registered_at" >= @start THEN 1
            END){IntCast} AS "New", {CountOf}(CASE
                WHEN "c0"."closed_at" IS NOT NULL AND "c0"."closed_at" >= @start AND "c0"."closed_at" < @end THEN 1
            END){IntCast} AS "Closed", {CountOf}(CASE
                WHEN ("c0"."closed_at" IS NULL OR "c0"."closed_at" >= @asOf) AND "c0"."due_on" < @asOfDay THEN 1
            END){IntCast} AS "Overdue", COALESCE({SumOf}(CASE
                WHEN "c0"."closed_at" IS NULL OR "c0"."closed_at" >= @end THEN COALESCE("c0"."amount", 0.0)
            END), 0.0) AS "Amount", COALESCE({SumOf}(CASE
                WHEN "c0"."closed_at" IS NULL OR "c0"."closed_at" >= @end THEN COALESCE("c0"."persons", 0)
            END){IntCast}, 0) AS "Persons"
            FROM (
                SELECT "c"."amount", "c"."category", "c"."closed_at", "c"."due_on", "c"."persons", "c"."registered_at", {county} AS "County"
                FROM "conflicts" AS "c"
                WHERE {where} AND "c"."registered_at" < @end AND ("c"."closed_at" IS NULL OR "c"."closed_at" >= @start)
            ) AS "c0"
            GROUP BY "c0"."County", "c0"."category"
            """;
        return (sql, parameters);
    }

    /// <summary>The grade counts by county (StabilityViews.ByCountyAsync, which GradesAsync sums).</summary>
    private (string Sql, List<(string, object)> Parameters) GradesSql(StabilityFilter f)
    {
        var parameters = _raw.ScopeParameters();
        var where = _raw.ScopeWhere("m") + RegionWhere("m", f.RegionCode, parameters);
        var sql = $"""
            SELECT "r0"."parent_code" AS "County", "m"."risk_grade" AS "RiskGrade", {CountStar} AS "Count"
            FROM "mines" AS "m"
            INNER JOIN (
                SELECT "r"."code", "r"."parent_code"
                FROM "regions" AS "r"
                WHERE {_raw.RegionScope("r")}
            ) AS "r0" ON "m"."region_code" = "r0"."code"
            WHERE {where}
            GROUP BY "r0"."parent_code", "m"."risk_grade"
            """;
        return (sql, parameters);
    }

    /// <summary>The counties' names, as the monthly summary reads them after its grouping query (every column of the region, no scope filter).</summary>
    private async Task CountyNamesAsync(DbConnection connection, List<string?> codes)
    {
        var present = codes.OfType<string>().ToList();
        var parameters = new List<(string, object)>();
        string list;
        if (Pg)
        {
            list = "= ANY (@codes)";
            parameters.Add(("codes", present.ToArray()));
        }
        else
        {
            list = "IN (" + string.Join(", ", present.Select((_, i) => $"@codes{i + 1}")) + ")";
            parameters.AddRange(present.Select((code, i) => ($"codes{i + 1}", (object)code)));
        }

        await using var command = RawSql.Command(connection, $"""
            SELECT "r"."code", "r"."full_name", "r"."level", "r"."name", "r"."parent_code"
            FROM "regions" AS "r"
            WHERE "r"."code" {list}
            """, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var names = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            names[reader.GetString(0)] = reader.GetString(3);
        }
    }

    private string CountStar => Pg ? "count(*)::int" : "COUNT(*)";

    private string CountOf => Pg ? "count" : "COUNT";

    private string SumOf => Pg ? "sum" : "SUM";

    private string IntCast => Pg ? "::int" : "";

    /// <summary>A regionCode filter: the region's subtree as a code range (RegionCodes.Prefix and UpperBound).</summary>
    private static string RegionWhere(string alias, string? regionCode, List<(string, object)> parameters)
    {
        if (regionCode is null)
        {
            return "";
        }

        var prefix = Scope.Prefix(regionCode);
        parameters.Add(("prefix", prefix));
        parameters.Add(("upper", Scope.UpperBound(prefix)));
        return $" AND \"{alias}\".\"region_code\" >= @prefix AND \"{alias}\".\"region_code\" < @upper";
    }
}
