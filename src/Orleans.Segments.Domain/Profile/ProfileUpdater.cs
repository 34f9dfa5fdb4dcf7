using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Profile;

/// <summary>What applying a batch of events did.</summary>
public readonly record struct ApplyResult(
    int Applied,
    int Duplicates,
    IReadOnlyList<LifecycleTransition> Transitions,
    IReadOnlyList<MembershipTransition> SegmentChanges,
    IReadOnlyList<MembershipTransition> GeofenceChanges)
{
    /// <summary>The events applied (not duplicates), in the order given.</summary>
    public IReadOnlyList<UserEvent> AppliedEvents { get; init; } = [];

    public bool Changed => Applied > 0 || Transitions.Count > 0 || SegmentChanges.Count > 0 || GeofenceChanges.Count > 0;
}

/// <summary>Applies events, device and consent changes to a profile: the pure core of the user grain.</summary>
public static class ProfileUpdater
{
    /// <summary>Counter name for events beyond <see cref="UserModelPolicy.MaxEventNames"/>.</summary>
    public const string OtherEvents = "(other)";

    /// <summary>
    /// Applies <paramref name="events"/> at <paramref name="now"/>: time-driven segment and lifecycle changes up to
    /// now first (each at its exact moment), then every event not seen before (by message id), then the
    /// lifecycle, geofences and segments as they stand after the events.
    /// </summary>
    public static ApplyResult Apply(UserProfileState state, IReadOnlyList<UserEvent> events, DateTime now, UserModelPolicy policy, ModelEnvironment? environment = null) =>
        Apply(state, events, now, policy, environment, reevaluateSegments: false);

    /// <summary>Re-evaluates segments now after a change that is not an event (a device, a consent).</summary>
    public static ApplyResult Refresh(UserProfileState state, DateTime now, UserModelPolicy policy, ModelEnvironment? environment = null) =>
        Apply(state, [], now, policy, environment, reevaluateSegments: true);

    private static ApplyResult Apply(UserProfileState state, IReadOnlyList<UserEvent> events, DateTime now, UserModelPolicy policy, ModelEnvironment? environment, bool reevaluateSegments)
    {
        var env = environment ?? ModelEnvironment.None;
        long transitionsBefore = state.Lifecycle.Transitions;
        var segmentChanges = new List<MembershipTransition>();
        var geofenceChanges = new List<MembershipTransition>();
        AdvanceCore(state, now, policy, env, segmentChanges);

        var locationBefore = state.Location;
        int applied = 0, duplicates = 0;
        List<UserEvent>? appliedEvents = null;
        foreach (var e in events)
        {
            ulong hash = MessageIdWindow.Hash(e.MessageId);
            if (state.MessageIds.Contains(hash))
            {
                duplicates++;
                continue;
            }

            state.MessageIds.Add(hash, now, policy.Dedupe);
            ApplyOne(state, e, now, policy);
            applied++;
            (appliedEvents ??= new List<UserEvent>(events.Count)).Add(e);
        }

        if (applied > 0)
        {
            state.EventsApplied += applied;
            LifecycleMachine.Reevaluate(state.Lifecycle, state.Activity, LoyalCounter(state, policy), now, policy.Lifecycle);
        }

        if (!ReferenceEquals(locationBefore, state.Location) || state.GeofencesVersion != env.Geofences.Version)
        {
            GeofenceTracker.Update(state, env.Geofences, now, geofenceChanges);
            state.GeofencesVersion = env.Geofences.Version;
        }

        if (reevaluateSegments || applied > 0 || geofenceChanges.Count > 0 || state.SegmentsVersion != env.Segments.Version)
        {
            SegmentEvaluator.Reevaluate(state, env.Segments, now, policy, segmentChanges);
        }

        return new ApplyResult(applied, duplicates, NewTransitions(state, transitionsBefore), segmentChanges, geofenceChanges)
        {
            AppliedEvents = (IReadOnlyList<UserEvent>?)appliedEvents ?? [],
        };
    }

    /// <summary>Applies time-driven changes due up to <paramref name="now"/> (a wake-up, or a backfill).</summary>
    public static ApplyResult Advance(UserProfileState state, DateTime now, UserModelPolicy policy, ModelEnvironment? environment = null) =>
        Apply(state, [], now, policy, environment);

    /// <summary>
    /// The next moment the profile changes by itself (the time to book a wake-up for), or null; with
    /// <paramref name="before"/>, only a moment before it is looked for (null if there is none).
    /// </summary>
    public static DateTime? NextTimeDrivenChange(UserProfileState state, DateTime now, UserModelPolicy policy, ModelEnvironment? environment = null, DateTime? before = null)
    {
        var lifecycle = LifecycleMachine.NextChange(state.Activity, LoyalCounter(state, policy), now, policy.Lifecycle);
        if (lifecycle >= before) lifecycle = null;

        // Why: only the earlier of the two is wanted, so the segments' search stops at the lifecycle's change.
        var segments = (environment ?? ModelEnvironment.None).Segments.NextChange(state, now, policy, lifecycle ?? before);
        return segments ?? lifecycle;
    }

