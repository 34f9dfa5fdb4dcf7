namespace Orleans.Segments.Campaigns;

[GenerateSerializer, Alias("segments.CampaignRegistryState")]
public sealed class CampaignRegistryState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public Dictionary<string, CampaignRegistration> Campaigns { get; set; } = new(StringComparer.Ordinal);
}
