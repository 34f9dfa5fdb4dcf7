using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Webhooks;

/// <summary>An app's webhooks, with a version the silos' caches compare.</summary>
public sealed class WebhookRegistryGrain(
    [PersistentState("webhooks", Hosting.SegmentsStorage.Name)] IPersistentState<WebhookRegistryState> registry,
    WebhookCache cache,
    TimeProvider time) : Grain, IWebhookRegistryGrain
{
    /// <summary>How many webhooks an app may have: a warehouse, an analytics tool, a staging copy; not one per consumer.</summary>
    public const int MaxWebhooks = 5;

    private string AppId => this.GetPrimaryKeyString();

    async Task<WebhookPutResult?> IWebhookRegistryGrain.Put(WebhookSettings settings)
    {
        var hooks = registry.State.Webhooks;
        var now = time.GetUtcNow().UtcDateTime;
        int index = hooks.FindIndex(h => h.Id == settings.Id);
        if (index < 0 && hooks.Count >= MaxWebhooks) return null;
        var webhook = index < 0
            ? new WebhookDefinition(settings, WebhookSignature.NewSecret(), now, now)
            : hooks[index] with { Settings = settings, UpdatedAt = now };
        if (index < 0) hooks.Add(webhook);
        else hooks[index] = webhook;
        await Save();
        return new WebhookPutResult(webhook, index < 0);
    }

    Task<WebhookDefinition?> IWebhookRegistryGrain.Get(string id) => Task.FromResult(registry.State.Webhooks.Find(h => h.Id == id));

    Task<WebhookDefinition[]> IWebhookRegistryGrain.List() => Task.FromResult(registry.State.Webhooks.ToArray());

    async Task<bool> IWebhookRegistryGrain.Delete(string id)
    {
        if (registry.State.Webhooks.RemoveAll(h => h.Id == id) == 0) return false;

        // Why: stored first, so no user hands the webhook new events once its queue is dropped (a user who
        // read the routes just before may still add a few, which the dropped queue then discards).
        await Save();
        await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards)
            .Select(shard => GrainFactory.GetGrain<IWebhookQueueGrain>(WebhookQueueGrain.Key(AppId, id, shard)).Discard()));
        return true;
    }

    async Task<WebhookDefinition?> IWebhookRegistryGrain.RotateSecret(string id)
    {
        var hooks = registry.State.Webhooks;
        int index = hooks.FindIndex(h => h.Id == id);
        if (index < 0) return null;
        hooks[index] = hooks[index] with { Secret = WebhookSignature.NewSecret(), UpdatedAt = time.GetUtcNow().UtcDateTime };
        await Save();
        return hooks[index];
    }

    Task<WebhookRoutes> IWebhookRegistryGrain.GetRoutes() => Task.FromResult(Routes());

    private WebhookRoutes Routes() => new(registry.State.Version,
        [.. registry.State.Webhooks.Where(h => h.Settings.Enabled).Select(h => new WebhookRoute(h.Id, h.Settings.Events))]);

    private async Task Save()
    {
        registry.State.Version++;
        await registry.WriteStateAsync();
        cache.Invalidate(AppId);
    }
}

[GenerateSerializer, Alias("segments.WebhookRegistryState")]
public sealed class WebhookRegistryState
{
    [Id(0)] public List<WebhookDefinition> Webhooks { get; set; } = [];

    [Id(1)] public long Version { get; set; }
}
