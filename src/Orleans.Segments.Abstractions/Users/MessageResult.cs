using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Users;

/// <summary>What became of a message for one user: its id, its status and the reason.</summary>
[GenerateSerializer, Immutable, Alias("segments.MessageResult")]
public sealed record MessageResult(
    [property: Id(0)] string NotificationId,
    [property: Id(1)] MessageStatus Status,
    [property: Id(2)] SuppressionReason Reason,
    [property: Id(3)] string Detail,
    [property: Id(4)] bool Duplicate,
    [property: Id(5)] DateTime? DeferredUntil)
{
    /// <summary>The experiment arm the user is in, for campaign messages.</summary>
    [Id(6)] public string? Variant { get; init; }

    /// <summary>The translation sent (its language tag); null for the default texts.</summary>
    [Id(7)] public string? Language { get; init; }
}
