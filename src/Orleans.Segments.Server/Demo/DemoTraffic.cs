using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Journeys;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Ingestion;
using Orleans.Segments.Users;

namespace Orleans.Segments.Server.Demo;

/// <summary>
/// <c>--demo</c>: seeds synthetic users whose histories put them just before lifecycle boundaries, then keeps
/// events flowing, so that within a minute stages change by themselves and by events, the dashboard moves and
/// the API has something to show.
/// </summary>
public sealed partial class DemoTraffic(
    EventRouter router,
    AppCatalog catalog,
    IGrainFactory grains,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DemoTraffic> logger) : BackgroundService
{
    private const int Users = 300;
    private static readonly string[] Categories = ["electronics", "fashion", "books", "garden", "toys"];
    private static readonly string[] Cities = ["Berlin", "Paris", "Lisbon", "Madrid", "Rome"];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!await WaitForStart(stoppingToken)) return;
        string appId = catalog.AppIds.Contains("demo") ? "demo" : catalog.AppIds.First();
        var random = new Random(42);

        await DefineSegments(appId);
        await DefineCampaigns(appId);
        await DefineJourney(appId);
        await router.RouteAsync(appId, Seed(random));
        await Subscribe(appId);
        LogSeeded(Users, appId);

        long sequence = 0;
        var lastReport = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var batch = new List<ParsedMessage>();
            for (int i = 0; i < 20; i++) batch.Add(LiveEvent(random, ref sequence));
            await router.RouteAsync(appId, batch);

            if (time.GetUtcNow() - lastReport >= TimeSpan.FromSeconds(10))
            {
                lastReport = time.GetUtcNow();
                await ReportStages(appId);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, stoppingToken);
        }
    }

    private async Task<bool> WaitForStart(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await Task.WhenAny(started.Task, Task.Delay(Timeout.Infinite, stoppingToken)).ConfigureAwait(false);
        return !stoppingToken.IsCancellationRequested;
    }

    private async Task DefineSegments(string appId)
    {
        var catalog = grains.GetGrain<ISegmentCatalogGrain>(appId);
        await catalog.PutGeofence(new Geofence("alexanderplatz", "Alexanderplatz", new GeoPoint(52.5219, 13.4132), 500, null));
        (string Id, string Rule)[] segments =
        [
            ("welcome", "stage = \"new\""),
            ("win-back", "stage = \"at_risk\" and has_trait(\"first_name\")"),
            ("big-spenders", "sum(\"Order Completed\", \"revenue\", 90d) > 300"),
            ("dormant-2w", "since_last(\"Application Opened\") > 14d"),
            ("electronics-fans", "interest(\"electronics\") >= 0.4"),
            ("at-alexanderplatz", "inside(\"alexanderplatz\")"),
        ];
        foreach (var (id, rule) in segments) await catalog.PutSegment(new SegmentDefinition(id, id, rule));
    }

    /// <summary>Two in three demo users opt in to marketing pushes (their devices come with the seed).</summary>
    private async Task Subscribe(string appId)
    {
        for (int u = 0; u < Users; u++)
        {
            if (u % 3 != 2) await grains.GetGrain<IUserGrain>(UserKey.Known(appId, $"demo-user-{u:000}").GrainKey).SetSubscriptions(true, null);
        }
    }

    /// <summary>
    /// A welcome push 30 seconds after a user enters the "welcome" segment (by then the seed has given consent),
    /// a win-back push 20 seconds after a user turns at risk (with variants and a holdout, under the app's quiet
