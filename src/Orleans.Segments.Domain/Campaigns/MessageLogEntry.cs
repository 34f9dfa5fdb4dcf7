using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What happened to one message for one user.</summary>
public enum MessageStatus : byte
{
    /// <summary>Reserved and being handed to APNs/FCM; if the process dies now it is never handed over again.</summary>
    Sending = 0,
    /// <summary>At least one provider accepted it.</summary>
    Delivered = 1,
    /// <summary>No provider accepted it; <see cref="MessageLogEntry.Detail"/> says why.</summary>
    Failed = 2,
    /// <summary>Not sent; <see cref="MessageLogEntry.Reason"/> says why.</summary>
    Suppressed = 3,
    /// <summary>Held by quiet hours until <see cref="MessageLogEntry.DeferredUntil"/>.</summary>
    Deferred = 4,
    /// <summary>
    /// Handed to APNs/FCM, but the process stopped before their answer was recorded; counted as sent (it used a
    /// slot of every cap) and never handed over again.
    /// </summary>
    HandedOver = 5,
}

/// <summary>One decision about one message for one user: the answer to "why didn't this user get it?".</summary>
[GenerateSerializer, SuppressReferenceTracking, Immutable, Alias("segments.MessageLogEntry")]
[MessagePackObject]
public sealed record MessageLogEntry(
    [property: Id(0), Key(0)] string NotificationId,
    [property: Id(1), Key(1)] string CampaignId,
    [property: Id(2), Key(2)] string Occurrence,
    [property: Id(3), Key(3)] MessageStatus Status,
    [property: Id(4), Key(4)] SuppressionReason Reason,
    [property: Id(5), Key(5)] string Detail,
    [property: Id(6), Key(6)] DateTime At)
{
    [Id(7), Key(7)] public string? Variant { get; init; }

    [Id(8), Key(8)] public DateTime? DeferredUntil { get; init; }

    /// <summary>Whether a broadcast counts this decision in its statistics (from its answer) rather than the user grain.</summary>
    [Id(9), Key(9)] public bool CountedByCaller { get; init; }

    /// <summary>A test send: pushed on a campaign manager's request to check the message, outside caps and statistics.</summary>
    [Id(10), Key(10)] public bool Test { get; init; }

    /// <summary>The translation the user was sent (its language tag); null for the default texts.</summary>
    [Id(11), Key(11)] public string? Language { get; init; }
}
