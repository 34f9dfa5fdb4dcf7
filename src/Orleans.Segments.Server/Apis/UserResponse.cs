using System.Text.Json.Nodes;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Apis;

/// <summary>The JSON shape of <c>GET /v1/users/{userId}</c>.</summary>
public sealed record UserResponse(
    string UserId,
    LifecycleView Lifecycle,
    Dictionary<string, JsonNode?> Traits,
    InterestView[] Interests,
    LocationView? Location,
    DeviceView[] Devices,
    SubscriptionsView Subscriptions,
    ActivityView Activity,
    BehaviourView[] Behaviour,
    ReachabilityView Reachability,
    string[] AnonymousIds,
    SegmentMembershipView[] Segments,
    MembershipTransitionView[] SegmentHistory,
    string[] Geofences,
    MembershipTransitionView[] GeofenceHistory,
    AppDeviceView[] AppDevices)
{
    public static UserResponse From(UserProfileView view) => new(
        view.UserId,
        view.Lifecycle,
        view.Traits.ToDictionary(t => t.Key, t => ToJson(t.Value)),
        view.Interests,
        view.Location,
        view.Devices,
        view.Subscriptions,
        view.Activity,
        view.Behaviour,
        view.Reachability,
        view.AnonymousIds,
        view.Segments,
        view.SegmentHistory,
        view.Geofences,
        view.GeofenceHistory,
        view.AppDevices);

    private static JsonNode? ToJson(TraitValue value) => value.Kind switch
    {
        TraitKind.String => JsonValue.Create(value.Text),
        TraitKind.Number => JsonValue.Create(value.Number),
        TraitKind.Boolean => JsonValue.Create(value.Number != 0),
        TraitKind.Json => JsonNode.Parse(value.Text!),
        _ => null,
    };
}
