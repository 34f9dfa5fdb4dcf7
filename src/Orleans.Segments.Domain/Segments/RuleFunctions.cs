using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Segments;

/// <summary>The signature of one function of the rule language.</summary>
public sealed record FunctionSignature(string Name, RuleType Result, RuleType[] Parameters, bool TimeDependent, string Help);

/// <summary>The functions of the rule language: their signatures and their values for a user at a time.</summary>
public static class RuleFunctions
{
    public static readonly IReadOnlyDictionary<string, FunctionSignature> All = new[]
    {
        new FunctionSignature("stage", RuleType.String, [], true, "the lifecycle stage: new, active, loyal, at_risk, lapsed"),
        new FunctionSignature("time_in_stage", RuleType.Duration, [], true, "how long the user has been in the current stage"),
        new FunctionSignature("trait", RuleType.Any, [RuleType.String], false, "trait(\"plan\"): a trait's value"),
        new FunctionSignature("has_trait", RuleType.Bool, [RuleType.String], false, "has_trait(\"email\"): the trait is set"),
        new FunctionSignature("count", RuleType.Number, [RuleType.String, RuleType.Duration], true, "count(\"Order Completed\", 30d): occurrences in the window"),
        new FunctionSignature("sum", RuleType.Number, [RuleType.String, RuleType.String, RuleType.Duration], true, "sum(\"Order Completed\", \"revenue\", 90d): a property summed over the window"),
        new FunctionSignature("since_last", RuleType.Duration, [RuleType.String], true, "since_last(\"Application Opened\"): time since the event (never = infinitely long)"),
        new FunctionSignature("since_first_seen", RuleType.Duration, [], true, "time since the user was first seen"),
        new FunctionSignature("since_last_seen", RuleType.Duration, [], true, "time since the user was last seen"),
        new FunctionSignature("interest", RuleType.Number, [RuleType.String], false, "interest(\"electronics\"): the category's share of the user's interest, 0 to 1"),
        new FunctionSignature("top_interest", RuleType.String, [], false, "the category with the highest interest"),
        new FunctionSignature("inside", RuleType.Bool, [RuleType.String], false, "inside(\"central-station\"): the last location is inside the geofence"),
        new FunctionSignature("near", RuleType.Bool, [RuleType.Number, RuleType.Number, RuleType.Distance], false, "near(52.52, 13.405, 2km): the last location is within the distance"),
        new FunctionSignature("timezone", RuleType.String, [], false, "the user's IANA time zone"),
        new FunctionSignature("city", RuleType.String, [], false, "the city of the last location"),
        new FunctionSignature("country", RuleType.String, [], false, "the country of the last location"),
        new FunctionSignature("has_push_token", RuleType.Bool, [], false, "the user has a live push token"),
        new FunctionSignature("subscribed", RuleType.Bool, [RuleType.String], false, "subscribed(\"marketing\"): the user consents to that category"),
        new FunctionSignature("in_segment", RuleType.Bool, [RuleType.String], true, "in_segment(\"other\"): the user is in another segment"),
        new FunctionSignature("app_version", RuleType.Version, [], false, "the app version on the user's most recently seen device, compared as a version: app_version < \"5.10\""),
        new FunctionSignature("app_build", RuleType.Version, [], false, "the app build number on the most recently seen device, compared as a version"),
        new FunctionSignature("os_name", RuleType.String, [], false, "the OS name on the most recently seen device: iOS, iPadOS, Android…"),
        new FunctionSignature("os_version", RuleType.Version, [], false, "the OS version on the most recently seen device, compared as a version: os_version >= \"17\""),
        new FunctionSignature("locale", RuleType.String, [], false, "the locale of the most recently seen device, such as de-DE"),
        new FunctionSignature("language", RuleType.String, [], false, "the language of that locale, such as de"),
        new FunctionSignature("platform", RuleType.String, [], false, "the most recently seen device's platform: ios, android, web, macos…"),
        new FunctionSignature("device_model", RuleType.String, [], false, "the most recently seen device's model, such as iPhone15,2 or Pixel 7"),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static bool IsBareName(string name) => All.TryGetValue(name, out var f) && f.Parameters.Length == 0;

    /// <summary>The term's value for the user and time of <paramref name="context"/>.</summary>
    public static RuleValue Evaluate(Term term, RuleContext context)
    {
        var a = term.Args;
        return term.Function switch
        {
            "stage" => Stage(context),
            "time_in_stage" => TimeInStage(context),
            "trait" => Trait(context, a[0].Text!),
            "has_trait" => HasTrait(context, a[0].Text!),
            "count" => Count(context, a[0].Text!, a[1].Duration),
            "sum" => Sum(context, a[0].Text!, a[1].Text!, a[2].Duration),
            "since_last" => SinceLast(context, a[0].Text!),
            "since_first_seen" => Since(context, context.State.Activity.FirstSeen),
            "since_last_seen" => Since(context, context.State.Activity.LastSeen),
            "interest" => Interest(context, a[0].Text!),
            "top_interest" => TopInterest(context),
            "inside" => Inside(context, a[0].Text!),
            "near" => Near(context, a[0].Number, a[1].Number, a[2].Number),
            "timezone" => RuleValue.Of(context.State.TimeZone),
            "city" => RuleValue.Of(context.State.Location?.Point.City),
            "country" => RuleValue.Of(context.State.Location?.Point.Country),
            "has_push_token" => HasPushToken(context),
            "subscribed" => Subscribed(context, a[0].Text!),
            "in_segment" => InSegment(context, a[0].Text!),
            "app_version" => AppVersion(context),
            "app_build" => AppBuild(context),
            "os_name" => OsName(context),
            "os_version" => OsVersion(context),
            "locale" => Locale(context),
            "language" => Language(context),
            "platform" => Platform(context),
            "device_model" => DeviceModel(context),
            _ => throw new InvalidOperationException($"Unknown function {term.Function}."),
        };
    }

    public static RuleValue Stage(RuleContext c) => c.Stage is { } s ? RuleValue.Of(s.ToWire()) : RuleValue.Missing;

    public static RuleValue TimeInStage(RuleContext c) => c.Stage is null ? RuleValue.Missing : RuleValue.Of(c.At - c.StageSince);

    public static RuleValue Trait(RuleContext c, string name)
    {
        if (!c.State.Traits.TryGetValue(name, out var t)) return RuleValue.Missing;
        return t.Kind switch
        {
            Events.TraitKind.String => RuleValue.Of(t.Text),
            Events.TraitKind.Number => RuleValue.Of(t.Number),
            Events.TraitKind.Boolean => RuleValue.Of(t.Number != 0),
            _ => RuleValue.Missing,
        };
    }

    public static RuleValue HasTrait(RuleContext c, string name) =>
        RuleValue.Of(c.State.Traits.TryGetValue(name, out var t) && t.Kind != Events.TraitKind.Null);

    public static RuleValue Count(RuleContext c, string eventName, TimeSpan window) =>
        RuleValue.Of(c.State.Counters.TryGetValue(eventName, out var counter) ? counter.CountWithin(window, c.At) : 0);

    public static RuleValue Sum(RuleContext c, string eventName, string property, TimeSpan window) =>
        RuleValue.Of(c.State.Counters.TryGetValue(eventName, out var counter) ? counter.SumWithin(property, window, c.At) : 0);

    public static RuleValue SinceLast(RuleContext c, string eventName) =>
        Since(c, c.State.Counters.TryGetValue(eventName, out var counter) ? LastAtOrBefore(counter, c.At) : null);

    public static RuleValue Since(RuleContext c, DateTime? at) =>
        at is { } t ? RuleValue.Of(c.At - t) : RuleValue.Never;

    public static RuleValue Interest(RuleContext c, string category)
    {
        // Why: every category decays at the same half-life, so a share does not change with time alone.
        double total = 0, mine = 0;
        foreach (var (name, score) in c.State.Interests.Scores)
        {
            double value = score.ValueAt(c.At, c.Policy.Interests.HalfLife);
            total += value;
            if (name == category) mine = value;
        }

        return RuleValue.Of(total > 0 ? mine / total : 0);
    }

    public static RuleValue TopInterest(RuleContext c)
    {
        string? best = null;
        double bestValue = 0;
        foreach (var (name, score) in c.State.Interests.Scores)
        {
            double value = score.ValueAt(c.At, c.Policy.Interests.HalfLife);
            if (best is null || value > bestValue || (value == bestValue && string.CompareOrdinal(name, best) < 0))
            {
                best = name;
                bestValue = value;
            }
        }

        return RuleValue.Of(best);
    }

    public static RuleValue Inside(RuleContext c, string fence) => RuleValue.Of(c.State.Geofences.Contains(fence));

    public static RuleValue Near(RuleContext c, double latitude, double longitude, double meters) =>
        c.State.Location is { } location
            ? RuleValue.Of(Geo.DistanceMeters(location.Point.Latitude, location.Point.Longitude, latitude, longitude) <= meters)
            : RuleValue.Of(false);

    public static RuleValue HasPushToken(RuleContext c) => RuleValue.Of(c.State.Devices.Exists(d => d.IsLive));

    public static RuleValue Subscribed(RuleContext c, string category) => RuleValue.Of(category switch
    {
        "marketing" => c.State.Subscriptions.Marketing,
        "transactional" => c.State.Subscriptions.Transactional,
        _ => false,
    });

    public static RuleValue InSegment(RuleContext c, string segment) => RuleValue.Of(c.InSegment(segment));

    public static RuleValue AppVersion(RuleContext c) => RuleValue.OfVersion(LatestDevice(c)?.AppVersion);

    public static RuleValue AppBuild(RuleContext c) => RuleValue.OfVersion(LatestDevice(c)?.AppBuild);

    public static RuleValue OsName(RuleContext c) => RuleValue.Of(LatestDevice(c)?.OsName);

    public static RuleValue OsVersion(RuleContext c) => RuleValue.OfVersion(LatestDevice(c)?.OsVersion);

    public static RuleValue Locale(RuleContext c) => RuleValue.Of(LatestDevice(c)?.Locale);

    public static RuleValue Language(RuleContext c) => LatestDevice(c)?.Locale is { } locale
        ? RuleValue.Of(Languages.Of(locale))
        : RuleValue.Missing;

    public static RuleValue Platform(RuleContext c) => LatestDevice(c) is { } device ? RuleValue.Of(Profile.Platforms.Of(device)) : RuleValue.Missing;

    public static RuleValue DeviceModel(RuleContext c) => RuleValue.Of(LatestDevice(c)?.Model);

    /// <summary>The description of the user's most recently seen device (kept last), or null.</summary>
    private static Events.ClientContext? LatestDevice(RuleContext c) =>
        c.State.AppDevices is { Count: > 0 } devices ? devices[^1].Context : null;

    private static DateTime? LastAtOrBefore(EventCounter counter, DateTime at)
    {
        for (int i = counter.Recent.Count - 1; i >= 0; i--)
        {
            if (counter.Recent[i] <= at.Ticks) return new DateTime(counter.Recent[i], DateTimeKind.Utc);
        }

        return null;
    }
}
