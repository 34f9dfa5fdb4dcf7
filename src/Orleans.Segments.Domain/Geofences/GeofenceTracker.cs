using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Geofences;

/// <summary>Moves a profile in and out of geofences as its last location changes, recording entries and exits.</summary>
public static class GeofenceTracker
{
    /// <summary>How many geofence transitions a profile keeps.</summary>
    public const int HistoryLength = 50;

    /// <summary>Re-checks the profile's last location against <paramref name="index"/>; transitions are at <paramref name="at"/>.</summary>
    public static void Update(UserProfileState state, GeofenceIndex index, DateTime at, List<MembershipTransition> changes)
    {
        var inside = state.Location is { } location
            ? index.Containing(location.Point.Latitude, location.Point.Longitude)
            : [];

        foreach (string id in state.Geofences.Where(id => !inside.Contains(id)).ToList())
        {
            state.Geofences.Remove(id);
            Record(state, new MembershipTransition(id, false, at), changes);
        }

        foreach (string id in inside)
        {
            if (state.Geofences.Add(id)) Record(state, new MembershipTransition(id, true, at), changes);
        }
    }

    private static void Record(UserProfileState state, MembershipTransition transition, List<MembershipTransition> changes)
    {
        changes.Add(transition);
        state.GeofenceHistory.Add(transition);
        if (state.GeofenceHistory.Count > HistoryLength) state.GeofenceHistory.RemoveRange(0, state.GeofenceHistory.Count - HistoryLength);
    }
}
