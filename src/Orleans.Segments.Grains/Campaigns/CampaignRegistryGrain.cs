using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Campaigns;

/// <summary>Keeps one app's campaigns as their grains last reported them.</summary>
public sealed class CampaignRegistryGrain(
    [PersistentState("campaigns", SegmentsStorage.Name)] IPersistentState<CampaignRegistryState> registry,
    CampaignCache cache) : Grain, ICampaignRegistryGrain
{
    /// <summary>The most campaigns one app may define.</summary>
    public const int MaxCampaigns = 10_000;

    async Task<long> ICampaignRegistryGrain.Put(CampaignRegistration registration)
    {
        var s = registry.State;
        if (s.Campaigns.TryGetValue(registration.Definition.Id, out var current) && current == registration) return s.Version;
        s.Campaigns[registration.Definition.Id] = registration;
        s.Version++;
        await registry.WriteStateAsync();
        cache.Invalidate(this.GetPrimaryKeyString());
        return s.Version;
    }

    Task<CampaignRegistrySnapshot> ICampaignRegistryGrain.GetSnapshot() =>
        Task.FromResult(new CampaignRegistrySnapshot(registry.State.Version, registry.State.Campaigns.Values.ToArray()));

    Task<string[]> ICampaignRegistryGrain.UsersOf(string kind, string id) =>
        Task.FromResult(registry.State.Campaigns.Values
            .Where(c => c.Status is not (CampaignStatus.Cancelled or CampaignStatus.Completed))
            .Where(c => c.Definition.References().Contains((kind, id)))
            .Select(c => c.Definition.Id)
            .Order(StringComparer.Ordinal)
            .ToArray());
}
