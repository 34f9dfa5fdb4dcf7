using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

/// <summary>What a broadcast hands a member: one occurrence of a campaign, due at a UTC instant or a local time.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignOffer")]
public sealed record CampaignOffer(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string Occurrence,
    [property: Id(2)] DateTime DueAt,
    [property: Id(3)] DateTime? LocalWallClock,
    [property: Id(4)] MissedLocalTime MissedLocalTime,
    [property: Id(5)] long RegistryVersion);
