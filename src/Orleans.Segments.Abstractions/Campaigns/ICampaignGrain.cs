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

/// <summary>The outcome of a command: the campaign after it, or why it was refused.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignCommandResult")]
public sealed record CampaignCommandResult(
    [property: Id(0)] CampaignCommandStatus Status,
    [property: Id(1)] string[] Errors,
    [property: Id(2)] CampaignView? Campaign);

public enum CampaignCommandStatus : byte
{
    Ok = 0,
    Created = 1,
    /// <summary>The definition is invalid (400).</summary>
    Invalid = 2,
    /// <summary>Not allowed in the campaign's current status (409).</summary>
    Conflict = 3,
    NotFound = 4,
}

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

/// <summary>How far one broadcast occurrence has got.</summary>
[GenerateSerializer, Immutable, Alias("segments.BroadcastProgress")]
public sealed record BroadcastProgress(
    [property: Id(0)] string Occurrence,
    [property: Id(1)] DateTime StartedAt,
    [property: Id(2)] DateTime? FinishedAt,
    [property: Id(3)] long Offered,
    [property: Id(4)] long AudienceAtStart,
    [property: Id(5)] string State);

/// <summary>What a broadcast hands a member: one occurrence of a campaign, due at a UTC instant or a local time.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignOffer")]
public sealed record CampaignOffer(
    [property: Id(0)] string CampaignId,
    [property: Id(1)] string Occurrence,
    [property: Id(2)] DateTime DueAt,
    [property: Id(3)] DateTime? LocalWallClock,
    [property: Id(4)] MissedLocalTime MissedLocalTime,
    [property: Id(5)] long RegistryVersion);
