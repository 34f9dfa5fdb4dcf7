using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>
/// A journey's definition: the body of <c>PUT /v1/journeys/{id}</c> and the <c>definition</c> of its view. A journey
/// is a graph of steps without cycles (at most 50) that each user walks from <c>start</c>. Durations are written like
/// the rule language's (<c>30m</c>, <c>12h</c>, <c>7d</c>); see docs/journeys.md.
/// </summary>
/// <param name="Id">Optional; when given it must equal the id in the path.</param>
/// <param name="Category"><c>marketing</c> (default) or <c>transactional</c>.</param>
/// <param name="Priority"><c>low</c>, <c>normal</c> (default) or <c>high</c>.</param>
/// <param name="EntryLimitPerDay">At most this many users enter per UTC day; left out, no limit.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyInput(
    string? Id = null,
    string? Name = null,
    string? Category = null,
    string? Priority = null,
    JourneyEntryInput? Entry = null,
    AudienceInput? Audience = null,
    JourneyReentryInput? Reentry = null,
    int? EntryLimitPerDay = null,
    JourneyExitInput[]? Exits = null,
    ConversionInput? Conversion = null,
    string? Start = null,
    JourneyStepInput[]? Steps = null);

/// <summary>
/// What puts a user in: <c>type</c> <c>segment_entry</c> (with <c>segment</c>), <c>lifecycle</c> (<c>stage</c>),
/// <c>event</c> (<c>event</c>), <c>geofence_entry</c> (<c>geofence</c>) or <c>api</c> (<c>POST /v1/journeys/{id}/enter</c>).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyEntryInput(string? Type = null, string? Segment = null, string? Stage = null, string? Event = null, string? Geofence = null);

/// <summary>Whether a user who left may enter again (default: never), and how long after leaving.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyReentryInput(bool? Allowed = null, string? After = null);

/// <summary>What takes a user out wherever they are: <c>event</c> (<c>event</c>), <c>segment_exit</c> (<c>segment</c>) or <c>consent_withdrawn</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyExitInput(string? Type = null, string? Event = null, string? Segment = null);

/// <summary>
/// One step. <c>type</c> <c>message</c> (<c>message</c>, <c>next</c>); <c>wait</c> with one of <c>duration</c>,
/// <c>untilLocalTime</c> (<c>09:00</c> in the user's zone) or <c>untilEvent</c> (with <c>timeout</c> and <c>timedOut</c>,
/// the path when it did not happen), and <c>next</c>; <c>branch</c> with <c>rules</c> (first match) and <c>otherwise</c>,
/// or <c>split</c> (percentages adding up to 100); <c>exit</c>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyStepInput(
    string? Id = null,
    string? Type = null,
    MessageInput? Message = null,
    string? Next = null,
    string? Duration = null,
    string? UntilLocalTime = null,
    string? UntilEvent = null,
    string? Timeout = null,
    string? TimedOut = null,
    JourneyRuleInput[]? Rules = null,
    JourneySplitInput[]? Split = null,
    string? Otherwise = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyRuleInput(string? Rule = null, string? Next = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneySplitInput(double? Percent = null, string? Next = null);

/// <summary>A journey as the API shows it: its status, its current version, and its definition.</summary>
/// <param name="Status"><c>draft</c> or <c>archived</c>.</param>
/// <param name="Version">The version of the definition; a draft's edits replace it.</param>
/// <param name="StatusReason">The reason given when it was archived, if any.</param>
public sealed record JourneyView(string Id, string Status, string? StatusReason, int Version, DateTime CreatedAt, DateTime UpdatedAt, JourneyInput Definition);

public sealed record JourneySummary(string Id, string Name, string Status, int Version, int Steps);

public sealed record JourneyList(JourneySummary[] Journeys);
