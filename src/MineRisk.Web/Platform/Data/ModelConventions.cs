using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MineRisk.Web.Platform.Data;

/// <summary>
/// Naming and collation rules applied to the whole model: snake_case tables, columns, keys and indexes (readable
/// raw SQL on both databases), and byte-order ("C") collation on PostgreSQL for code columns, so that a region's
/// subtree is an index range scan (see <see cref="Auth.UserScope"/>).
/// </summary>
internal static class ModelConventions
{
    public static void Apply(ModelBuilder builder, bool postgres)
    {
        foreach (var entity in builder.Model.GetEntityTypes())
        {
            if (entity.GetTableName() is { } table && entity.BaseType is null)
            {
                entity.SetTableName(Snake(table));
            }

            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(Snake(property.GetColumnName()));
                if (postgres && property.ClrType == typeof(string) && property.Name.EndsWith("Code", StringComparison.Ordinal))
                {
                    property.SetCollation("C");
                }
            }

            foreach (var key in entity.GetKeys())
            {
                key.SetName(Snake(key.GetName()!));
            }

            foreach (var fk in entity.GetForeignKeys())
            {
                fk.SetConstraintName(Snake(fk.GetConstraintName()!));
            }

            foreach (var index in entity.GetIndexes().ToList())
            {
                if (!postgres && index.FindAnnotation(PostgresOnly) is { Value: true })
                {
                    entity.RemoveIndex(index);
                    continue;
                }

                index.SetDatabaseName(Snake(index.GetDatabaseName()!));
            }
        }
    }

    /// <summary>
    /// An index PostgreSQL needs and SQLite is better without (<c>HasAnnotation(PostgresOnly, true)</c>): e.g. one that lets
    /// PostgreSQL answer from the index alone, where SQLite's indexes carry the rowid anyway and its planner would pick
    /// the new index over the primary key for lookups by id.
    /// </summary>
    public const string PostgresOnly = "MineRisk:PostgresOnly";

    public static string Snake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0 && name[i - 1] != '_' && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || (i + 1 < name.Length && char.IsLower(name[i + 1]))))
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
