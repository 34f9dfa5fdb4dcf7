using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// One shard of a campaign's statistics (key: <c>app/campaign/shard</c>, users spread by id), so a broadcast's
/// reports do not all queue at one grain. Each report batch is persisted before it is acknowledged.
/// </summary>
[Alias("segments.ICampaignStatsGrain")]
public interface ICampaignStatsGrain : IGrainWithStringKey
{
    [Alias("Report")]
    Task Report(CampaignReport[] reports);

    [Alias("Get")]
    Task<CampaignStats> Get();
}
