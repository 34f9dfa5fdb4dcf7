using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Production;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>console</c>: how fast the console's pages answer for a realistic app: 100,000 users with 60 days of history
/// (sessions, orders, devices, places), the 100 typical segments, and campaigns with statistics, on the embedded
/// default (one silo, in memory), over HTTP with a signed-in session. Each page is requested one at a time, as a
/// manager's browser does; beside them the same HTTP stack serving a static asset (no grain call) is the floor.
/// </summary>
public static partial class ConsoleScenario
{
    public const string Name = "console";
    private const string App = "bench";

    public sealed record Settings(int Users, int Requests, int Concurrency)
    {
        public static Settings From(BenchArgs args) => new(args.Int("users", 100_000), args.Int("requests", 40), args.Int("concurrency", 32));
    }

    public static async Task<Dictionary<string, Stats>> RunAsync(Settings s)
    {
        await using var server = await BenchmarkServer.StartAsync($"bench-console-{Guid.NewGuid():N}", [$"--Segments:Apps:{App}:QuietHours:Enabled=false"]);
        var grains = server.Grains;
        var catalog = grains.GetGrain<ISegmentCatalogGrain>(App);
        foreach (var fence in TypicalSegments.Fences) await catalog.PutGeofence(fence);
        foreach (var segment in TypicalSegments.Definitions) await catalog.PutSegment(segment);

        var seeding = Stopwatch.StartNew();
        var lastSeen = DateTime.UtcNow.AddHours(-2);
        var (_, ingest) = await Load.RunAsync(s.Users, s.Concurrency, null, async i =>
        {
            var shape = i % 3 == 0 ? UserShape.Regular : UserShape.Occasional;
            var events = UserHistory.Of(Persona.Of(i), lastSeen.AddMinutes(-(i % 10_000)), shape).SelectMany(session => session.Events).ToArray();
            var user = grains.GetGrain<IUserGrain>(UserKey.Known(App, Persona.UserIdOf(i)).GrainKey);
            var receipt = await user.Ingest(events);
            if (receipt.Applied != events.Length) throw new InvalidOperationException($"user {i}: {receipt.Applied} of {events.Length} events applied");
            if (i % 2 == 0) await user.SetSubscriptions(true, true);
        });
        await catalog.GetSnapshot();
        Report.Info(Name, $"seeded {s.Users:N0} users with histories in {ingest.TotalSeconds:N0} s; {TypicalSegments.Definitions.Count} segments, {TypicalSegments.Fences.Count} geofences");

        // Campaigns with statistics: a broadcast to a large segment (log sender), and event-triggered ones.
        string biggest = await BiggestSegmentAsync(server);
        var broadcast = grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(App, "weekly"));
        await broadcast.Put(new CampaignDefinition("weekly", "Weekly digest", MessageCategory.Marketing,
            new CampaignMessage("Your week, {{ traits.first_name | default: \"there\" }}", "Top picks for you"), new CampaignTrigger(TriggerKind.Manual))
        {
            AudienceSegment = biggest,
            HoldoutPercent = 10,
            Variants = [new VariantMessage("a", 50, new CampaignMessage("A", "a")), new VariantMessage("b", 50, new CampaignMessage("B", "b"))],
            ConversionEvent = "Order Completed",
            ThrottlePerMinute = 100_000_000,
        });
        await broadcast.Launch();
        await broadcast.SendNow();
        while ((await broadcast.Get())!.Broadcast is not null) await broadcast.Tick();
        for (int c = 0; c < 9; c++)
        {
            var campaign = grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(App, $"trigger-{c}"));
            await campaign.Put(new CampaignDefinition($"trigger-{c}", $"Trigger {c}", MessageCategory.Marketing, new CampaignMessage("Hi", "There"), new CampaignTrigger(TriggerKind.Event) { Event = $"Event {c}" })
            {
                AudienceSegment = TypicalSegments.Definitions[c * 10].Id,
            });
            await campaign.Launch();
        }

        var stats = (await broadcast.GetStats()).Total();
        Report.Info(Name, $"broadcast to segment {biggest}: targeted {stats.Targeted:N0}, sent {stats.Sent:N0}; seeding took {seeding.Elapsed.TotalSeconds:N0} s in all");

        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        string token = TokenPattern().Match(await http.GetStringAsync("/console/login")).Groups[1].Value;
        using (var signIn = await http.PostAsync("/console/login", new FormUrlEncodedContent([new("key", BenchmarkServer.AdminKey), new("__RequestVerificationToken", token)])))
        {
            if (signIn.StatusCode != HttpStatusCode.Redirect) throw new InvalidOperationException($"sign-in answered {(int)signIn.StatusCode}");
        }

        string member = Persona.UserIdOf(0);
        (string Name, string Path)[] pages =
        [
            ("static asset (floor)", "/console/assets/console.css"),
            ("overview", "/console"),
            ("overview refresh", "/console?handler=live"),
            ("segments", "/console/segments"),
            ("segment with members", $"/console/segments/{biggest}"),
            ("user with 100 explanations", $"/console/users/{member}"),
            ("campaigns", "/console/campaigns"),
            ("campaign report", "/console/campaigns/weekly"),
            ("campaign composer", "/console/campaigns/edit/weekly"),
            ("geofences", "/console/geofences"),
            ("settings", "/console/settings"),
        ];

        var results = new Dictionary<string, Stats>();
        foreach (var (name, path) in pages)
        {
            var times = new List<double>();
            for (int i = -5; i < s.Requests; i++)
            {
                var clock = Stopwatch.StartNew();
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                double ms = clock.Elapsed.TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"GET {path} answered {(int)response.StatusCode}");
                if (i >= 0) times.Add(ms);
            }

            var sorted = times.Order().ToArray();
            var stat = Stats.Of(sorted);
            results[name] = stat;
            Report.Result(Name, $"GET {path} ({name}), {s.Users:N0} users", stat, "ms", path.Contains("/assets/", StringComparison.Ordinal) ? null : Target.AtMost(200, "ms"), $"{times.Count} requests; p95 {Stats.Percentile(sorted, 95):N1} ms");
        }

        return results;
    }

    private static async Task<string> BiggestSegmentAsync(BenchmarkServer server) =>
        (await server.Services.GetRequiredService<Orleans.Segments.Server.Application.SegmentService>().ListAsync(App)).MaxBy(x => x.Size)!.Id;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
