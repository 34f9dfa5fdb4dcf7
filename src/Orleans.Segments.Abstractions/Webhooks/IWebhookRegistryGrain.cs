using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Webhooks;

/// <summary>An app's webhooks (key: the app id): where its events are streamed, which ones, and the secrets they are signed with.</summary>
[Alias("segments.IWebhookRegistryGrain")]
public interface IWebhookRegistryGrain : IGrainWithStringKey
{
    /// <summary>Creates or replaces a webhook (its secret is kept, or made for a new one); null when the app already has the most webhooks allowed.</summary>
    [Alias("Put")]
    Task<WebhookPutResult?> Put(WebhookSettings settings);

    [Alias("Get")]
    Task<WebhookDefinition?> Get(string id);

    [Alias("List")]
    Task<WebhookDefinition[]> List();

    /// <summary>Removes a webhook and drops its backlog; false if there was none.</summary>
    [Alias("Delete")]
    Task<bool> Delete(string id);

    /// <summary>Gives the webhook a new secret; null if there is no such webhook.</summary>
    [Alias("RotateSecret")]
    Task<WebhookDefinition?> RotateSecret(string id);

    /// <summary>Which webhooks take which events, for the silos' caches.</summary>
    [Alias("GetRoutes")]
    Task<WebhookRoutes> GetRoutes();
}

/// <summary>What a caller sets on a webhook.</summary>
[GenerateSerializer, Immutable, Alias("segments.WebhookSettings")]
public sealed record WebhookSettings(
    [property: Id(0)] string Id,
    [property: Id(1)] string Url,
    [property: Id(2)] string[] Events,
    [property: Id(3)] bool Enabled,
    [property: Id(4)] string? Description);

/// <summary>A webhook as stored: its settings, its signing secret, and when it was made and changed.</summary>
[GenerateSerializer, Immutable, Alias("segments.WebhookDefinition")]
public sealed record WebhookDefinition(
    [property: Id(0)] WebhookSettings Settings,
    [property: Id(1)] string Secret,
    [property: Id(2)] DateTime CreatedAt,
    [property: Id(3)] DateTime UpdatedAt)
{
    public string Id => Settings.Id;
}

[GenerateSerializer, Immutable, Alias("segments.WebhookPutResult")]
public sealed record WebhookPutResult([property: Id(0)] WebhookDefinition Webhook, [property: Id(1)] bool Created);

/// <summary>The app's enabled webhooks and the event types each takes (empty: every type).</summary>
[GenerateSerializer, Immutable, Alias("segments.WebhookRoutes")]
public sealed record WebhookRoutes([property: Id(0)] long Version, [property: Id(1)] WebhookRoute[] Routes)
{
    public static readonly WebhookRoutes None = new(0, []);
}

[GenerateSerializer, Immutable, Alias("segments.WebhookRoute")]
public sealed record WebhookRoute([property: Id(0)] string WebhookId, [property: Id(1)] string[] Events)
{
    public bool Wants(string type) => Events.Length == 0 || Array.IndexOf(Events, type) >= 0;
}
