using Orleans.Concurrency;
using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Webhooks;

/// <summary>Posts a signed sample batch of one <c>webhook.test</c> event, outside the queue, and returns what the receiver said.</summary>
[StatelessWorker]
public sealed class WebhookTesterGrain(WebhookSender sender, TimeProvider time) : Grain, IWebhookTesterGrain
{
    async Task<WebhookAttempt> IWebhookTesterGrain.Test(string appId, string webhookId)
    {
        var webhook = await GrainFactory.GetGrain<IWebhookRegistryGrain>(appId).Get(webhookId);
        if (webhook is null) return new WebhookAttempt(false, null, TimeSpan.Zero, "no such webhook");
        string id = "test-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        var sample = new WebhookEvent(id, WebhookEventTypes.Test, time.GetUtcNow().UtcDateTime, "sample-user")
        {
            Detail = "a sample sent from the console or POST /v1/webhooks/{id}/test; not a real event",
        };
        return await sender.PostAsync(webhook.Settings.Url, webhook.Secret, appId, webhookId, id, [sample]);
    }
}
