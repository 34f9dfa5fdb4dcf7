using System.Collections.Concurrent;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Segments;

/// <summary>
/// Each silo's compiled copy of each app's segments and geofences. A version is compiled once and shared by
/// every user grain on the silo. It is refreshed when older than <see cref="MaxAge"/>, when a caller needs a
/// newer version than it holds (a backfill, or a user already evaluated with a newer one), and at once on the
/// silo where the catalog changed.
/// </summary>
public sealed class AppModelCache(IGrainFactory grains, TimeProvider time)
{
    /// <summary>How long a silo trusts its copy before asking the catalog again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);

    /// <summary>How many times each app's copy was invalidated; a fetch begun before an invalidation may not be kept.</summary>
    private readonly ConcurrentDictionary<string, long> invalidations = new(StringComparer.Ordinal);

    private readonly Lock gate = new();

    public async ValueTask<ModelEnvironment> GetAsync(string appId, long minVersion = 0)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(appId, out var entry) && entry.Environment.Segments.Version >= minVersion && now - entry.FetchedAt < MaxAge)
        {
            return entry.Environment;
        }

        long invalidated = invalidations.GetValueOrDefault(appId);
        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(appId).GetSnapshot();
        var environment = entry is not null && entry.Environment.Segments.Version == snapshot.Version
            ? entry.Environment
            : new ModelEnvironment(SegmentSet.Build(snapshot.Version, snapshot.Segments), new GeofenceIndex(snapshot.Version, snapshot.Geofences));

        // Why: a snapshot read before the catalog changed, kept after the change invalidated the copy, would serve the
        // old definitions as fresh for MaxAge (a user created meanwhile missed a new segment); it is used, not kept.
        lock (gate)
        {
            if (invalidations.GetValueOrDefault(appId) == invalidated) entries[appId] = new Entry(environment, now);
        }

        return environment;
    }

    /// <summary>Forgets an app's copy so the next caller compiles the newest definitions.</summary>
    public void Invalidate(string appId)
    {
        lock (gate)
        {
            invalidations.AddOrUpdate(appId, 1, static (_, n) => n + 1);
            entries.TryRemove(appId, out _);
        }
    }

    private sealed record Entry(ModelEnvironment Environment, DateTimeOffset FetchedAt);
}
