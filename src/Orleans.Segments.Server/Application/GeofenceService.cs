using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Server.Application;

/// <summary>Geofences of one app, for the JSON API and the console alike.</summary>
public sealed class GeofenceService(IGrainFactory grains)
{
    public async Task<IReadOnlyList<Geofence>> ListAsync(string app) =>
        (await Catalog(app).GetSnapshot()).Geofences.OrderBy(g => g.Id, StringComparer.Ordinal).ToList();

    public async Task<Geofence?> GetAsync(string app, string id) =>
        (await Catalog(app).GetSnapshot()).Geofences.FirstOrDefault(g => g.Id == id);

    public Task<CatalogChange> PutAsync(string app, Geofence fence) => Catalog(app).PutGeofence(fence);

    /// <summary>Deletes a geofence, unless a segment, a campaign or a journey (not archived) names it.</summary>
    public async Task<CatalogChange> DeleteAsync(string app, string id)
    {
        var campaigns = await grains.GetGrain<Campaigns.ICampaignRegistryGrain>(app).UsersOf("geofence", id);
        var journeys = await JourneyService.UsersOf(grains, app, "geofence", id);
        if ((campaigns.Length > 0 || journeys.Length > 0) && (await GetAsync(app, id)) is not null)
        {
            return new CatalogChange(CatalogChangeStatus.InUse, 0, [.. campaigns.Select(c => $"campaign '{c}' uses geofence '{id}'."), .. journeys.Select(j => $"journey '{j}' uses geofence '{id}'.")]);
        }

        return await Catalog(app).DeleteGeofence(id);
    }

    private ISegmentCatalogGrain Catalog(string app) => grains.GetGrain<ISegmentCatalogGrain>(app);
}
