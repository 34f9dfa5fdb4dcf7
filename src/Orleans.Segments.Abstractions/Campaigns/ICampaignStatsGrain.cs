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

/// <summary>The app-wide broadcast throttle (key: app id): a token bucket refilled per minute.</summary>
[Alias("segments.IAppThrottleGrain")]
public interface IAppThrottleGrain : IGrainWithStringKey
{
    /// <summary>Takes up to <paramref name="wanted"/> tokens; returns how many were granted.</summary>
    [Alias("Acquire")]
    Task<int> Acquire(int wanted);
}
