using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Webhooks;

/// <summary>How events are streamed to webhooks (<c>Segments:Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    /// <summary>How long a receiver has to answer a batch before the attempt counts as failed. Default: 10 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The most events in one request. Default: 500.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// How long a queue waits for a batch to fill before it posts a smaller one, so a steady stream goes out in a
    /// few large requests rather than many small ones. Default: 500 ms.
    /// </summary>
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>When failed batches are tried again, and when they are given up.</summary>
    public WebhookRetry Retry { get; set; } = new();

    /// <summary>
    /// The most events one queue shard holds (eight shards per webhook); beyond it new events are dropped and
    /// counted as dropped. Default: 5,000,000 (a receiver down for a day at about 400 events a second).
    /// </summary>
    public long MaxBacklogPerShard { get; set; } = 5_000_000;

    /// <summary>
    /// The most events a user keeps for a webhook while its queue does not take them (storage down); beyond it the
    /// oldest are dropped and counted. Default: 1,000.
    /// </summary>
    public int MaxPendingPerUser { get; set; } = 1_000;
}
