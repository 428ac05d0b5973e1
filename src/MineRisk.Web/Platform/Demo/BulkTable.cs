using System.Buffers;
using System.Globalization;
using System.Linq.Expressions;
using System.Reflection;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using MineRisk.Web.Platform.Data;
using Npgsql;
using NpgsqlTypes;
using SQLitePCL;

namespace MineRisk.Web.Platform.Demo;

/// <summary>What every <see cref="BulkTable{T}"/> can do whatever its entity.</summary>
public interface IBulkTable : IDisposable
{
    Task AnalyzeAsync(CancellationToken ct);
}

/// <summary>
/// Writes many rows of one entity straight into its table, for demo data at DESIGN §3 volumes (a million hazards) and for
/// rows derived from them in bulk (the hazards' search index): binary COPY on PostgreSQL, one prepared INSERT reused for
/// every row on SQLite. Table, columns and value conversions come from the EF model, so the rows read back through the
/// model exactly as if EF had written them; the per-column code is compiled once and binds by position on the native
/// SQLite statement without boxing (through ADO.NET, binding a 60-column row by parameter name cost several times what
/// SQLite itself spends inserting it). Nothing goes through change tracking or the audit trail: the caller records one
/// audit event for the whole bulk. Runs in the context's current transaction, which the caller must have begun (on an
/// open connection).
/// </summary>
public sealed class BulkTable<T> : IBulkTable where T : class
{
    private static readonly MethodInfo PgWrite = typeof(NpgsqlBinaryImporter).GetMethods()
        .Single(m => m.Name == nameof(NpgsqlBinaryImporter.Write) && m.IsGenericMethod && m.GetParameters() is [_, { ParameterType: var t }] && t == typeof(NpgsqlDbType));

    private static readonly MethodInfo PgWriteNull = typeof(NpgsqlBinaryImporter).GetMethod(nameof(NpgsqlBinaryImporter.WriteNull))!;

    private readonly AppDbContext _db;
    private readonly IEntityType _entity;
    private readonly string _table;
    private readonly string? _keyColumn;
    private readonly string[] _columnNames;
    private readonly Action<T, sqlite3_stmt>[] _sqliteBinders = [];
    private readonly Action<T, NpgsqlBinaryImporter>[] _pgWriters = [];
    private readonly Dictionary<string, FieldInfo> _fields = [];
    private sqlite3_stmt? _insert;

    /// <param name="explicitKeys">Whether rows carry their own key (given by the caller, see <see cref="NextKeyAsync"/>),
    /// so that other rows can point at them before anything is written; otherwise the database numbers them. A composite
    /// key is always the caller's.</param>
    public BulkTable(AppDbContext db, bool explicitKeys)
    {
        _db = db;
        _entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} 不是数据模型中的实体。");
        _table = _entity.GetTableName()!;
        var key = _entity.FindPrimaryKey()!.Properties;
        if (key.Count > 1 && !explicitKeys)
        {
            throw new InvalidOperationException($"{typeof(T).Name} 的主键由多列组成，批量写入时须由调用方给出。");
        }

