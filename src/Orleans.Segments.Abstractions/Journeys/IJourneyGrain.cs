using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Journeys;

namespace Orleans.Segments.Journeys;

/// <summary>
/// Where a journey is in its life: a draft is edited in place; a live journey takes users in and moves them on;
/// a paused one holds its users where they are and takes none in; an archived one has let everyone out.
/// </summary>
public enum JourneyStatus : byte
{
    Draft,
    Archived,
    Live,
    Paused,
}

/// <summary>A journey as stored: its definition's versions (the last is current), its status and when it changed.</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyView")]
public sealed record JourneyView(
    [property: Id(0)] JourneyDefinition Definition,
    [property: Id(1)] int Version,
    [property: Id(2)] JourneyStatus Status,
    [property: Id(3)] DateTime CreatedAt,
    [property: Id(4)] DateTime UpdatedAt)
{
    [Id(5)] public string? StatusReason { get; init; }
}

/// <summary>What a journey command did: the status of campaigns' commands, the problems, and the journey after it.</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyCommandResult")]
public sealed record JourneyCommandResult(
    [property: Id(0)] CampaignCommandStatus Status,
    [property: Id(1)] string[] Errors,
    [property: Id(2)] JourneyView? Journey);

/// <summary>One journey of one app (key: <c>app/journey</c>): its definition and status.</summary>
[Alias("segments.IJourneyGrain")]
public interface IJourneyGrain : IGrainWithStringKey
{
    /// <summary>Creates or changes the journey; refused when invalid, naming unknown segments or geofences, or archived.</summary>
    [Alias("Put")]
    Task<JourneyCommandResult> Put(JourneyDefinition definition);

    /// <summary>The journey, or null if it was never defined.</summary>
    [Alias("Get")]
    Task<JourneyView?> Get();

    /// <summary>Archives the journey for good, with an optional reason: its users leave with <c>archived</c>; its definition stays readable.</summary>
    [Alias("Archive")]
    Task<JourneyCommandResult> Archive(string? reason);

    /// <summary>Makes a draft live: from now on its entry takes users in. The reason (optional) is its status reason.</summary>
    [Alias("Launch")]
    Task<JourneyCommandResult> Launch(string? reason = null);

    /// <summary>Holds a live journey's users where they are and takes no one in, with an optional reason.</summary>
    [Alias("Pause")]
    Task<JourneyCommandResult> Pause(string? reason);

    /// <summary>Lets a paused journey's users move on again and takes users in again. The reason (optional) is its status reason.</summary>
    [Alias("Resume")]
    Task<JourneyCommandResult> Resume(string? reason = null);

    /// <summary>The counts of each version and step, summed over the statistics' shards.</summary>
    [Alias("GetStats")]
    Task<JourneyStats> GetStats();
}

/// <summary>
/// A running (or archived) journey as user grains need it: every version's definition, oldest first, so that
/// users in flight on an earlier version keep walking it.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyRegistration")]
public sealed record JourneyRegistration(
    [property: Id(0)] string Id,
    [property: Id(1)] JourneyStatus Status,
    [property: Id(2)] JourneyDefinition[] Versions)
{
    public JourneyDefinition Current => Versions[^1];

    /// <summary>Version <paramref name="version"/> (1-based), or null if there is none.</summary>
    public JourneyDefinition? Version(int version) => version >= 1 && version <= Versions.Length ? Versions[version - 1] : null;
}

/// <summary>What the user grains of an app read: every journey that is not a draft, and a version of the whole.</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyRegistrySnapshot")]
public sealed record JourneyRegistrySnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] JourneyRegistration[] Journeys);

/// <summary>A journey's counts per version (1-based) and step; see <see cref="Domain.Journeys.JourneyStatsKeys"/>.</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyStats")]
public sealed record JourneyStats([property: Id(0)] Domain.Campaigns.CampaignStats Counts);

/// <summary>One entry of an app's list of journeys.</summary>
[GenerateSerializer, Immutable, Alias("segments.JourneyListing")]
public sealed record JourneyListing(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] JourneyStatus Status,
    [property: Id(3)] int Version,
    [property: Id(4)] int Steps);

/// <summary>The journeys of one app (key: the app id), kept by each journey grain when it changes.</summary>
[Alias("segments.IJourneyCatalogGrain")]
public interface IJourneyCatalogGrain : IGrainWithStringKey
{
    /// <summary>Records the journey's listing and, unless it is a draft, its registration for the user grains.</summary>
    [Alias("Put")]
    Task Put(JourneyListing listing, JourneyRegistration? registration);

    /// <summary>The journeys user grains walk (live, paused, archived), for each silo's cache.</summary>
    [Alias("GetSnapshot")]
    Task<JourneyRegistrySnapshot> GetSnapshot();

    [Alias("List")]
    Task<JourneyListing[]> List();
}

/// <summary>One journey's entries on one UTC day (key: <c>app/journey/yyyy-MM-dd</c>), for its entry limit per day.</summary>
[Alias("segments.IJourneyEntryGateGrain")]
public interface IJourneyEntryGateGrain : IGrainWithStringKey
{
    /// <summary>Counts one entry and answers true, or answers false when <paramref name="limit"/> entries were counted already.</summary>
    [Alias("TryAdmit")]
    Task<bool> TryAdmit(int limit);
}
