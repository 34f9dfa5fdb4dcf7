using System.Collections.Concurrent;

namespace Orleans.Segments.Webhooks;

/// <summary>
/// Carries users' events to their webhook queue shards, one call per shard for all the users of the silo whose
/// events arrive while the previous call to that shard is in flight (group commit on the caller's side): a
/// broadcast whose every push streams a <c>message.sent</c> makes one queue call per batch of users, not one per
/// push. Each user awaits the call that carried its events, and removes them from its outbox only when that call
/// succeeded, so nothing is lost; a user awaits each hand-over before its next, so its events keep their order.
/// </summary>
public sealed class WebhookHandOver(IGrainFactory grains)
{
    /// <summary>The most events one call carries; more wait for the next call.</summary>
    private const int MaxEventsPerCall = 5000;

    private readonly ConcurrentDictionary<string, Shard> shards = new(StringComparer.Ordinal);

    /// <summary>Completes when the queue shard <paramref name="queueKey"/> has stored <paramref name="events"/>.</summary>
    public Task Enqueue(string queueKey, Domain.Webhooks.WebhookEvent[] events)
    {
        var shard = shards.GetOrAdd(queueKey, static _ => new Shard());
        Batch batch;
        bool start;
        lock (shard)
        {
            if (shard.Next is null || shard.Next.Events.Count >= MaxEventsPerCall) shard.Queued.Enqueue(shard.Next = new Batch());
            batch = shard.Next;
            batch.Events.AddRange(events);
            start = !shard.Sending;
            shard.Sending = true;
        }

        if (start) _ = SendAsync(queueKey, shard);
        return batch.Done.Task;
    }

    /// <summary>Sends the shard's batches one after the other until none is left.</summary>
    private async Task SendAsync(string queueKey, Shard shard)
    {
        var queue = grains.GetGrain<IWebhookQueueGrain>(queueKey);
        while (true)
        {
            Batch batch;
            lock (shard)
            {
                if (!shard.Queued.TryDequeue(out batch!))
                {
                    shard.Sending = false;
                    return;
                }

                if (ReferenceEquals(shard.Next, batch)) shard.Next = null;
            }

            try
            {
                await queue.Enqueue([.. batch.Events]);
                batch.Done.TrySetResult();
            }
            catch (Exception ex)
            {
                batch.Done.TrySetException(ex);
            }
        }
    }

    private sealed class Shard
    {
        public readonly Queue<Batch> Queued = new();
        public Batch? Next;
        public bool Sending;
    }

    private sealed class Batch
    {
        public readonly List<Domain.Webhooks.WebhookEvent> Events = [];
        public readonly TaskCompletionSource Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
