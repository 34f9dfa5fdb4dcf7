using System.Text.Json.Nodes;

namespace Orleans.Segments.Contracts;

/// <summary>
/// One call of Segment's tracking API, as its SDKs send it to <c>/v1/track</c>, <c>/v1/identify</c>, ... or inside a
/// batch. Which fields apply depends on <c>type</c>: <c>track</c> (<c>event</c>, <c>properties</c>), <c>identify</c>
/// (<c>traits</c>), <c>page</c> and <c>screen</c> (<c>name</c>, <c>properties</c>), <c>alias</c>
/// (<c>previousId</c>), <c>group</c> (<c>groupId</c>, <c>traits</c>). <c>context.device.token</c> registers a push
/// token, <c>context.location</c> a location, <c>context.timezone</c> a time zone. Other fields the SDKs send are
/// accepted and ignored.
/// </summary>
/// <param name="MessageId">The caller's id of the call: a retry with the same id is applied once.</param>
/// <param name="Timestamp">When it happened, ISO 8601; default: when it arrived.</param>
/// <param name="WriteKey">The write key, for SDKs that send it in the body rather than as HTTP Basic.</param>
/// <param name="SentAt">When the caller sent it, by the caller's clock: timestamps are corrected by the difference
/// from the server's (a phone's clock may be wrong).</param>
public sealed record SegmentCall(
    string? Type = null,
    string? UserId = null,
    string? AnonymousId = null,
    string? MessageId = null,
    string? Timestamp = null,
    string? Event = null,
    string? Name = null,
    JsonObject? Properties = null,
    JsonObject? Traits = null,
    JsonObject? Context = null,
    string? PreviousId = null,
    string? GroupId = null,
    string? WriteKey = null,
    string? SentAt = null);

/// <summary>The body of <c>/v1/batch</c>: up to 500 KB of calls, applied together or not at all.</summary>
public sealed record SegmentBatch(SegmentCall[] Batch, string? WriteKey = null, JsonObject? Context = null, string? SentAt = null);

/// <summary>Segment's answer to an accepted call: every event in it is stored.</summary>
public sealed record IngestResponse(bool Success);