    private static void AdvanceCore(UserProfileState state, DateTime now, UserModelPolicy policy, ModelEnvironment env, List<MembershipTransition> segmentChanges)
    {
        // Why: the wake-up is booked no later than the next time-driven change (see NextTimeDrivenChange), so
        // while it lies ahead nothing can be due; this spares the per-event path a search for that change.
        if (state.WakeBookedFor is { } booked && booked > now && state.SegmentsVersion == env.Segments.Version) return;

        // Why: segments first, so that instants before now see the lifecycle stage they had then.
        SegmentEvaluator.AdvanceTo(state, env.Segments, now, policy, segmentChanges);
        LifecycleMachine.AdvanceTo(state.Lifecycle, state.Activity, LoyalCounter(state, policy), now, policy.Lifecycle);
        foreach (var counter in state.Counters.Values) counter.Trim(now);
    }

    /// <summary>Registers or refreshes a push token. A token registered again after it died is live again.</summary>
    public static void RegisterDevice(UserProfileState state, DeviceToken device, DateTime at, UserModelPolicy policy)
    {
        state.CreatedAt ??= at;
        var existing = state.Devices.Find(d => d.Token == device.Token);
        if (existing is not null)
        {
            existing.Platform = device.Platform;
            if (at > existing.LastSeenAt) existing.LastSeenAt = at;
            if (existing.InvalidatedAt is { } dead && at > dead) existing.InvalidatedAt = null;
            return;
        }

        state.Devices.Add(new PushDevice { Token = device.Token, Platform = device.Platform, RegisteredAt = at, LastSeenAt = at });
        if (state.Devices.Count > policy.MaxDevices)
        {
            state.Devices.Remove(state.Devices.MinBy(d => (d.IsLive, d.LastSeenAt))!);
        }
    }

    /// <summary>
    /// Records what an SDK said of the device at <paramref name="at"/>: a newer description replaces the fields it
    /// has (an older, late event changes nothing but the first-seen time); the most recently seen device is kept last.
    /// </summary>
    public static void SeeAppDevice(UserProfileState state, ClientContext client, DateTime at, UserModelPolicy policy)
    {
        var devices = state.AppDevices;
        int index = devices.FindIndex(d => d.Context.Key == client.Key);
        if (index < 0)
        {
            devices.Add(new AppDevice { Context = client, FirstSeenAt = at, LastSeenAt = at });
            if (devices.Count > policy.MaxAppDevices) devices.Remove(devices.MinBy(d => d.LastSeenAt)!);
        }
        else
        {
            var known = devices[index];
            if (at < known.FirstSeenAt) known.FirstSeenAt = at;
            if (at < known.LastSeenAt) return;
            known.LastSeenAt = at;
            if (known.Context != client) known.Context = Merge(known.Context, client);
        }

        // Why: rules read the most recently seen device; keeping it last spares them a search.
        devices.Sort(static (a, b) => a.LastSeenAt.CompareTo(b.LastSeenAt));
    }

    private static ClientContext Merge(ClientContext known, ClientContext seen) => new()
    {
        Key = seen.Key,
        DeviceType = seen.DeviceType ?? known.DeviceType,
        Manufacturer = seen.Manufacturer ?? known.Manufacturer,
        Model = seen.Model ?? known.Model,
        AppName = seen.AppName ?? known.AppName,
        AppVersion = seen.AppVersion ?? known.AppVersion,
        AppBuild = seen.AppBuild ?? known.AppBuild,
        AppNamespace = seen.AppNamespace ?? known.AppNamespace,
        OsName = seen.OsName ?? known.OsName,
        OsVersion = seen.OsVersion ?? known.OsVersion,
        Locale = seen.Locale ?? known.Locale,
        Wifi = seen.Wifi ?? known.Wifi,
        Cellular = seen.Cellular ?? known.Cellular,
        Bluetooth = seen.Bluetooth ?? known.Bluetooth,
        Carrier = seen.Carrier ?? known.Carrier,
        LibraryName = seen.LibraryName ?? known.LibraryName,
        LibraryVersion = seen.LibraryVersion ?? known.LibraryVersion,
    };

    public static bool RemoveDevice(UserProfileState state, string token) => state.Devices.RemoveAll(d => d.Token == token) > 0;

