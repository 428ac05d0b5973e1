using Microsoft.EntityFrameworkCore;
using MineRisk.Web.Platform.Data;
using MineRisk.Web.Platform.Errors;

namespace MineRisk.Web.Platform.Regions;

public sealed record RegionItem(string Code, string Name, RegionLevel Level, string? ParentCode, string? FullName);

public sealed record OrganisationItem(long Id, string Name, OrganisationKind Kind, string KindName, string RegionCode);

public sealed record RegionDetail(RegionItem Region, IReadOnlyList<RegionItem> Children, IReadOnlyList<OrganisationItem> Organisations);

/// <summary>The region tree and organisations, within the caller's jurisdiction.</summary>
public static class RegionApi
{
    public static void MapRegionApi(this RouteGroupBuilder api)
    {
        api.MapGet("/regions", ListAsync).WithSummary("管辖范围内的行政区划");
        api.MapGet("/regions/{code}", GetAsync).WithSummary("一个行政区划及其下级和单位");
        api.MapGet("/organisations", OrganisationsAsync).WithSummary("管辖范围内的单位");
    }

    private static Task<List<RegionItem>> ListAsync(AppDbContext db, string? parentCode, CancellationToken ct)
    {
        var query = db.Regions.AsNoTracking();
        if (!string.IsNullOrEmpty(parentCode))
        {
            query = query.Where(r => r.ParentCode == parentCode);
        }

        return query.OrderBy(r => r.Code).Select(r => new RegionItem(r.Code, r.Name, r.Level, r.ParentCode, r.FullName)).ToListAsync(ct);
    }

    private static async Task<IResult> GetAsync(string code, AppDbContext db, CancellationToken ct)
    {
        var region = await db.Regions.AsNoTracking().Where(r => r.Code == code)
            .Select(r => new RegionItem(r.Code, r.Name, r.Level, r.ParentCode, r.FullName)).SingleOrDefaultAsync(ct);
        if (region is null)
        {
            return new NotFoundError("未找到该行政区划，或它不在您的管辖范围内。").ToProblem();
        }

        var children = await db.Regions.AsNoTracking().Where(r => r.ParentCode == code).OrderBy(r => r.Code)
            .Select(r => new RegionItem(r.Code, r.Name, r.Level, r.ParentCode, r.FullName)).ToListAsync(ct);
        var organisations = (await db.Organisations.AsNoTracking().Where(o => o.RegionCode == code).OrderBy(o => o.Id).ToListAsync(ct))
            .Select(o => new OrganisationItem(o.Id, o.Name, o.Kind, o.Kind.Label(), o.RegionCode)).ToList();
        return Results.Ok(new RegionDetail(region, children, organisations));
    }

    private static async Task<List<OrganisationItem>> OrganisationsAsync(AppDbContext db, string? regionCode, CancellationToken ct)
    {
        var query = db.Organisations.AsNoTracking();
        if (!string.IsNullOrEmpty(regionCode))
        {
            query = query.Where(o => o.RegionCode == regionCode);
        }

        return (await query.OrderBy(o => o.RegionCode).ThenBy(o => o.Id).ToListAsync(ct))
            .Select(o => new OrganisationItem(o.Id, o.Name, o.Kind, o.Kind.Label(), o.RegionCode)).ToList();
    }
}
