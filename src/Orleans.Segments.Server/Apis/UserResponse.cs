using System.Text.Json.Nodes;
using Orleans.Segments.Contracts;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>The grains' views of a user as the API's contracts (<see cref="UserProfile"/> and its parts).</summary>
public static class UserResponse
{
    public static UserProfile From(UserProfileView view) => new(
        view.UserId,
        new LifecycleInfo(view.Lifecycle.Stage, view.Lifecycle.Since, view.Lifecycle.History.Select(h => new StageChange(h.From, h.To, h.At)).ToArray()),
        view.Traits.ToDictionary(t => t.Key, t => ToJson(t.Value)),
        view.Interests.Select(i => new InterestInfo(i.Category, i.Score, i.Share)).ToArray(),
        view.Location is { } l ? new LocationInfo(l.Latitude, l.Longitude, l.City, l.Country, l.At, l.TimeZone) : null,
        view.Devices.Select(Device).ToArray(),
        Subscriptions(view.Subscriptions),
        new ActivityInfo(view.Activity.FirstSeen, view.Activity.LastSeen, view.Activity.ActiveDaysLast30, view.Activity.EventsApplied),
        view.Behaviour.Select(b => new BehaviourInfo(b.Event, b.Total, b.Last7Days, b.Last30Days, b.Last90Days, b.Last)).ToArray(),
        new ReachabilityInfo(view.Reachability.Reachable, view.Reachability.UnreachableSince),
        view.AnonymousIds,
        view.Segments.Select(s => new MembershipInfo(s.Id, s.Since)).ToArray(),
        view.SegmentHistory.Select(Change).ToArray(),
        view.Geofences,
        view.GeofenceHistory.Select(Change).ToArray(),
        view.AppDevices.Select(d => new AppDeviceInfo(
            d.Id,
            d.Platform,
            d.Manufacturer,
            d.Model,
            new AppInfo(d.App.Name, d.App.Version, d.App.Build, d.App.Namespace),
            new OsInfo(d.Os.Name, d.Os.Version),
            d.Locale,
            d.Network is { } n ? new NetworkInfo(n.Wifi, n.Cellular, n.Bluetooth, n.Carrier) : null,
            d.Library is { } lib ? new LibraryInfo(lib.Name, lib.Version) : null,
            d.FirstSeenAt,
            d.LastSeenAt)).ToArray());

    public static PushDeviceInfo Device(DeviceView d) => new(d.Id, d.Platform, d.Token, d.RegisteredAt, d.LastSeenAt, d.InvalidatedAt);

    public static SubscriptionsInfo Subscriptions(SubscriptionsView s) => new(s.Marketing, s.MarketingChangedAt, s.Transactional, s.TransactionalChangedAt);

    private static MembershipChange Change(MembershipTransitionView t) => new(t.Id, t.Change, t.At);

    private static JsonNode? ToJson(TraitValue value) => value.Kind switch
    {
        TraitKind.String => JsonValue.Create(value.Text),
        TraitKind.Number => JsonValue.Create(value.Number),
        TraitKind.Boolean => JsonValue.Create(value.Number != 0),
        TraitKind.Json => JsonNode.Parse(value.Text!),
        _ => null,
    };
}
