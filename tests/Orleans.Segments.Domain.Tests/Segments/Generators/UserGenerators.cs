using FsCheck;
using FsCheck.Fluent;
using Orleans.Segments.Domain.Events;
using static Orleans.Segments.Domain.Tests.Segments.Generators.Vocabulary;

namespace Orleans.Segments.Domain.Tests.Segments.Generators;

/// <summary>
/// Random users: tracks of a few names with numeric properties and categories, identify calls with string,
/// number, boolean and null traits, locations in and around Berlin, time zones, devices, consents, over 120
/// days, some arriving late and some stamped up to a day ahead; evaluated at a random later moment or exactly
/// on (or a tick beside) a threshold after one of the events.
/// </summary>
internal static class UserGenerators
{
    private const int Days = 120;

    public static Gen<UserStory> Story =>
        from count in Gen.Choose(0, 40)
        from arrivals in Gen.ListOf(Arrival, count)
        let numbered = arrivals.Select((a, i) => a.Event is { } e ? a with { Event = e with { MessageId = $"m{i}" } } : a)
            .OrderBy(a => a.ReceivedAt).ToArray()
        from at in EvaluationTime(numbered)
        from members in Gen.SubListOf(SegmentIds)
        select new UserStory(numbered, at, members.ToArray());

    private static Gen<DateTime> EvaluationTime(Arrival[] arrivals)
    {
        var last = arrivals.Length == 0 ? Start : arrivals[^1].ReceivedAt;
        var later = Gen.Choose(0, 60 * 24 * 60).Select(minutes => last + TimeSpan.FromMinutes(minutes));
        if (arrivals.Length == 0) return later;

        // Why: most time-driven steps fall a whole number of days after an event; probe them and their neighbours.
        var onAStep =
            from i in Gen.Choose(0, arrivals.Length - 1)
            from days in Gen.Elements(1, 3, 7, 14, 30, 60, 90)
            from ticks in Gen.Choose(-1, 1)
            let stamp = arrivals[i].Event?.Timestamp ?? arrivals[i].ReceivedAt
            select Max(stamp + TimeSpan.FromDays(days) + TimeSpan.FromTicks(ticks), last);
        return Gen.Frequency((3, later), (1, onAStep), (1, Gen.Constant(last)));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static Gen<Arrival> Arrival =>
        from minute in Gen.Choose(0, Days * 24 * 60)
        from second in Gen.Choose(0, 59)
        from skew in Gen.Frequency(
            (6, Gen.Constant(0)),
            (2, Gen.Choose(0, 48 * 60)),
            (1, Gen.Choose(-24 * 60, 0)))
        let stamp = Start + TimeSpan.FromMinutes(minute) + TimeSpan.FromSeconds(second)
        let received = stamp + TimeSpan.FromMinutes(skew)
        from arrival in Gen.Frequency(
            (12, Event(stamp).Select(e => new Arrival(received, e))),
            (1, Gen.Elements(true, false).Select(m => new Arrival(received, Marketing: m))),
            (1, Gen.Constant(new Arrival(received, InvalidatesDevices: true))))
        select arrival;

    private static Gen<UserEvent> Event(DateTime at) => Gen.Frequency(
        (6, Track(at)),
        (2, Identify(at)),
        (1, Gen.Elements(EventKind.Page, EventKind.Screen).Select(kind => new UserEvent(kind, "", at) { Name = "Home" })),
        (2, Location.Select(point => new UserEvent(EventKind.Track, "", at) { Name = "Application Opened", Location = point })),
        (1, Gen.Elements(TimeZones).Select(zone => new UserEvent(EventKind.Track, "", at) { Name = "Application Opened", TimeZone = zone })),
        (1, Gen.Choose(0, 3).Select(n => new UserEvent(EventKind.Track, "", at)
        {
            Name = "Application Opened",
            Device = new DeviceToken($"fcm-token-{n}-abcdefghijklmnopqrstuvwxyz0123456789", PushPlatform.Android),
        })),
        (2, Client.Select(client => new UserEvent(EventKind.Track, "", at) { Name = "Application Opened", Client = client })),
        (1, Gen.Constant(new UserEvent(EventKind.Alias, "", at) { AnonymousId = "anon" })));

    /// <summary>What SDKs say of a device: some fields missing, versions that do and do not parse.</summary>
    private static Gen<ClientContext> Client =>
        from key in Gen.Elements("iphone", "ipad", "pixel", "browser")
        from type in Gen.Elements<string?>("ios", "android", "macos", null)
        from app in Gen.Elements<string?>(AppVersions)
        from build in Gen.Elements<string?>("45", "100", "7", null)
        from os in Gen.Elements<string?>("iOS", "iPadOS", "Android", null)
        from osVersion in Gen.Elements<string?>(AppVersions)
        from locale in Gen.Elements<string?>(Locales)
        from model in Gen.Elements<string?>(Models)
        select new ClientContext
        {
            Key = key,
            DeviceType = type,
            AppVersion = app,
            AppBuild = build,
            OsName = os,
            OsVersion = osVersion,
            Locale = locale,
            Model = model,
            LibraryName = type is null ? "analytics.js" : "analytics-swift",
        };

    private static Gen<UserEvent> Track(DateTime at) =>
        from name in Gen.Elements(Vocabulary.Events)
        from revenue in Gen.Choose(0, 20_000)
        from items in Gen.Choose(1, 5)
        from withNumbers in Gen.Elements(true, true, false)
        from categories in Gen.SubListOf(Categories)
        select new UserEvent(EventKind.Track, "", at)
        {
            Name = name,
            Numbers = withNumbers ? new() { ["revenue"] = revenue / 100.0, ["items"] = items } : null,
            Categories = categories.Count > 0 ? categories.ToArray() : null,
        };

    private static Gen<UserEvent> Identify(DateTime at) =>
        from traits in Gen.NonEmptyListOf(Trait(at))
        select new UserEvent(EventKind.Identify, "", at) { Traits = traits.DistinctBy(t => t.Key).ToDictionary(t => t.Key, t => t.Value) };

    private static Gen<KeyValuePair<string, TraitValue>> Trait(DateTime at) =>
        from name in Gen.Elements(Traits)
        from value in Gen.Frequency(
            (3, Gen.Elements(Plans).Select(p => TraitValue.Of(p, at))),
            (3, Gen.Choose(-2, 100).Select(n => TraitValue.Of(n, at))),
            (2, Gen.Elements(true, false).Select(b => TraitValue.Of(b, at))),
            (1, Gen.Constant(TraitValue.Null(at))),
            (1, Gen.Constant(TraitValue.OfJson("{\"a\":1}", at))))
        select KeyValuePair.Create(name, value);

    private static Gen<GeoPoint> Location => Gen.Frequency(
        (4,
            from lat in Gen.Choose(-150, 150)
            from lon in Gen.Choose(-300, 300)
            from city in Gen.Elements(Cities)
            from country in Gen.Elements(Countries)
            select new GeoPoint(52.5225 + lat / 10_000.0, 13.39 + lon / 10_000.0, city, country)),
        (1,
            from lat in Gen.Choose(-90_000, 90_000)
            from lon in Gen.Choose(-180_000, 180_000)
            select new GeoPoint(lat / 1000.0, lon / 1000.0)));
}