    /// <summary>
    /// Marks a push token dead because APNs or FCM said so at <paramref name="at"/> (APNs' 410 timestamp). A token
    /// seen again after that moment stays live: APNs documents its timestamp for exactly this comparison.
    /// Returns true when the profile changed.
    /// </summary>
    public static bool InvalidateDevice(UserProfileState state, string token, DateTime at)
    {
        var device = state.Devices.Find(d => d.Token == token);
        if (device is null || device.LastSeenAt > at) return false;
        if (device.InvalidatedAt is { } dead && dead >= at) return false;
        device.InvalidatedAt = at;
        return true;
    }

    /// <summary>Sets the consents given; a null leaves that consent as it is.</summary>
    public static void SetSubscriptions(UserProfileState state, bool? marketing, bool? transactional, DateTime now)
    {
        state.CreatedAt ??= now;
        if (marketing is { } m && (m != state.Subscriptions.Marketing || state.Subscriptions.MarketingChangedAt is null))
        {
            state.Subscriptions.Marketing = m;
            state.Subscriptions.MarketingChangedAt = now;
        }

        if (transactional is { } t && (t != state.Subscriptions.Transactional || state.Subscriptions.TransactionalChangedAt is null))
        {
            state.Subscriptions.Transactional = t;
            state.Subscriptions.TransactionalChangedAt = now;
        }
    }

    private static void ApplyOne(UserProfileState state, UserEvent e, DateTime now, UserModelPolicy policy)
    {
        state.CreatedAt ??= now;
        var at = e.Timestamp;

        // Why: alias and group calls say who the user is, not that the user did something.
        if (e.Kind is not (EventKind.Alias or EventKind.Group)) state.Activity.Record(at);

        if (CounterName(e) is { } name) Count(state, name, at, e.Numbers, now, policy);

        if (e.Categories is { Length: > 0 } categories && e.Name is { } eventName &&
            policy.Interests.Weights.TryGetValue(eventName, out double weight))
        {
            foreach (string category in categories) state.Interests.Add(category, weight, at, policy.Interests);
        }

        if (e.Traits is not null) SetTraits(state, e.Traits, policy);

        if (e.Location is { } point && (state.Location is null || at >= state.Location.At))
        {
            state.Location = new LastLocation(point, at);
        }

        if (e.TimeZone is { } zone && (state.TimeZoneAt is null || at >= state.TimeZoneAt))
        {
            state.TimeZone = zone;
            state.TimeZoneAt = at;
        }

        if (e.Device is { } device) RegisterDevice(state, device, at, policy);
        if (e.Client is { } client) SeeAppDevice(state, client, at, policy);

        if (e.AnonymousId is { } anonymousId && !state.AnonymousIds.Contains(anonymousId))
        {
            state.AnonymousIds.Add(anonymousId);
            if (state.AnonymousIds.Count > 8) state.AnonymousIds.RemoveAt(0);
        }
    }

    private static string? CounterName(UserEvent e) => e.Kind switch
    {
        EventKind.Track => e.Name,
        EventKind.Page => "Page Viewed",
        EventKind.Screen => "Screen Viewed",
        _ => null,
    };

    private static void Count(UserProfileState state, string name, DateTime at, Dictionary<string, double>? numbers, DateTime now, UserModelPolicy policy)
    {
        if (!state.Counters.TryGetValue(name, out var counter))
        {
            if (state.Counters.Count >= policy.MaxEventNames) name = OtherEvents;
            if (!state.Counters.TryGetValue(name, out counter))
            {
                counter = new EventCounter();
                state.Counters[NamePool.Intern(name)] = counter;
            }
        }

        counter.Add(at, numbers, now);
    }

    private static void SetTraits(UserProfileState state, Dictionary<string, TraitValue> traits, UserModelPolicy policy)
    {
        foreach (var (key, value) in traits)
        {
            if (state.Traits.TryGetValue(key, out var current))
            {
                // Why: out-of-order identify calls must not let an older value overwrite a newer one.
                if (value.SetAt >= current.SetAt) state.Traits[key] = value;
            }
            else if (state.Traits.Count < policy.MaxTraits)
            {
                // Why: a new key is pooled once; values are pooled when the profile is read from storage, which spares
                // every identify a pool lookup per trait.
                state.Traits[NamePool.Intern(key)] = value;
            }
        }
    }

    private static EventCounter? LoyalCounter(UserProfileState state, UserModelPolicy policy) =>
        state.Counters.GetValueOrDefault(policy.Lifecycle.LoyalEvent);

    private static IReadOnlyList<LifecycleTransition> NewTransitions(UserProfileState state, long transitionsBefore)
    {
        // Why: counted, not compared by position, because the capped history drops its head as it grows.
        var history = state.Lifecycle.History;
        int added = (int)Math.Min(state.Lifecycle.Transitions - transitionsBefore, history.Count);
        return added <= 0 ? [] : history.GetRange(history.Count - added, added);
    }
}
