using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// One app's campaigns (key: app id): the list the API shows, and the running and paused ones every silo
/// caches for user grains to fire triggers and send held messages. Each change bumps a version.
/// </summary>
[Alias("segments.ICampaignRegistryGrain")]
public interface ICampaignRegistryGrain : IGrainWithStringKey
{
    /// <summary>Stores the campaign's status and definition; returns the registry version that holds them.</summary>
    [Alias("Put")]
    Task<long> Put(CampaignRegistration registration);

    [Alias("GetSnapshot")]
    Task<CampaignRegistrySnapshot> GetSnapshot();

    /// <summary>The campaigns (not cancelled or completed) that name a segment or a geofence.</summary>
    [Alias("UsersOf")]
    Task<string[]> UsersOf(string kind, string id);
}
