using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Options;
using MineRisk.Web.Platform.Audit;
using MineRisk.Web.Platform.Data;

namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// A key of the ASP.NET Core data-protection key ring (which signs cookies, bearer tokens and antiforgery tokens),
/// kept in the database so that every app instance and every restart shares the same keys.
/// </summary>
[NotAudited("密钥材料，不得复制进审计记录")]
public sealed class DataProtectionKey
{
    public long Id { get; init; }

    public string? FriendlyName { get; init; }

    public required string Xml { get; init; }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> b)
    {
        b.ToTable("data_protection_keys");
        b.Property(k => k.FriendlyName).HasMaxLength(100);
    }
}

/// <summary>Stores the key ring in <c>data_protection_keys</c> (the EF package for this is not in the package mirror).</summary>
public sealed class DatabaseKeyRepository(IServiceScopeFactory scopes) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        return db.Set<DataProtectionKey>().AsNoTracking().Select(k => k.Xml).ToList().Select(XElement.Parse).ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var scope = scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        db.Scope = UserScope.System;
        db.Set<DataProtectionKey>().Add(new DataProtectionKey { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}

internal sealed class UseDatabaseKeyRepository(IServiceScopeFactory scopes) : IConfigureOptions<KeyManagementOptions>
{
    public void Configure(KeyManagementOptions options) => options.XmlRepository = new DatabaseKeyRepository(scopes);
}
