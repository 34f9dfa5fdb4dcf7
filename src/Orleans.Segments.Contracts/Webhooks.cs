using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>
/// A webhook: where the app's events are posted (<c>https</c>; <c>http</c> only to the loopback interface),
/// which event types (left out or empty: all), whether it is enabled (default true), and what it is for.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookInput(string? Url = null, string[]? Events = null, bool? Enabled = null, string? Description = null);

/// <summary>
/// A webhook as the API shows it. <c>secret</c> (the HMAC key of the <c>Segments-Signature</c> header) is shown only
/// when the webhook is created and when the secret is rotated; <c>secretHint</c> always, to tell secrets apart.
/// </summary>
public sealed record WebhookView(
    string Id,
    string Url,
    string[] Events,
    bool Enabled,
    string? Description,
    string? Secret,
    string SecretHint,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    WebhookBacklogView? Backlog);

/// <summary>
/// Where delivery stands, over the webhook's queue shards: events waiting and since when, delivered, attempts
/// (and failed ones), the longest run of failures and its last error, when the next attempt is due, and the
/// events dead-lettered (given up after failing for 24 hours) or dropped (a full backlog).
/// </summary>
public sealed record WebhookBacklogView(
    long Pending,
    DateTime? OldestPendingAt,
    long Delivered,
    long Attempts,
    long FailedAttempts,
    int FailuresInARow,
    DateTime? FailingSince,
    DateTime? NextAttemptAt,
    string? LastError,
    DateTime? LastDeliveredAt,
    long DeadLettered,
    int DeadLetters,
    long Dropped);

/// <summary>The body of a webhook command (test, rotate, redeliver): none, or an empty object.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record WebhookCommandInput;

public sealed record WebhookList(WebhookView[] Webhooks);

/// <summary>What the receiver answered to a signed sample: its status code (none if it could not be reached), how long it took, and what went wrong.</summary>
public sealed record WebhookTestAnswer(bool Delivered, int? Status, double Milliseconds, string? Error);

/// <summary>A batch given up after failing too long; its events are read at <c>/dead-letters/{id}</c> and redelivered with <c>/redeliver</c>.</summary>
public sealed record DeadLetterView(string Id, int Events, DateTime FirstEventAt, DateTime LastEventAt, DateTime FailingSince, DateTime DeadAt, int Attempts, string LastError);

public sealed record DeadLetterList(DeadLetterView[] DeadLetters);
