using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

[GenerateSerializer, Immutable, Alias("segments.CampaignRegistration")]
public sealed record CampaignRegistration(
    [property: Id(0)] CampaignDefinition Definition,
    [property: Id(1)] CampaignStatus Status);
