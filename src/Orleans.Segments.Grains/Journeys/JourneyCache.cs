using System.Collections.Concurrent;
using Orleans.Segments.Domain.Journeys;

namespace Orleans.Segments.Journeys;

/// <summary>
/// One app's journeys as user grains walk them: every one that is not a draft, by id, and the live ones by what
/// puts a user in, so that an event, a segment entry or a stage change finds its journeys without a scan.
/// </summary>
public sealed class JourneySet
{
    public static readonly JourneySet Empty = new(0, []);

    private readonly Dictionary<string, JourneyRegistration> byId;

    public JourneySet(long version, IEnumerable<JourneyRegistration> journeys)
    {
        Version = version;
        byId = journeys.ToDictionary(j => j.Id, StringComparer.Ordinal);
        Live = [.. byId.Values.Where(j => j.Status == JourneyStatus.Live).OrderBy(j => j.Id, StringComparer.Ordinal)];
    }

    public long Version { get; }

    /// <summary>The live journeys, in id order (the order users enter them when one change enters several).</summary>
    public IReadOnlyList<JourneyRegistration> Live { get; }

    public bool IsEmpty => byId.Count == 0;

    public JourneyRegistration? Find(string id) => byId.GetValueOrDefault(id);
}

/// <summary>
/// Each silo's copy of each app's journeys, refreshed like the campaigns': when older than <see cref="MaxAge"/>,
/// and at once on the silo where a journey changed.
/// </summary>
public sealed class JourneyCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public async ValueTask<JourneySet> GetAsync(string appId)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(appId, out var entry) && now - entry.FetchedAt < MaxAge) return entry.Set;

        var snapshot = await grains.GetGrain<IJourneyCatalogGrain>(appId).GetSnapshot();
        var set = entry is not null && entry.Set.Version == snapshot.Version ? entry.Set
            : snapshot.Journeys.Length == 0 ? JourneySet.Empty
            : new JourneySet(snapshot.Version, snapshot.Journeys);
        entries[appId] = new Entry(set, now);
        return set;
    }

    public void Invalidate(string appId) => entries.TryRemove(appId, out _);

    /// <summary>Asks the catalog now, for when the copy lacks a journey a user is in.</summary>
    public ValueTask<JourneySet> RefreshAsync(string appId)
    {
        Invalidate(appId);
        return GetAsync(appId);
    }

    private sealed record Entry(JourneySet Set, DateTimeOffset FetchedAt);
}
