using MessagePack;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// A campaign message waiting in a user's outbox: triggered by a state change (persisted with it), offered by
/// a broadcast, delayed, or held by quiet hours. It is decided when <see cref="DueAt"/> comes.
/// </summary>
[GenerateSerializer, SuppressReferenceTracking, Immutable, Alias("segments.PendingSend")]
[MessagePackObject]
public sealed record PendingSend(
    [property: Id(0), Key(0)] string CampaignId,
    [property: Id(1), Key(1)] string Occurrence,
    [property: Id(2), Key(2)] DateTime DueAt,
    [property: Id(3), Key(3)] DateTime FirstDueAt)
{
    /// <summary>Whether the first decision (and its "targeted" count) has been made; true once held.</summary>
    [Id(4), Key(4)] public bool Targeted { get; init; }

    /// <summary>The arm assigned at the first decision.</summary>
    [Id(5), Key(5)] public string? Variant { get; init; }

    /// <summary>How many times APNs/FCM refused it for the moment and it came back to the outbox.</summary>
    [Id(6), Key(6)] public int ProviderRetries { get; init; }

    /// <summary>
    /// For a message of no campaign (a transactional <c>/v1/messages</c> send waiting for a provider retry):
    /// the request and the message itself, since no campaign definition holds them. Null for campaign messages.
    /// </summary>
    [Id(7), Key(7)] public SendRequest? Request { get; init; }

    /// <inheritdoc cref="Request"/>
    [Id(8), Key(8)] public CampaignMessage? Message { get; init; }
}
