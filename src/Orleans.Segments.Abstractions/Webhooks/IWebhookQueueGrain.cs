using Orleans.Concurrency;
using Orleans.Segments.Domain.Webhooks;

namespace Orleans.Segments.Webhooks;

/// <summary>
/// One shard of a webhook's queue (key: <c>app/webhookId/shard</c>; a user's events always go to the same shard,
/// so they are delivered in order). It keeps what it was given durably, posts it in signed batches, retries with
/// backoff, and moves a batch that failed for too long to its dead-letter list.
/// </summary>
[Alias("segments.IWebhookQueueGrain")]
public interface IWebhookQueueGrain : IGrainWithStringKey
{
    /// <summary>Appends events (in the order given) once they are stored; interleaves with a delivery in flight.</summary>
    [AlwaysInterleave, Alias("Enqueue")]
    Task Enqueue(WebhookEvent[] events);

    /// <summary>Runs one delivery tick now, as the queue's timer does: seals a tail that waited the linger and posts what is due.</summary>
    [Alias("Deliver")]
    Task Deliver();

    [AlwaysInterleave, Alias("GetStatus")]
    Task<WebhookQueueStatus> GetStatus();

    [AlwaysInterleave, Alias("GetDeadLetters")]
    Task<WebhookDeadLetter[]> GetDeadLetters();

    /// <summary>The events of a dead letter, or null if this shard has no such dead letter.</summary>
    [Alias("GetDeadLetterEvents")]
    Task<WebhookEvent[]?> GetDeadLetterEvents(string deadLetterId);

    /// <summary>Puts a dead letter's events back at the end of the queue; false if this shard has no such dead letter.</summary>
    [Alias("Redeliver")]
    Task<bool> Redeliver(string deadLetterId);

    /// <summary>Drops everything queued and dead-lettered (the webhook was deleted).</summary>
    [Alias("Discard")]
    Task Discard();
}

/// <summary>Where a shard's delivery stands.</summary>
[GenerateSerializer, Immutable, Alias("segments.WebhookQueueStatus")]
public sealed record WebhookQueueStatus(
    [property: Id(0)] long Pending,
    [property: Id(1)] DateTime? OldestPendingAt,
    [property: Id(2)] long Delivered,
    [property: Id(3)] long Attempts,
    [property: Id(4)] long FailedAttempts,
    [property: Id(5)] int FailuresInARow,
    [property: Id(6)] DateTime? FailingSince,
    [property: Id(7)] DateTime? NextAttemptAt,
    [property: Id(8)] string? LastError,
    [property: Id(9)] DateTime? LastDeliveredAt,
    [property: Id(10)] long DeadLettered,
    [property: Id(11)] long Dropped);

/// <summary>A batch given up after failing for too long: its events are kept to be read or redelivered.</summary>
[GenerateSerializer, Immutable, Alias("segments.WebhookDeadLetter")]
public sealed record WebhookDeadLetter(
    [property: Id(0)] string Id,
    [property: Id(1)] int Events,
    [property: Id(2)] DateTime FirstEventAt,
    [property: Id(3)] DateTime LastEventAt,
    [property: Id(4)] DateTime FailingSince,
    [property: Id(5)] DateTime DeadAt,
    [property: Id(6)] int Attempts,
    [property: Id(7)] string LastError)
{
    /// <summary>The page grain that holds the events.</summary>
    [Id(8)] public long Page { get; init; }
}

/// <summary>A sealed page of a queue's backlog (key: <c>app/webhookId/shard/page</c>), written once and read until delivered.</summary>
[Alias("segments.IWebhookPageGrain")]
public interface IWebhookPageGrain : IGrainWithStringKey
{
    [Alias("Put")]
    Task Put(WebhookEvent[] events);

    [Alias("Get")]
    Task<WebhookEvent[]> Get();

    [Alias("Clear")]
    Task Clear();
}

/// <summary>Posts a signed sample to a webhook now and says what its receiver answered (a stateless worker: a slow receiver blocks nothing else).</summary>
[Alias("segments.IWebhookTesterGrain")]
public interface IWebhookTesterGrain : IGrainWithIntegerKey
{
    [Alias("Test")]
    Task<WebhookAttempt> Test(string appId, string webhookId);
}

/// <summary>What one delivery attempt got: the receiver's status code (or none), how long it took, and what went wrong.</summary>
[GenerateSerializer, Immutable, Alias("segments.WebhookAttempt")]
public sealed record WebhookAttempt(
    [property: Id(0)] bool Delivered,
    [property: Id(1)] int? Status,
    [property: Id(2)] TimeSpan Elapsed,
    [property: Id(3)] string? Error);
