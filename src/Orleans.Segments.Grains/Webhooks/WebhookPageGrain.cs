using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Webhooks;

/// <summary>A sealed page of a webhook queue's backlog: written once, read until delivered, then cleared.</summary>
public sealed class WebhookPageGrain(
    [PersistentState("webhookPage", Hosting.SegmentsStorage.Name)] IPersistentState<WebhookPageState> page) : Grain, IWebhookPageGrain
{
    async Task IWebhookPageGrain.Put(WebhookEvent[] events)
    {
        page.State.Events = events;
        await page.WriteStateAsync();
    }

    Task<WebhookEvent[]> IWebhookPageGrain.Get() => Task.FromResult(page.State.Events);

    async Task IWebhookPageGrain.Clear()
    {
        if (page.RecordExists) await page.ClearStateAsync();
        page.State = new WebhookPageState();
        DeactivateOnIdle();
    }
}

[GenerateSerializer, Alias("segments.WebhookPageState")]
public sealed class WebhookPageState
{
    [Id(0)] public WebhookEvent[] Events { get; set; } = [];
}
