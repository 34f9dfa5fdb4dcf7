using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Webhooks;

namespace Orleans.Segments.Server.Application;

/// <summary>A webhook with where its delivery stands (over its queue shards).</summary>
public sealed record WebhookState(WebhookDefinition Webhook, WebhookBacklogView Backlog);

/// <summary>What saving a webhook did: the webhook (and whether it is new), or every problem, or that the app has the most it may.</summary>
public sealed record WebhookSave(WebhookPutResult? Result, IReadOnlyList<string> Errors, bool Full);

/// <summary>An app's webhooks, for the JSON API and the console alike.</summary>
public sealed class WebhookService(IGrainFactory grains)
{
    public const int MaxDescription = 200;

    public async Task<WebhookSave> PutAsync(string app, string id, string? url, IEnumerable<string>? events, bool enabled, string? description)
    {
        var errors = new List<string>();
        if (!ResourceId.IsValid(id)) errors.Add($"id: '{ResourceId.Printable(id)}': {ResourceId.Rule}.");
        if (WebhookUrl.Problem(url) is { } urlProblem) errors.Add($"url: {urlProblem}");
        var types = (events ?? []).Distinct(StringComparer.Ordinal).ToArray();
        foreach (string type in types)
        {
            if (!WebhookEventTypes.IsKnown(type)) errors.Add($"events: '{ResourceId.Printable(type)}' is not an event type; they are {string.Join(", ", WebhookEventTypes.All)}.");
        }

        if (description is { Length: > MaxDescription }) errors.Add($"description: at most {MaxDescription} characters.");
        if (errors.Count > 0) return new WebhookSave(null, errors, false);
        var result = await Registry(app).Put(new WebhookSettings(id, url!, types, enabled, string.IsNullOrWhiteSpace(description) ? null : description));
        return new WebhookSave(result, [], result is null);
    }

    public Task<WebhookDefinition?> GetAsync(string app, string id) => Registry(app).Get(id);

    public async Task<IReadOnlyList<WebhookState>> ListAsync(string app) =>
        await Task.WhenAll((await Registry(app).List()).Select(h => WithBacklogAsync(app, h)));

    public async Task<WebhookState?> GetWithBacklogAsync(string app, string id) =>
        await Registry(app).Get(id) is { } webhook ? await WithBacklogAsync(app, webhook) : null;

    public Task<bool> DeleteAsync(string app, string id) => Registry(app).Delete(id);

    public Task<WebhookDefinition?> RotateSecretAsync(string app, string id) => Registry(app).RotateSecret(id);

    /// <summary>Posts a signed sample now; null if there is no such webhook.</summary>
    public async Task<WebhookAttempt?> TestAsync(string app, string id) =>
        await Registry(app).Get(id) is null ? null : await grains.GetGrain<IWebhookTesterGrain>(0).Test(app, id);

    public async Task<IReadOnlyList<WebhookDeadLetter>> DeadLettersAsync(string app, string id)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards).Select(s => Shard(app, id, s).GetDeadLetters()));
        return [.. shards.SelectMany(d => d).OrderBy(d => d.DeadAt)];
    }

    public async Task<WebhookEvent[]?> DeadLetterEventsAsync(string app, string id, string deadLetterId) =>
        ShardOf(deadLetterId) is { } shard ? await Shard(app, id, shard).GetDeadLetterEvents(deadLetterId) : null;

    public async Task<bool> RedeliverAsync(string app, string id, string deadLetterId) =>
        ShardOf(deadLetterId) is { } shard && await Shard(app, id, shard).Redeliver(deadLetterId);

    private async Task<WebhookState> WithBacklogAsync(string app, WebhookDefinition webhook)
    {
        var shards = await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards).Select(s => Shard(app, webhook.Id, s).GetStatus()));
        var letters = await Task.WhenAll(Enumerable.Range(0, WebhookQueueGrain.Shards).Select(s => Shard(app, webhook.Id, s).GetDeadLetters()));
        return new WebhookState(webhook, Backlog(shards, letters.Sum(l => l.Length)));
    }

    /// <summary>The shards' states as one: sums, the earliest times, and the error of the shard failing longest.</summary>
    private static WebhookBacklogView Backlog(IReadOnlyCollection<WebhookQueueStatus> shards, int deadLetters)
    {
        var worst = shards.MaxBy(s => s.FailuresInARow);
        return new WebhookBacklogView(
            shards.Sum(s => s.Pending),
            shards.Min(s => s.OldestPendingAt),
            shards.Sum(s => s.Delivered),
            shards.Sum(s => s.Attempts),
            shards.Sum(s => s.FailedAttempts),
            worst?.FailuresInARow ?? 0,
            shards.Min(s => s.FailingSince),
            shards.Min(s => s.NextAttemptAt),
            worst is { FailuresInARow: > 0 } ? worst.LastError : null,
            shards.Max(s => s.LastDeliveredAt),
            shards.Sum(s => s.DeadLettered),
            deadLetters,
            shards.Sum(s => s.Dropped));
    }

    /// <summary>The shard a dead letter id (<c>shard-page</c>) names, or null if it names none.</summary>
    private static int? ShardOf(string deadLetterId)
    {
        int dash = deadLetterId.IndexOf('-');
        return dash > 0 && deadLetterId.Length <= 40
            && int.TryParse(deadLetterId.AsSpan(0, dash), System.Globalization.NumberStyles.None, null, out int shard) && shard < WebhookQueueGrain.Shards
            && long.TryParse(deadLetterId.AsSpan(dash + 1), System.Globalization.NumberStyles.None, null, out _)
            ? shard : null;
    }

    private IWebhookRegistryGrain Registry(string app) => grains.GetGrain<IWebhookRegistryGrain>(app);

    private IWebhookQueueGrain Shard(string app, string id, int shard) => grains.GetGrain<IWebhookQueueGrain>(WebhookQueueGrain.Key(app, id, shard));
}
