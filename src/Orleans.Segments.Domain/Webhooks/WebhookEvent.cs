using MessagePack;

namespace Orleans.Segments.Domain.Webhooks;

/// <summary>
/// One event streamed to an app's webhooks: what happened to a user, when, and the ids a warehouse joins on.
/// <see cref="Id"/> is derived from what the event is about, so it is the same in every redelivery (receivers
/// de-duplicate on it). A user's events are delivered in the order they happened.
/// </summary>
[GenerateSerializer, SuppressReferenceTracking, Immutable, Alias("segments.WebhookEvent")]
[MessagePackObject]
public sealed record WebhookEvent(
    [property: Id(0), Key(0)] string Id,
    [property: Id(1), Key(1)] string Type,
    [property: Id(2), Key(2)] DateTime At,
    [property: Id(3), Key(3)] string UserId)
{
    /// <summary>True when <see cref="UserId"/> is an anonymous id (the user never identified).</summary>
    [Id(5), Key(5)] public bool Anonymous { get; init; }

    [Id(6), Key(6)] public string? CampaignId { get; init; }

    [Id(7), Key(7)] public string? JourneyId { get; init; }

    [Id(8), Key(8)] public string? NotificationId { get; init; }

    [Id(9), Key(9)] public string? Variant { get; init; }

    [Id(10), Key(10)] public string? Language { get; init; }

    /// <summary>Why (a suppression or failure reason, a journey's exit reason).</summary>
    [Id(11), Key(11)] public string? Reason { get; init; }

    /// <summary>A segment's or geofence's id.</summary>
    [Id(12), Key(12)] public string? SegmentId { get; init; }

    /// <summary>A lifecycle stage left (or null for the first), or nothing.</summary>
    [Id(13), Key(13)] public string? From { get; init; }

    /// <summary>A lifecycle stage entered.</summary>
    [Id(14), Key(14)] public string? To { get; init; }

    [Id(15), Key(15)] public string? StepId { get; init; }

    [Id(16), Key(16)] public int? Version { get; init; }

    /// <summary>A human-readable detail (a provider's answer).</summary>
    [Id(17), Key(17)] public string? Detail { get; init; }
}

/// <summary>An event still to be handed to one webhook, kept in the user's outbox until its queue took it.</summary>
[GenerateSerializer, SuppressReferenceTracking, Immutable, Alias("segments.PendingExport")]
[MessagePackObject]
public sealed record PendingExport(
    [property: Id(0), Key(0)] string WebhookId,
    [property: Id(1), Key(1)] WebhookEvent Event);
