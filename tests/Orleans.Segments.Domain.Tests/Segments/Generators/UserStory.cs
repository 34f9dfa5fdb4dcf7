using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>
/// A user's history as it reached the profile, the moment the rules are evaluated at, and the other segments
/// the user is in. <see cref="Build"/> replays it through <see cref="ProfileUpdater"/> into a fresh profile.
/// </summary>
public sealed record UserStory(IReadOnlyList<Arrival> Arrivals, DateTime EvaluatedAt, IReadOnlyList<string> MemberOf)
{
    /// <summary>A circle around Berlin Hauptbahnhof and a square around Alexanderplatz.</summary>
    public static readonly ModelEnvironment Environment = new(SegmentSet.Empty, new GeofenceIndex(1,
    [
        new Geofence("central-station", "Berlin Hauptbahnhof", new GeoPoint(52.5251, 13.3694), 400, null),
        new Geofence("store-1", "Alexanderplatz", null, 0,
            [new GeoPoint(52.5230, 13.4100), new GeoPoint(52.5230, 13.4160), new GeoPoint(52.5200, 13.4160), new GeoPoint(52.5200, 13.4100)]),
    ]));

    public UserModelPolicy Policy => UserModelPolicy.Default;

    public UserProfileState Build()
    {
        var state = new UserProfileState();
        foreach (var arrival in Arrivals)
        {
            if (arrival.Event is { } e) ProfileUpdater.Apply(state, [e], arrival.ReceivedAt, Policy, Environment);
            if (arrival.Marketing is { } marketing) ProfileUpdater.SetSubscriptions(state, marketing, null, arrival.ReceivedAt);
            if (arrival.InvalidatesDevices)
            {
                foreach (var device in state.Devices) device.InvalidatedAt ??= arrival.ReceivedAt;
            }
        }

        return state;
    }

    /// <summary>The user at <see cref="EvaluatedAt"/>, with <c>in_segment</c> answered from <see cref="MemberOf"/>.</summary>
    public RuleContext Context(UserProfileState state) =>
        new(state, EvaluatedAt, Policy) { InSegment = id => MemberOf.Contains(id) };

    public override string ToString() =>
        $"evaluated at {EvaluatedAt:O}, in segments [{string.Join(", ", MemberOf)}]{System.Environment.NewLine}  " +
        string.Join(System.Environment.NewLine + "  ", Arrivals);
}
