using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// One campaign of one app (key: <c>app/campaign</c>): its definition, status, schedule, broadcast fan-out
/// with its throttle and progress, and the opt-out guard. Per-user decisions happen in the user grains.
/// </summary>
[Alias("segments.ICampaignGrain")]
public interface ICampaignGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the campaign; refused when invalid or when it is cancelled or completed.</summary>
    [Alias("Put")]
    Task<CampaignCommandResult> Put(CampaignDefinition definition);

    /// <summary>The campaign, or null if it was never defined.</summary>
    [Alias("Get")]
    Task<CampaignView?> Get();

    [Alias("Launch")]
    Task<CampaignCommandResult> Launch();

    [Alias("Pause")]
    Task<CampaignCommandResult> Pause(string reason);

    [Alias("Resume")]
    Task<CampaignCommandResult> Resume();

    [Alias("Cancel")]
    Task<CampaignCommandResult> Cancel();

    /// <summary>Starts a broadcast to the audience now (manual campaigns).</summary>
    [Alias("SendNow")]
    Task<CampaignCommandResult> SendNow();

    /// <summary>Does the work that is due: starts scheduled occurrences and offers the next users within the throttle.</summary>
    [Alias("Tick")]
    Task Tick();

    /// <summary>Pauses the campaign if its opt-out rate has passed its threshold after the minimum sample.</summary>
    [Alias("CheckOptOutGuard")]
    Task CheckOptOutGuard();

    /// <summary>Told by a statistics shard that an opt-out was counted; checks the guard without holding the caller.</summary>
    [Alias("OptOutReported"), Orleans.Concurrency.OneWay]
    Task OptOutReported();

    [Alias("GetStats")]
    Task<CampaignStats> GetStats();
}
