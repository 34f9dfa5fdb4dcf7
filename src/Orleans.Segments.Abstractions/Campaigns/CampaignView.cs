using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

/// <summary>A campaign as the API shows it.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignView")]
public sealed record CampaignView(
    [property: Id(0)] CampaignDefinition Definition,
    [property: Id(1)] CampaignStatus Status,
    [property: Id(2)] string? StatusReason,
    [property: Id(3)] DateTime CreatedAt,
    [property: Id(4)] DateTime UpdatedAt,
    [property: Id(5)] DateTime? LaunchedAt,
    [property: Id(6)] BroadcastProgress? Broadcast,
    [property: Id(7)] DateTime? NextOccurrenceAt,
    [property: Id(8)] BroadcastProgress[] PastBroadcasts);
