using System.Text.Json;
using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>A Live Activity's push token, as ActivityKit's <c>pushTokenUpdates</c> gives it (hex).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LiveActivityTokenInput(string? Token = null);

/// <summary>
/// An update or the end of a Live Activity. <c>contentState</c> is the activity's <c>ContentState</c> as a JSON
/// object (APNs <c>content-state</c>; required for an update); <c>staleDate</c> and <c>dismissalDate</c> are
/// instants (APNs <c>stale-date</c>, <c>dismissal-date</c>, the latter for an end only); <c>priority</c> is
/// <c>high</c> (default: APNs priority 10, within the activity's hourly budget) or <c>normal</c> (5).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LiveActivityUpdateInput(
    JsonElement? ContentState = null,
    string? StaleDate = null,
    string? DismissalDate = null,
    double? RelevanceScore = null,
    LiveActivityAlertInput? Alert = null,
    string? Priority = null);

/// <summary>An alert shown with the update (and the sound iOS plays for it).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record LiveActivityAlertInput(string? Title = null, string? Body = null);

/// <summary>A Live Activity: whose, its live and dead tokens, and its updates.</summary>
public sealed record LiveActivityAnswer(
    string ActivityId,
    string UserId,
    string Status,
    DateTime RegisteredAt,
    DateTime? EndedAt,
    int LiveTokens,
    int DeadTokens,
    long Updates,
    DateTime? LastUpdateAt,
    int HighPriorityLastHour);

/// <summary>What an update or end did: tokens that took it, failed, or are gone; the APNs priority used; the activity after it.</summary>
public sealed record LiveActivityPushAnswer(int Sent, int Failed, int DeadTokens, int Priority, bool Downgraded, string[] Details, LiveActivityAnswer Activity);
