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
/// <param name="MoveUsers">
/// For a change of a live journey: moves the users in flight on earlier versions to this one, each step id of theirs
/// named here to the step it names (others to the step of the same id, or out with <c>step_removed</c>); <c>{}</c>
/// moves everyone by step id. Left out, users in flight finish on the version they are on.
/// </param>
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
    JourneyStepInput[]? Steps = null,
    Dictionary<string, string>? MoveUsers = null);

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
/// or <c>split</c> (percentages adding up to 100); <c>exit</c>. A message step may have A/B <c>variants</c> (as a
/// campaign's: name, percent, message; the same user always gets the same one).
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
    string? Otherwise = null,
    VariantInput[]? Variants = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyRuleInput(string? Rule = null, string? Next = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneySplitInput(double? Percent = null, string? Next = null);

/// <summary>A journey as the API shows it: its status, its current version, and its definition.</summary>
/// <param name="Status"><c>draft</c>, <c>live</c>, <c>paused</c> or <c>archived</c>.</param>
/// <param name="Version">The version of the definition; a draft's edits replace it, a launched journey's make a new one.</param>
/// <param name="StatusReason">The reason given when it was paused or archived, if any.</param>
public sealed record JourneyView(string Id, string Status, string? StatusReason, int Version, DateTime CreatedAt, DateTime UpdatedAt, JourneyInput Definition);

public sealed record JourneySummary(string Id, string Name, string Status, int Version, int Steps);

public sealed record JourneyList(JourneySummary[] Journeys);

/// <summary>The body of <c>POST /v1/journeys/{id}/enter</c>: the user to put in, and properties for the journey's templates.</summary>
/// <param name="Properties">Up to 50 string values, usable in the journey's messages as <c>{{ journey.name }}</c>.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record JourneyEnterInput(string? UserId = null, Dictionary<string, string>? Properties = null);

/// <summary>What an enter call did: whether the user entered, and if not, why (<c>already_in_journey</c>, <c>reentry_not_allowed</c>, <c>reentry_too_soon</c>, <c>not_in_audience</c>, <c>entry_limit_reached</c>).</summary>
public sealed record JourneyEnterResult(string JourneyId, string UserId, bool Entered, string? Reason);

/// <summary>A journey's counts, per version.</summary>
public sealed record JourneyStatsView(string JourneyId, string Status, JourneyVersionStats[] Versions);

/// <summary>
/// One version's counts. <c>Entered</c> and <c>Converted</c> are of the treated users; <c>ControlGroup</c> counts the
/// users of the app's global control group, who walk the journey but receive none of its marketing pushes.
/// </summary>
public sealed record JourneyVersionStats(int Version, long Entered, long Converted, double ConversionRate, JourneyGroupStats ControlGroup, JourneyStepStats[] Steps);

public sealed record JourneyGroupStats(long Entered, long Converted, double ConversionRate);

/// <summary>
/// One step's counts: users who reached it, who are at it now, who moved on (per path: <c>next</c>, <c>happened</c>,
/// <c>timed_out</c>, <c>rules[0]</c>, <c>otherwise</c>, <c>split[1]</c>, <c>version:3</c>) and who left the journey at
/// it (per reason); for a message step, its messages.
/// </summary>
public sealed record JourneyStepStats(string Step, string Type, long Reached, long Now, Dictionary<string, long> Moved, Dictionary<string, long> Exited, JourneyMessageStats? Messages)
{
    /// <summary>A message step with A/B variants: its messages per variant (<c>Messages</c> is their sum).</summary>
    public Dictionary<string, JourneyMessageStats>? Variants { get; init; }

    /// <summary>Per path taken from this step: how many of the users who took it converted within the journey's window, and the rate.</summary>
    public Dictionary<string, JourneyPathConversions> Conversions { get; init; } = [];
}

/// <summary>The users who took a path and then converted, and their share of those who took it.</summary>
public sealed record JourneyPathConversions(long Converted, double ConversionRate);

/// <summary>A message step's sends; <c>Converted</c> counts users who converted within the journey's window after this message.</summary>
public sealed record JourneyMessageStats(long Targeted, long Sent, Dictionary<string, long> Suppressed, Dictionary<string, long> Failed, long Opened, long Converted,
    Dictionary<string, LanguageCounts>? ByLanguage = null);

/// <summary>The user's journeys: each run, in flight or ended, oldest entry first.</summary>
public sealed record UserJourneys(string UserId, UserJourneyRun[] Journeys);

/// <summary>
/// One run of the user through a journey: where they are (<c>Step</c>, since <c>StepSince</c>, waiting until
/// <c>WaitUntil</c>) or, once <c>Status</c> is <c>ended</c>, where and why they left; and what they did.
/// </summary>
public sealed record UserJourneyRun(string JourneyId, int Version, string Status, string Step, DateTime EnteredAt, DateTime StepSince, DateTime? WaitUntil,
    DateTime? LeftAt, string? ExitReason, bool Converted, Dictionary<string, string>? Properties, UserJourneyTrailEntry[] Trail);

/// <summary>One thing the user did in a run: <c>moved</c> from a step (<c>Detail</c>: the path), <c>message</c> (the notification id), <c>exited</c> (the reason).</summary>
public sealed record UserJourneyTrailEntry(string Kind, string Step, DateTime At, string? Detail);
