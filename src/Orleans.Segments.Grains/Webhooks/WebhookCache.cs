using System.Collections.Concurrent;

namespace Orleans.Segments.Webhooks;

/// <summary>
/// Each silo's copy of the apps' webhook routes, which user grains read on every call: refreshed from the
/// registry at most every <see cref="MaxAge"/> (so a webhook saved on another silo takes events from then on),
/// and dropped at once on the silo that saved the change.
/// </summary>
public sealed class WebhookCache(IGrainFactory grains, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, (WebhookRoutes Routes, DateTimeOffset FetchedAt)> entries = new(StringComparer.Ordinal);

    public ValueTask<WebhookRoutes> GetAsync(string appId)
    {
        if (entries.TryGetValue(appId, out var entry) && time.GetUtcNow() - entry.FetchedAt < MaxAge) return ValueTask.FromResult(entry.Routes);
        return FetchAsync(appId);
    }

    private async ValueTask<WebhookRoutes> FetchAsync(string appId)
    {
        var now = time.GetUtcNow();
        try
        {
            var routes = await grains.GetGrain<IWebhookRegistryGrain>(appId).GetRoutes();
            entries[appId] = (routes, now);
            return routes;
        }
        catch (Exception) when (entries.TryGetValue(appId, out var stale))
        {
            // Why: the registry unreachable for a moment (its silo died) must not fail users' calls; the routes
            // they had are kept until it answers again.
            return stale.Routes;
        }
    }

    public void Invalidate(string appId) => entries.TryRemove(appId, out _);
}
