using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Users;

/// <summary>Builds the read model of a profile at a given time.</summary>
internal static class ProfileViews
{
    public static UserProfileView From(UserKey key, UserProfileState state, DateTime now, UserModelPolicy policy)
    {
        var lifecycle = state.Lifecycle;
        var location = state.Location is null && state.TimeZone is null
            ? null
            : new LocationView(state.Location?.Point.Latitude, state.Location?.Point.Longitude, state.Location?.Point.City,
                state.Location?.Point.Country, state.Location?.At, state.TimeZone);

        return new UserProfileView(
            key.User.Id,
            key.User.Anonymous,
            new LifecycleView(
                lifecycle.Stage?.ToWire(),
                lifecycle.Stage is null ? null : lifecycle.Since,
                lifecycle.History.Select(t => new TransitionView(t.From?.ToWire(), t.To.ToWire(), t.At)).ToArray()),
            state.Traits.Where(t => t.Value.Kind != Domain.Events.TraitKind.Null).ToDictionary(t => t.Key, t => t.Value),
            state.Interests.Ranked(now, policy.Interests).Select(i => new InterestView(i.Category, Math.Round(i.Score, 4), Math.Round(i.Share, 4))).ToArray(),
            location,
            state.Devices.Select(From).ToArray(),
            From(state.Subscriptions),
            new ActivityView(state.Activity.FirstSeen, state.Activity.LastSeen, state.Activity.ActiveDaysWithin(30, now), state.EventsApplied),
            state.Counters
                .OrderByDescending(c => c.Value.Last)
                .Select(c => new BehaviourView(c.Key, c.Value.Total,
                    c.Value.CountWithin(TimeSpan.FromDays(7), now),
                    c.Value.CountWithin(TimeSpan.FromDays(30), now),
                    c.Value.CountWithin(TimeSpan.FromDays(90), now),
                    c.Value.Last))
                .ToArray(),
            Reachability(state),
            state.AnonymousIds.ToArray(),
            state.Segments.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new SegmentMembershipView(s.Key, s.Value)).ToArray(),
            state.SegmentHistory.Select(Transition).ToArray(),
            state.Geofences.Order(StringComparer.Ordinal).ToArray(),
            state.GeofenceHistory.Select(Transition).ToArray())
        {
            AppDevices = Enumerable.Reverse(state.AppDevices).Select(From).ToArray(),
        };
    }

    public static AppDeviceView From(AppDevice device)
    {
        var c = device.Context;
        return new AppDeviceView(
            c.Key,
            device.Platform,
            c.Manufacturer,
            c.Model,
            new AppView(c.AppName, c.AppVersion, c.AppBuild, c.AppNamespace),
            new OsView(c.OsName, c.OsVersion),
            c.Locale,
            c.Wifi is null && c.Cellular is null && c.Bluetooth is null && c.Carrier is null ? null : new NetworkView(c.Wifi, c.Cellular, c.Bluetooth, c.Carrier),
            c.LibraryName is null && c.LibraryVersion is null ? null : new LibraryView(c.LibraryName, c.LibraryVersion),
            device.FirstSeenAt,
            device.LastSeenAt);
    }

    public static DeviceView From(PushDevice device) => new(
        Domain.Events.DeviceToken.Fingerprint(device.Token),
        device.Platform == Domain.Events.PushPlatform.Ios ? "ios" : "android",
        "…" + device.Token[^4..],
        device.RegisteredAt,
        device.LastSeenAt,
        device.InvalidatedAt);

    private static MembershipTransitionView Transition(Domain.Segments.MembershipTransition t) =>
        new(t.Id, t.Entered ? "entered" : "exited", t.At);

    public static SubscriptionsView From(Subscriptions s) =>
        new(s.Marketing, s.MarketingChangedAt, s.Transactional, s.TransactionalChangedAt);

    private static ReachabilityView Reachability(UserProfileState state)
    {
        if (state.Devices.Any(d => d.IsLive)) return new ReachabilityView(true, null);
        // Why: unreachable since the last live token died, or since the profile began if it never had one.
        var lastDeath = state.Devices.Select(d => d.InvalidatedAt).Max();
        return new ReachabilityView(false, lastDeath ?? state.CreatedAt);
    }
}
