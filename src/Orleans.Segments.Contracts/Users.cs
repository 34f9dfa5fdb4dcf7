using System.Text.Json.Serialization;
using System.Text.Json.Nodes;

namespace Orleans.Segments.Contracts;

/// <summary>The body of <c>PUT /v1/users/{userId}/devices/{token}</c>: <c>ios</c> (an APNs token) or <c>android</c> (FCM).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record DeviceInput(string? Platform = null);

/// <summary>The body of <c>PUT /v1/users/{userId}/subscriptions</c>; a consent left out is unchanged.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SubscriptionsInput(bool? Marketing = null, bool? Transactional = null);

/// <summary>The body of <c>POST /v1/messages</c>: a transactional push, sent once per idempotency key.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TransactionalMessageInput(
    string? UserId = null,
    string? IdempotencyKey = null,
    string? Title = null,
    string? Body = null,
    Dictionary<string, string>? Data = null);

/// <summary>The decision about one message.</summary>
/// <param name="Status"><c>delivered</c>, <c>failed</c>, <c>suppressed</c>, <c>deferred</c>, <c>handedover</c> or <c>sending</c>.</param>
/// <param name="Reason">Why it was not sent (<c>no_consent</c>, <c>capped</c>, <c>quiet_hours</c>, ...), or null.</param>
/// <param name="Duplicate">True when the idempotency key was seen before: this is the first answer again.</param>
public sealed record MessageAnswer(string NotificationId, string Status, string? Reason, string Detail, bool Duplicate, DateTime? DeferredUntil);

/// <summary>Every recent decision about messages for a user.</summary>
public sealed record MessageLog(string UserId, MessageLogEntryView[] Messages);

/// <param name="Language">The translation sent (its language tag); null for the default texts.</param>
/// <param name="Test">A test send: pushed on request to check the message, outside caps and statistics.</param>
public sealed record MessageLogEntryView(string NotificationId, string CampaignId, string Occurrence, string Status, string? Reason, string Detail, DateTime At, string? Variant, DateTime? DeferredUntil,
    string? Language = null, bool Test = false);

/// <summary>A user's live profile; push tokens are redacted to a fingerprint and their last four characters.</summary>
public sealed record UserProfile(
    string UserId,
    LifecycleInfo Lifecycle,
    Dictionary<string, JsonNode?> Traits,
    InterestInfo[] Interests,
    LocationInfo? Location,
    PushDeviceInfo[] Devices,
    SubscriptionsInfo Subscriptions,
    ActivityInfo Activity,
    BehaviourInfo[] Behaviour,
    ReachabilityInfo Reachability,
    string[] AnonymousIds,
    MembershipInfo[] Segments,
    MembershipChange[] SegmentHistory,
    string[] Geofences,
    MembershipChange[] GeofenceHistory,
    AppDeviceInfo[] AppDevices);

public sealed record LifecycleInfo(string? Stage, DateTime? Since, StageChange[] History);

public sealed record StageChange(string? From, string To, DateTime At);

public sealed record InterestInfo(string Category, double Score, double Share);

public sealed record LocationInfo(double? Latitude, double? Longitude, string? City, string? Country, DateTime? At, string? TimeZone);

public sealed record PushDeviceInfo(string Id, string Platform, string Token, DateTime RegisteredAt, DateTime LastSeenAt, DateTime? InvalidatedAt);

public sealed record SubscriptionsInfo(bool Marketing, DateTime? MarketingChangedAt, bool Transactional, DateTime? TransactionalChangedAt);

public sealed record ActivityInfo(DateTime? FirstSeen, DateTime? LastSeen, int ActiveDaysLast30, long EventsApplied);

public sealed record BehaviourInfo(string Event, long Total, int Last7Days, int Last30Days, int Last90Days, DateTime? Last);

public sealed record ReachabilityInfo(bool Reachable, DateTime? UnreachableSince);

public sealed record MembershipInfo(string Id, DateTime Since);

public sealed record MembershipChange(string Id, string Change, DateTime At);

public sealed record AppDeviceInfo(
    string Id,
    string? Platform,
    string? Manufacturer,
    string? Model,
    AppInfo App,
    OsInfo Os,
    string? Locale,
    NetworkInfo? Network,
    LibraryInfo? Library,
    DateTime FirstSeenAt,
    DateTime LastSeenAt);

public sealed record AppInfo(string? Name, string? Version, string? Build, string? Namespace);

public sealed record OsInfo(string? Name, string? Version);

public sealed record NetworkInfo(bool? Wifi, bool? Cellular, bool? Bluetooth, string? Carrier);

public sealed record LibraryInfo(string? Name, string? Version);