/// hours, so at night they are held),
    /// and an order confirmation: with no APNs/FCM credentials they go to the log sender, and
    /// GET /v1/campaigns/{id}/stats and /v1/users/{id}/messages show every decision.
    /// </summary>
    private async Task DefineCampaigns(string appId)
    {
        var welcome = new CampaignDefinition("welcome", "Welcome tips", MessageCategory.Marketing,
            new CampaignMessage("Welcome, {{ traits.first_name | default: \"there\" }}!", "Three tips to get started."),
            new CampaignTrigger(TriggerKind.SegmentEntry) { Segment = "welcome", Delay = TimeSpan.FromSeconds(30) })
        {
            QuietHours = new QuietHours { Enabled = false },
        };
        var winBack = new CampaignDefinition("win-back", "Win back", MessageCategory.Marketing,
            new CampaignMessage("We miss you, {{ traits.first_name }}", "Here is 10 % off your next order."),
            new CampaignTrigger(TriggerKind.Lifecycle) { Stage = "at_risk", Delay = TimeSpan.FromSeconds(20) })
        {
            AudienceSegment = "win-back",
            HoldoutPercent = 20,
            ConversionEvent = "Order Completed",
            Variants =
            [
                new VariantMessage("discount", 50, new CampaignMessage("We miss you, {{ traits.first_name }}", "Here is 10 % off your next order.")),
                new VariantMessage("news", 50, new CampaignMessage("What's new, {{ traits.first_name }}?", "See what arrived since your last visit.")),
            ],
        };
        var receipt = new CampaignDefinition("order-confirmation", "Order confirmation", MessageCategory.Transactional,
            new CampaignMessage("Order confirmed", "Thanks, {{ traits.first_name }}! We are packing it."),
            new CampaignTrigger(TriggerKind.Event) { Event = "Order Completed" });
        foreach (var definition in new[] { welcome, winBack, receipt })
        {
            var campaign = grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(appId, definition.Id));
            await campaign.Put(definition);
            await campaign.Launch();
        }
    }

    /// <summary>
    /// The onboarding journey of issue 14, with the demo's days as minutes: every seeded user enters on
    /// "Application Installed"; 30 seconds later (by then the seed has given consent) a welcome; a minute later a tip
    /// unless they viewed a product; an offer if they did not buy within two more minutes; out as soon as they buy.
    /// The console's Journeys page follows them step by step.
    /// </summary>
    private async Task DefineJourney(string appId)
    {
        var onboarding = new JourneyDefinition("onboarding", "Onboarding", new JourneyEntry(JourneyEntryKind.Event) { Event = "Application Installed" }, "settle",
        [
            new JourneyStep("settle", JourneyStepKind.Wait) { Duration = TimeSpan.FromSeconds(30), Next = "welcome" },
            new JourneyStep("welcome", JourneyStepKind.Message) { Message = new CampaignMessage("Welcome {{ traits.first_name | default: \"there\" }}", "Glad you are here"), Next = "day1" },
            new JourneyStep("day1", JourneyStepKind.Wait) { Duration = TimeSpan.FromMinutes(1), Next = "viewed" },
            new JourneyStep("viewed", JourneyStepKind.Branch) { Rules = [new JourneyBranchPath("count(\"Product Viewed\", 30d) > 0", "day3")], Default = "tip" },
            new JourneyStep("tip", JourneyStepKind.Message) { Message = new CampaignMessage("A tip", "Browse the new arrivals"), Next = "day3" },
            new JourneyStep("day3", JourneyStepKind.Wait) { UntilEvent = "Order Completed", Timeout = TimeSpan.FromMinutes(2), Next = "bought", TimedOut = "offer" },
            new JourneyStep("offer", JourneyStepKind.Message) { Message = new CampaignMessage("10 % off", "Your first order"), Next = "bought" },
            new JourneyStep("bought", JourneyStepKind.Exit),
        ])
        {
            Exits = [new JourneyExitCondition(JourneyExitKind.Event) { Event = "Order Completed" }, new JourneyExitCondition(JourneyExitKind.ConsentWithdrawn)],
            ConversionEvent = "Order Completed",
            ConversionWindow = TimeSpan.FromDays(1),
        };
        var journey = grains.GetGrain<IJourneyGrain>(JourneyGrain.Key(appId, onboarding.Id));

        // Why: on durable storage a restarted demo finds its journey; putting it again would make a new version.
        if (await journey.Get() is null)
        {
            await journey.Put(onboarding);
            await journey.Launch();
        }

        LogJourney(appId);
    }

    private List<ParsedMessage> Seed(Random random)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var messages = new List<ParsedMessage>();
        for (int u = 0; u < Users; u++)
        {
            string userId = $"demo-user-{u:000}";
            var (firstSeen, lastSeen, orders) = (u % 6) switch
            {
                // About to become at risk: last seen almost 7 days ago.
                0 => (now.AddDays(-20), now.AddDays(-7).AddSeconds(5 + random.Next(45)), 0),
                // About to lapse: last seen almost 30 days ago.
                1 => (now.AddDays(-60), now.AddDays(-30).AddSeconds(5 + random.Next(45)), 0),
                // Loyal: three orders in the last three weeks.
                2 => (now.AddDays(-40), now.AddHours(-random.Next(1, 48)), 3),
                // New: first seen today.
                3 => (now.AddMinutes(-random.Next(1, 600)), now.AddMinutes(-random.Next(0, 1)), 0),
                // Already at risk: some of them will come back.
                4 => (now.AddDays(-45), now.AddDays(-10 - random.Next(10)), 1),
                _ => (now.AddDays(-15), now.AddDays(-random.Next(0, 5)), 0),
            };

            messages.Add(Message(userId, EventKind.Identify, firstSeen, null, traits: new()
            {
                ["first_name"] = TraitValue.Of($"User{u}", firstSeen),
                ["plan"] = TraitValue.Of(u % 3 == 0 ? "pro" : "free", firstSeen),
            }, city: Cities[u % Cities.Length]) is var identify && u % 5 != 4
                ? identify with { Event = identify.Event with { Device = new DeviceToken(DemoToken(u), u % 2 == 0 ? PushPlatform.Ios : PushPlatform.Android) } }
                : identify);
            messages.Add(Message(userId, EventKind.Track, firstSeen, "Application Installed"));
            for (int o = 0; o < orders; o++)
            {
                var at = lastSeen.AddDays(-7 * o);
                messages.Add(Message(userId, EventKind.Track, at, "Order Completed",
                    numbers: new() { ["revenue"] = 20 + random.Next(200) }, category: Categories[random.Next(Categories.Length)]));
            }

            messages.Add(Message(userId, EventKind.Track, lastSeen, "Application Opened"));
        }

        return messages;
    }

    /// <summary>A made-up push token: 64 hex characters for iOS, a longer FCM-like token for Android.</summary>
    private static string DemoToken(int user) =>
        user % 2 == 0 ? Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(BitConverter.GetBytes(user))) : $"demo-fcm-token-{user:000}:{new string('x', 120)}";

    private ParsedMessage LiveEvent(Random random, ref long sequence)
    {
        // Why: only users 2, 3 and 5 mod 6 act live, so the "about to" cohorts change stage by time alone.
        int[] cohorts = [2, 3, 5, 4];
        int cohort = cohorts[random.Next(cohorts.Length)];
        int u = cohort + 6 * random.Next(Users / 6);
        string userId = $"demo-user-{u:000}";
        var now = time.GetUtcNow().UtcDateTime;
        sequence++;
        return random.Next(10) switch
        {
            < 5 => Message(userId, EventKind.Track, now, "Product Viewed", category: Categories[random.Next(Categories.Length)]),
            < 6 => Message(userId, EventKind.Track, now, "Order Completed",
                numbers: new() { ["revenue"] = 10 + random.Next(300) }, category: Categories[random.Next(Categories.Length)]),
            < 8 => Message(userId, EventKind.Screen, now, "Home"),
            _ => Message(userId, EventKind.Track, now, "Application Opened"),
        };
    }

    private static ParsedMessage Message(string userId, EventKind kind, DateTime at, string? name,
        Dictionary<string, double>? numbers = null, string? category = null,
        Dictionary<string, TraitValue>? traits = null, string? city = null) =>
        new(new UserRef(userId, false), new UserEvent(kind, Guid.NewGuid().ToString("N"), at)
        {
            Name = name,
            Numbers = numbers,
            Categories = category is null ? null : [category],
            Traits = traits,
            Location = city is null ? null : city == "Berlin"
                ? new GeoPoint(52.5219, 13.4132, city, "DE")
                : new GeoPoint(48 + city.Length, 2 + city.Length, city, "EU"),
        });

    private async Task ReportStages(string appId)
    {
        var counts = new Dictionary<string, int>();
        for (int u = 0; u < Users; u++)
        {
            var view = await grains.GetGrain<IUserGrain>(UserKey.Known(appId, $"demo-user-{u:000}").GrainKey).GetProfile();
            string stage = view?.Lifecycle.Stage ?? "unknown";
            counts[stage] = counts.GetValueOrDefault(stage) + 1;
        }

        LogStages(string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}")));

        var snapshot = await grains.GetGrain<ISegmentCatalogGrain>(appId).GetSnapshot();
        var sizes = new List<string>();
        foreach (var segment in snapshot.Segments.OrderBy(s => s.Id, StringComparer.Ordinal))
        {
            var shards = await Task.WhenAll(Enumerable.Range(0, SegmentIndexGrain.Shards)
                .Select(shard => grains.GetGrain<ISegmentIndexGrain>(SegmentIndexGrain.Key(appId, segment.Id, shard)).Count()));
            sizes.Add($"{segment.Id}={shards.Sum()}");
        }

        LogSegments(string.Join(", ", sizes));
    }

    [LoggerMessage(EventId = 500, Level = LogLevel.Warning, Message = "DEMO: seeded {Users} synthetic users into app {AppId}; look one up in the console (Users, demo-user-000) or GET /v1/users/demo-user-000 with the admin key")]
    private partial void LogSeeded(int users, string appId);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "DEMO: the onboarding journey is live in app {AppId} (its days are minutes here); follow it in the console under Journeys, or GET /v1/journeys/onboarding/stats")]
    private partial void LogJourney(string appId);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "DEMO: segment sizes now {Sizes}")]
    private partial void LogSegments(string sizes);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "DEMO: lifecycle stages now {Stages}")]
    private partial void LogStages(string stages);
}
