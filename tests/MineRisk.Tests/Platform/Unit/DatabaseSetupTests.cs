using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;
using Npgsql;

namespace MineRisk.Tests.Platform.Unit;

public sealed class DatabaseSetupTests
{
    [Fact]
    public void PostgresConnection_PreparesStatementsFromTheirSecondUse_KeepingEverythingElse()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=127.0.0.1;Port=5433;Database=minerisk;Username=mr;Password=秘密;Maximum Pool Size=60"));
        Assert.Equal(256, built.MaxAutoPrepare);
        Assert.Equal(2, built.AutoPrepareMinUsages);
        Assert.True(built.NoResetOnClose);
        Assert.Equal(("127.0.0.1", 5433, "minerisk", "mr", "秘密", 60), (built.Host, built.Port, built.Database, built.Username, built.Password, built.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0")]
    [InlineData("Host=db;MaxAutoPrepare=0")]
    [InlineData("Host=db;max auto prepare=0")]
    public void PostgresConnection_ThatSaysHowToPrepare_KeepsItsOwnChoice(string configured)
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString(configured));
        Assert.Equal(0, built.MaxAutoPrepare);
        Assert.True(built.NoResetOnClose);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=20")]
    [InlineData("Host=db;NoResetOnClose=false;MaxAutoPrepare=20")]
    public void PostgresConnection_ThatSaysBoth_IsLeftAsItIs(string configured)
    {
        Assert.Equal(configured, DatabaseSetup.PostgresConnectionString(configured));
        Assert.False(new NpgsqlConnectionStringBuilder(configured).NoResetOnClose);
    }

    [Fact]
    public void PostgresConnection_ThatSaysHowToReset_KeepsItsOwnChoice()
    {
        var built = new NpgsqlConnectionStringBuilder(DatabaseSetup.PostgresConnectionString("Host=db;No Reset On Close=false"));
        Assert.False(built.NoResetOnClose);
        Assert.Equal(256, built.MaxAutoPrepare);
    }
}

public sealed class ModelConventionsTests
{
    [Fact]
    public void PostgresOnlyIndex_IsInThePostgresModel_AndNotInSQLites()
    {
        static IEnumerable<string?> Indexes(DbContextOptions<AppDbContext> options)
        {
            using var db = new AppDbContext(options);
            return db.Model.FindEntityType(typeof(MineRisk.Web.Features.Hazards.Hazard))!.GetIndexes().Select(i => i.GetDatabaseName()).ToList();
        }

        // Building a model connects to nothing.
        var postgres = Indexes(new DbContextOptionsBuilder<AppDbContext>().UseNpgsql("Host=127.0.0.1;Database=none").Options);
        var sqlite = Indexes(new DbContextOptionsBuilder<AppDbContext>().UseSqlite("Data Source=:memory:").Options);
        Assert.Contains("ix_hazards_open_id", postgres);
        Assert.DoesNotContain("ix_hazards_open_id", sqlite);
        Assert.Contains("ix_hazards_open", sqlite); // the other indexes stay
        Assert.Equal(postgres.Count() - 1, sqlite.Count());
    }
}