        _keyColumn = key.Count == 1 ? key[0].GetColumnName() : null;
        var properties = _entity.GetProperties().Where(p => !p.IsPrimaryKey() || explicitKeys).ToList();
        _columnNames = properties.Select(p => p.GetColumnName()).ToArray();
        if (db.IsPostgres)
        {
            _pgWriters = properties.Select(PgWriter).ToArray();
        }
        else
        {
            _sqliteBinders = properties.Select((p, i) => SqliteBinder(p, i + 1)).ToArray();
        }
    }

    /// <summary>The first free key: rows written with explicit keys take it and the following ones.</summary>
    public async Task<long> NextKeyAsync(CancellationToken ct)
    {
        // Table and column names come from the EF model, never from input.
        var column = _keyColumn ?? throw new InvalidOperationException($"{typeof(T).Name} 没有单列主键。");
        var sql = $"SELECT COALESCE(MAX(\"{column}\"), 0) + 1 AS \"Value\" FROM \"{_table}\"";
        return await _db.Database.SqlQueryRaw<long>(sql).SingleAsync(ct);
    }

    /// <summary>
    /// Sets a property the entity does not let its callers set (an <c>init</c> key of an object built by a factory,
    /// a foreign key of a child row), through its backing field as EF does.
    /// </summary>
    public void Set(T row, string propertyName, object? value)
    {
        if (!_fields.TryGetValue(propertyName, out var field))
        {
            field = _entity.FindProperty(propertyName)?.FieldInfo ?? throw new InvalidOperationException($"{typeof(T).Name}.{propertyName} 没有可写的字段。");
            _fields[propertyName] = field;
        }

        field.SetValue(row, value);
    }

    public async Task WriteAsync(IReadOnlyCollection<T> rows, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        if (_db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("批量写入须在事务中进行。");
        }

        var columns = string.Join(", ", _columnNames.Select(c => $"\"{c}\""));
        if (_db.IsPostgres)
        {
            var connection = (NpgsqlConnection)_db.Database.GetDbConnection();
            await using var importer = await connection.BeginBinaryImportAsync($"COPY \"{_table}\" ({columns}) FROM STDIN (FORMAT BINARY)", ct);
            foreach (var row in rows)
            {
                // Synchronous writes fill the importer's buffer; it goes to the server when full.
                importer.StartRow();
                foreach (var write in _pgWriters)
                {
                    write(row, importer);
                }
            }

            await importer.CompleteAsync(ct);
            return;
        }

        var handle = ((SqliteConnection)_db.Database.GetDbConnection()).Handle!;
        var insert = _insert ??= Prepare(handle, $"INSERT INTO \"{_table}\" ({columns}) VALUES ({string.Join(", ", _columnNames.Select(_ => "?"))})");
        foreach (var row in rows)
        {
            foreach (var bind in _sqliteBinders)
            {
                bind(row, insert);
            }

            var rc = raw.sqlite3_step(insert);
            raw.sqlite3_reset(insert);
            if (rc != raw.SQLITE_DONE)
            {
                throw new SqliteException($"批量写入 {_table} 失败：{raw.sqlite3_errmsg(handle).utf8_to_string()}", rc);
            }
        }
    }

    /// <summary>After rows with explicit keys: PostgreSQL's identity sequence continues after them (SQLite's AUTOINCREMENT does so by itself).</summary>
    public async Task AfterExplicitKeysAsync(CancellationToken ct)
    {
        if (_db.IsPostgres && _keyColumn is not null)
        {
            var sql = $"SELECT setval(pg_get_serial_sequence('\"{_table}\"', '{_keyColumn}'), GREATEST((SELECT MAX(\"{_keyColumn}\") FROM \"{_table}\"), 1))";
            await _db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    /// <summary>Fresh planner statistics after a bulk load (PostgreSQL; autovacuum would get there later).</summary>
    public async Task AnalyzeAsync(CancellationToken ct)
    {
        if (_db.IsPostgres)
        {
            var sql = $"ANALYZE \"{_table}\"";
            await _db.Database.ExecuteSqlRawAsync(sql, ct);
        }
    }

    public void Dispose() => _insert?.Dispose();

    private static sqlite3_stmt Prepare(sqlite3 handle, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(handle, sql, out var statement);
        return rc == raw.SQLITE_OK ? statement : throw new SqliteException($"准备批量写入失败：{raw.sqlite3_errmsg(handle).utf8_to_string()}", rc);
    }

    // ---- per-column code, compiled once -------------------------------------------------------------------

    /// <summary>The property's value as the database stores it (EF's converter applied), and whether it is null.</summary>
    private static (Expression Value, Expression? IsNull, Type Provider) Read(IProperty property, ParameterExpression row)
    {
        if (property.PropertyInfo is null)
        {
            throw new NotSupportedException($"{typeof(T).Name}.{property.Name} 是影子属性，批量写入不支持。");
        }

        Expression value = Expression.Property(row, property.PropertyInfo);
        Expression? isNull = null;
        if (Nullable.GetUnderlyingType(value.Type) is not null)
        {
            isNull = Expression.Not(Expression.Property(value, "HasValue"));
            value = Expression.Property(value, "Value");
        }
        else if (!value.Type.IsValueType)
        {
            isNull = Expression.Equal(value, Expression.Constant(null, value.Type));
        }

        if (property.GetTypeMapping().Converter is { } converter)
        {
            value = Expression.Invoke(converter.ConvertToProviderExpression, Expression.Convert(value, converter.ModelClrType));
        }

        return (value, isNull, value.Type);
    }

    private static Action<T, NpgsqlBinaryImporter> PgWriter(IProperty property)
    {
        var row = Expression.Parameter(typeof(T));
        var importer = Expression.Parameter(typeof(NpgsqlBinaryImporter));
        var (value, isNull, provider) = Read(property, row);
        Expression write = Expression.Call(importer, PgWrite.MakeGenericMethod(provider), value, Expression.Constant(PgType(provider, property.GetColumnType())));
        if (isNull is not null)
        {
            write = Expression.IfThenElse(isNull, Expression.Call(importer, PgWriteNull), write);
        }

        return Expression.Lambda<Action<T, NpgsqlBinaryImporter>>(write, row, importer).Compile();
    }

    private static Action<T, sqlite3_stmt> SqliteBinder(IProperty property, int index)
    {
        var row = Expression.Parameter(typeof(T));
        var statement = Expression.Parameter(typeof(sqlite3_stmt));
        var (value, isNull, provider) = Read(property, row);
        var target = provider == typeof(bool) ? Expression.Condition(value, Expression.Constant(1L), Expression.Constant(0L))
            : provider == typeof(int) || provider == typeof(short) || provider == typeof(byte) ? Expression.Convert(value, typeof(long))
            : provider == typeof(float) ? Expression.Convert(value, typeof(double))
            : value;
        var method = typeof(SqliteBind).GetMethod(nameof(SqliteBind.Value), [typeof(sqlite3_stmt), typeof(int), target.Type])
                     ?? throw new NotSupportedException($"批量写入不支持类型 {provider.Name}。");
        var index1 = Expression.Constant(index);
        Expression bind = Expression.Call(method, statement, index1, target);
        if (isNull is not null)
        {
            bind = Expression.IfThenElse(isNull, Expression.Call(typeof(SqliteBind).GetMethod(nameof(SqliteBind.Null))!, statement, index1), bind);
        }

        return Expression.Lambda<Action<T, sqlite3_stmt>>(bind, row, statement).Compile();
    }

    private static NpgsqlDbType PgType(Type provider, string? columnType) => provider switch
    {
        _ when provider == typeof(long) => NpgsqlDbType.Bigint,
        _ when provider == typeof(int) => NpgsqlDbType.Integer,
        _ when provider == typeof(short) => NpgsqlDbType.Smallint,
        _ when provider == typeof(bool) => NpgsqlDbType.Boolean,
        _ when provider == typeof(double) => NpgsqlDbType.Double,
        _ when provider == typeof(float) => NpgsqlDbType.Real,
        _ when provider == typeof(decimal) => NpgsqlDbType.Numeric,
        _ when provider == typeof(string) => columnType?.StartsWith("text", StringComparison.Ordinal) == true ? NpgsqlDbType.Text : NpgsqlDbType.Varchar,
        _ when provider == typeof(DateOnly) => NpgsqlDbType.Date,
        _ when provider == typeof(DateTime) => columnType?.StartsWith("timestamp without", StringComparison.Ordinal) == true ? NpgsqlDbType.Timestamp : NpgsqlDbType.TimestampTz,
        _ when provider == typeof(Guid) => NpgsqlDbType.Uuid,
        _ when provider == typeof(byte[]) => NpgsqlDbType.Bytea,
        _ => throw new NotSupportedException($"批量写入不支持类型 {provider.Name}。"),
    };
}

/// <summary>Binds one value to a native SQLite statement the way EF stores it (dates and times as EF's text forms, so that queries through the model compare correctly).</summary>
internal static class SqliteBind
{
    public static void Null(sqlite3_stmt s, int i) => Check(raw.sqlite3_bind_null(s, i));

    public static void Value(sqlite3_stmt s, int i, long v) => Check(raw.sqlite3_bind_int64(s, i, v));

    public static void Value(sqlite3_stmt s, int i, double v) => Check(raw.sqlite3_bind_double(s, i, v));

    public static void Value(sqlite3_stmt s, int i, string v)
    {
        var max = Encoding.UTF8.GetMaxByteCount(v.Length);
        byte[]? rented = null;
        var buffer = max <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(max));
        var n = Encoding.UTF8.GetBytes(v, buffer);
        Check(raw.sqlite3_bind_text(s, i, buffer[..n]));
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public static void Value(sqlite3_stmt s, int i, byte[] v) => Check(raw.sqlite3_bind_blob(s, i, v));

    public static void Value(sqlite3_stmt s, int i, DateTime v)
    {
        Span<byte> buffer = stackalloc byte[32];
        v.TryFormat(buffer, out var n, "yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text(s, i, buffer[..n]));
    }

    public static void Value(sqlite3_stmt s, int i, DateOnly v)
    {
        Span<byte> buffer = stackalloc byte[16];
        v.TryFormat(buffer, out var n, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        Check(raw.sqlite3_bind_text(s, i, buffer[..n]));
    }

    private static void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException("批量写入绑定参数失败", rc);
        }
    }
}
