namespace MineRisk.Web.Platform.Auth;

/// <summary>
/// An entity that belongs to a jurisdiction: the region (township or higher) of its mine, and its mine's
/// enterprise. Every such entity gets the same query filter (<see cref="Data.AppDbContext"/>), so a user never
/// reads a row outside their scope, whatever page or endpoint asks.
/// </summary>
public interface IScoped
{
    string RegionCode { get; }

    long? EnterpriseId { get; }
}
