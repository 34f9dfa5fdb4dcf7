namespace Orleans.Segments.Campaigns;

[GenerateSerializer, Immutable, Alias("segments.CampaignRegistrySnapshot")]
public sealed record CampaignRegistrySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] CampaignRegistration[] Campaigns);
