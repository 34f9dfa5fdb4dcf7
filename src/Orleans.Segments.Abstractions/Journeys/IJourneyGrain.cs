using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Journeys;

namespace Orleans.Segments.Journeys;

/// <summary>Where a journey is in its life. Running journeys (launch, pause, resume) come with their execution.</summary>
public enum JourneyStatus : byte
{
    Draft,
    Archived,
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

    /// <summary>Archives the journey for good, with an optional reason; its definition stays readable.</summary>
    [Alias("Archive")]
    Task<JourneyCommandResult> Archive(string? reason);
}

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
    [Alias("Put")]
    Task Put(JourneyListing listing);

    [Alias("List")]
    Task<JourneyListing[]> List();
}
