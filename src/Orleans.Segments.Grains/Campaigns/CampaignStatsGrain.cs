using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Campaigns;

/// <summary>One shard of a campaign's counts; a batch of reports is acknowledged only once persisted.</summary>
public sealed class CampaignStatsGrain(
    [PersistentState("stats", SegmentsStorage.Name)] IPersistentState<CampaignStats> stats) : Grain, ICampaignStatsGrain
{
    /// <summary>How many shards a campaign's statistics are spread over.</summary>
    public const int Shards = 8;

    public static string Key(string appId, string campaignId, int shard) => $"{appId}/{campaignId}/{shard}";

    public static int ShardOf(string userId) => (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userId)) % Shards);

    async Task ICampaignStatsGrain.Report(CampaignReport[] reports)
    {
        foreach (var report in reports) stats.State.Add(report);
        try
        {
            await stats.WriteStateAsync();
        }
        catch
        {
            // Why: the caller keeps the reports and sends them again; counting them here as well would double them.
            stats.State = new CampaignStats();
            await stats.ReadStateAsync();
            throw;
        }

        if (reports.Any(r => r.Kind == ReportKind.OptedOut) && !Domain.Journeys.JourneyStatsKeys.IsJourney(reports[0].CampaignId))
        {
            // Why: the guard must look soon after an opt-out, but the user grain that reported it need not wait.
            var key = this.GetPrimaryKeyString();
            _ = GrainFactory.GetGrain<ICampaignGrain>(key[..key.LastIndexOf('/')]).OptOutReported();
        }
    }

    Task<CampaignStats> ICampaignStatsGrain.Get() => Task.FromResult(stats.State);
}
