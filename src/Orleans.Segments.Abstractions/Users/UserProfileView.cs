using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Users;

/// <summary>A user's live profile as the read API shows it. Push tokens are redacted.</summary>
[GenerateSerializer, Immutable, Alias("segments.UserProfileView")]
public sealed record UserProfileView(
    [property: Id(0)] string UserId,
    [property: Id(1)] bool Anonymous,
    [property: Id(2)] LifecycleView Lifecycle,
    [property: Id(3)] Dictionary<string, TraitValue> Traits,
    [property: Id(4)] InterestView[] Interests,
    [property: Id(5)] LocationView? Location,
    [property: Id(6)] DeviceView[] Devices,
    [property: Id(7)] SubscriptionsView Subscriptions,
    [property: Id(8)] ActivityView Activity,
    [property: Id(9)] BehaviourView[] Behaviour,
    [property: Id(10)] ReachabilityView Reachability,
    [property: Id(11)] string[] AnonymousIds,
    [property: Id(12)] SegmentMembershipView[] Segments,
    [property: Id(13)] MembershipTransitionView[] SegmentHistory,
    [property: Id(14)] string[] Geofences,
    [property: Id(15)] MembershipTransitionView[] GeofenceHistory)
{
    /// <summary>The devices the app ran on, most recently seen first.</summary>
    [Id(16)] public AppDeviceView[] AppDevices { get; init; } = [];
}

/// <summary>One device the app ran on, as its SDK last described it.</summary>
[GenerateSerializer, Immutable, Alias("segments.AppDeviceView")]
public sealed record AppDeviceView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Platform,
    [property: Id(2)] string? Manufacturer,
    [property: Id(3)] string? Model,
    [property: Id(4)] AppView App,
    [property: Id(5)] OsView Os,
    [property: Id(6)] string? Locale,
    [property: Id(7)] NetworkView? Network,
    [property: Id(8)] LibraryView? Library,
    [property: Id(9)] DateTime FirstSeenAt,
    [property: Id(10)] DateTime LastSeenAt);

[GenerateSerializer, Immutable, Alias("segments.AppView")]
public sealed record AppView([property: Id(0)] string? Name, [property: Id(1)] string? Version, [property: Id(2)] string? Build, [property: Id(3)] string? Namespace);

[GenerateSerializer, Immutable, Alias("segments.OsView")]
public sealed record OsView([property: Id(0)] string? Name, [property: Id(1)] string? Version);

[GenerateSerializer, Immutable, Alias("segments.NetworkView")]
public sealed record NetworkView([property: Id(0)] bool? Wifi, [property: Id(1)] bool? Cellular, [property: Id(2)] bool? Bluetooth, [property: Id(3)] string? Carrier);

[GenerateSerializer, Immutable, Alias("segments.LibraryView")]
public sealed record LibraryView([property: Id(0)] string? Name, [property: Id(1)] string? Version);

[GenerateSerializer, Immutable, Alias("segments.SegmentMembershipView")]
public sealed record SegmentMembershipView([property: Id(0)] string Id, [property: Id(1)] DateTime Since);

[GenerateSerializer, Immutable, Alias("segments.MembershipTransitionView")]
public sealed record MembershipTransitionView([property: Id(0)] string Id, [property: Id(1)] string Change, [property: Id(2)] DateTime At);

[GenerateSerializer, Immutable, Alias("segments.LifecycleView")]
public sealed record LifecycleView(
    [property: Id(0)] string? Stage,
    [property: Id(1)] DateTime? Since,
    [property: Id(2)] TransitionView[] History);

[GenerateSerializer, Immutable, Alias("segments.TransitionView")]
public sealed record TransitionView([property: Id(0)] string? From, [property: Id(1)] string To, [property: Id(2)] DateTime At);

[GenerateSerializer, Immutable, Alias("segments.InterestView")]
public sealed record InterestView([property: Id(0)] string Category, [property: Id(1)] double Score, [property: Id(2)] double Share);

[GenerateSerializer, Immutable, Alias("segments.LocationView")]
public sealed record LocationView(
    [property: Id(0)] double? Latitude,
    [property: Id(1)] double? Longitude,
    [property: Id(2)] string? City,
    [property: Id(3)] string? Country,
    [property: Id(4)] DateTime? At,
    [property: Id(5)] string? TimeZone);

/// <summary>A push device with its token redacted to a fingerprint and its last four characters.</summary>
[GenerateSerializer, Immutable, Alias("segments.DeviceView")]
public sealed record DeviceView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Platform,
    [property: Id(2)] string Token,
    [property: Id(3)] DateTime RegisteredAt,
    [property: Id(4)] DateTime LastSeenAt,
    [property: Id(5)] DateTime? InvalidatedAt);

[GenerateSerializer, Immutable, Alias("segments.SubscriptionsView")]
public sealed record SubscriptionsView(
    [property: Id(0)] bool Marketing,
    [property: Id(1)] DateTime? MarketingChangedAt,
    [property: Id(2)] bool Transactional,
    [property: Id(3)] DateTime? TransactionalChangedAt);

[GenerateSerializer, Immutable, Alias("segments.ActivityView")]
public sealed record ActivityView(
    [property: Id(0)] DateTime? FirstSeen,
    [property: Id(1)] DateTime? LastSeen,
    [property: Id(2)] int ActiveDaysLast30,
    [property: Id(3)] long EventsApplied);

/// <summary>One event name's counts over the usual windows.</summary>
[GenerateSerializer, Immutable, Alias("segments.BehaviourView")]
public sealed record BehaviourView(
    [property: Id(0)] string Event,
    [property: Id(1)] long Total,
    [property: Id(2)] int Last7Days,
    [property: Id(3)] int Last30Days,
    [property: Id(4)] int Last90Days,
    [property: Id(5)] DateTime? Last);

/// <summary>Whether a push can reach the user now and, if not, since when.</summary>
[GenerateSerializer, Immutable, Alias("segments.ReachabilityView")]
public sealed record ReachabilityView(
    [property: Id(0)] bool Reachable,
    [property: Id(1)] DateTime? UnreachableSince);
