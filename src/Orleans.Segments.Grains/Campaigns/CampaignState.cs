using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Campaigns;

[GenerateSerializer, Alias("segments.CampaignState")]
public sealed class CampaignState
{
    [Id(0)] public CampaignDefinition? Definition { get; set; }

    [Id(1)] public CampaignStatus Status { get; set; }

    /// <summary>Why the campaign is paused or stopped, in words.</summary>
    [Id(2)] public string? StatusReason { get; set; }

    [Id(3)] public DateTime CreatedAt { get; set; }

    [Id(4)] public DateTime UpdatedAt { get; set; }

    [Id(5)] public DateTime? LaunchedAt { get; set; }

    /// <summary>The broadcast under way, with its cursor: persisted after every page, so a restart resumes it.</summary>
    [Id(6)] public BroadcastRun? Run { get; set; }

    /// <summary>The next scheduled occurrence, if any.</summary>
    [Id(7)] public ScheduledOccurrence? Next { get; set; }

    /// <summary>The last scheduled occurrence started (recurring schedules continue after it).</summary>
    [Id(8)] public ScheduledOccurrence? Last { get; set; }

    /// <summary>Finished broadcasts, newest last (at most 20).</summary>
    [Id(9)] public List<BroadcastProgress> Past { get; set; } = [];

    /// <summary>How many "send now" broadcasts were started (each is its own occurrence).</summary>
    [Id(10)] public int ManualRuns { get; set; }

    /// <summary>The registry version that holds the campaign as it is now; offers carry it so no silo acts on an older copy.</summary>
    [Id(11)] public long RegistryVersion { get; set; }

    /// <summary>
    /// What broadcasts counted from their users' answers, written with the cursor: a page is counted exactly
    /// once, even when it is offered again after a crash. Added to the statistics shards' counts.
    /// </summary>
    [Id(12)] public CampaignStats BroadcastStats { get; set; } = new();
}
