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

    public async ValueTask<ModelEnvironment> GetAsync(string appId, long minVersion = 0)
    {
        var now = time.GetUtcNow();
        if (entries.TryGetValue(appId, out var entry) && entry.Environment.Segments.Version >= minVersion && now - entry.FetchedAt < MaxAge)
        {
            return entry.Environment;
        }

        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(appId).GetSnapshot();
        if (entry is not null && entry.Environment.Segments.Version == snapshot.Version)
        {
            entries[appId] = entry with { FetchedAt = now };
            return entry.Environment;
        }

        var environment = new ModelEnvironment(
            SegmentSet.Build(snapshot.Version, snapshot.Segments),
            new GeofenceIndex(snapshot.Version, snapshot.Geofences));
        entries[appId] = new Entry(environment, now);
        return environment;
    }

    /// <summary>Forgets an app's copy so the next caller compiles the newest definitions.</summary>
    public void Invalidate(string appId) => entries.TryRemove(appId, out _);

    private sealed record Entry(ModelEnvironment Environment, DateTimeOffset FetchedAt);
}
