using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>One app session: the events a mobile SDK flushes together, ending at <see cref="End"/>.</summary>
public sealed record Session(DateTime End, UserEvent[] Events);

/// <summary>How much a synthetic user did over its history.</summary>
public sealed record UserShape(int HistoryDays, int ActiveDays, int MaxOrders)
{
    /// <summary>A regular user: active on 20 of the last 60 days, up to 4 orders (~55 events).</summary>
    public static UserShape Regular { get; } = new(60, 20, 4);

    /// <summary>A user who drifts away: active on 10 of 60 days, at most 2 orders, so never loyal (~28 events).</summary>
    public static UserShape Occasional { get; } = new(60, 10, 2);
}

/// <summary>
/// Realistic histories: an identify with 10 traits, a location, a time zone and an iOS push token, then one
/// session per active day (app opened, products viewed in the persona's 3 categories, sometimes a screen, an
/// add-to-cart or an order), so a profile ends up with 5 event names, 3 interests and a few dozen events.
/// </summary>
public static class UserHistory
{
    /// <summary>The sessions of <paramref name="persona"/>, oldest first; the last one ends exactly at <paramref name="lastSeen"/>.</summary>
    public static List<Session> Of(Persona persona, DateTime lastSeen, UserShape shape)
    {
        var random = new Random(persona.Number * 104729 + 7);
        var days = new SortedSet<int> { 0, shape.HistoryDays - 1 };
        while (days.Count < shape.ActiveDays) days.Add(random.Next(1, shape.HistoryDays - 1));

        var sessions = new List<Session>(days.Count);
        int orders = 0;
        foreach (int day in days)
        {
            var end = lastSeen - TimeSpan.FromDays(shape.HistoryDays - 1 - day);
            var events = new List<UserEvent>(8);
            if (day == 0) events.Add(Identify(persona, end.AddMinutes(-25), random));
            events.Add(Track(persona, "Application Opened", end.AddMinutes(-20), random));
            events.Add(ProductViewed(persona, end.AddMinutes(-15), random));
            if (random.NextDouble() < 0.3) events.Add(Screen(persona, "Home", end.AddMinutes(-12), random));
            if (random.NextDouble() < 0.2) events.Add(Shop(persona, "Product Added", end.AddMinutes(-8), random));
            if (orders < shape.MaxOrders && random.NextDouble() < 0.15)
            {
                orders++;
                events.Add(Shop(persona, "Order Completed", end.AddMinutes(-4), random));
            }

            events.Add(ProductViewed(persona, end, random));
            sessions.Add(new Session(end, events.ToArray()));
        }

        return sessions;
    }

    private static UserEvent Identify(Persona p, DateTime at, Random random) =>
        new(EventKind.Identify, Persona.NewGuid(random), at)
        {
            Traits = new Dictionary<string, TraitValue>(StringComparer.Ordinal)
            {
                ["email"] = TraitValue.Of($"{p.UserId}@example.com", at),
                ["first_name"] = TraitValue.Of($"First{p.Number % 997}", at),
                ["last_name"] = TraitValue.Of($"Last{p.Number % 991}", at),
                ["plan"] = TraitValue.Of(p.Number % 4 == 0 ? "premium" : "free", at),
                ["age"] = TraitValue.Of(18 + p.Number % 50, at),
                ["city"] = TraitValue.Of(p.Place.City, at),
                ["country"] = TraitValue.Of(p.Place.Country, at),
                ["language"] = TraitValue.Of(p.Place.Locale[..2], at),
                ["newsletter"] = TraitValue.Of(p.Number % 3 != 0, at),
                ["created_at"] = TraitValue.Of(at.ToString("O"), at),
            },
            Location = new GeoPoint(p.Place.Latitude, p.Place.Longitude, p.Place.City, p.Place.Country),
            TimeZone = p.Place.TimeZone,
            Device = new DeviceToken(p.DeviceToken, PushPlatform.Ios),
            AnonymousId = p.AnonymousId,
        };

    private static UserEvent Track(Persona p, string name, DateTime at, Random random) =>
        new(EventKind.Track, Persona.NewGuid(random), at) { Name = name, AnonymousId = p.AnonymousId };

    private static UserEvent Screen(Persona p, string name, DateTime at, Random random) =>
        new(EventKind.Screen, Persona.NewGuid(random), at) { Name = name, AnonymousId = p.AnonymousId };

    private static UserEvent ProductViewed(Persona p, DateTime at, Random random) =>
        new(EventKind.Track, Persona.NewGuid(random), at)
        {
            Name = "Product Viewed",
            Numbers = new Dictionary<string, double>(StringComparer.Ordinal) { ["price"] = 5 + random.Next(200) },
            Categories = [p.Categories[random.Next(p.Categories.Length)]],
            AnonymousId = p.AnonymousId,
        };

    private static UserEvent Shop(Persona p, string name, DateTime at, Random random) =>
        new(EventKind.Track, Persona.NewGuid(random), at)
        {
            Name = name,
            Numbers = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                [name == "Order Completed" ? "revenue" : "price"] = 10 + random.Next(300),
                ["quantity"] = 1 + random.Next(3),
            },
            Categories = [p.Categories[random.Next(p.Categories.Length)]],
            AnonymousId = p.AnonymousId,
        };
}
