using System.Collections.Concurrent;
using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// Each silo's copy of each app's launched campaigns that are not cancelled (a completed one still sends
/// what its users hold), refreshed like the segment definitions: when
/// older than <see cref="MaxAge"/>, and at once on the silo where a campaign changed.
/// </summary>
public sealed class CampaignCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a silo trusts its copy before asking the registry again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>The app's campaigns, never older than <paramref name="minVersion"/> (what a broadcast offer was made with).</summary>
    public async ValueTask<CampaignSet> GetAsync(string appId, long minVersion = 0)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(appId, out var entry) && now - entry.FetchedAt < MaxAge && entry.Set.Version >= minVersion) return entry.Set;

        var snapshot = await grains.GetGrain<ICampaignRegistryGrain>(appId).GetSnapshot();
        if (entry is not null && entry.Set.Version == snapshot.Version)
        {
            entries[appId] = entry with { FetchedAt = now };
            return entry.Set;
        }

        var set = new CampaignSet(snapshot.Version, snapshot.Campaigns
            .Where(c => c.Status != CampaignStatus.Draft && c.Status != CampaignStatus.Cancelled)
            .Select(c => new LiveCampaign(c.Definition, c.Status)));
        entries[appId] = new Entry(set, now);
        return set;
    }

    public void Invalidate(string appId) => entries.TryRemove(appId, out _);

    /// <summary>Asks the registry now, for when the copy lacks a campaign it should know.</summary>
    public ValueTask<CampaignSet> RefreshAsync(string appId)
    {
        Invalidate(appId);
        return GetAsync(appId);
    }

    private sealed record Entry(CampaignSet Set, DateTimeOffset FetchedAt);
}
