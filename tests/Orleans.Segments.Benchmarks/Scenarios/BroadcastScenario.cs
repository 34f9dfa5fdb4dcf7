using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Push.Hosting;
using Orleans.Segments.Push.StandIns;
using Orleans.Segments.Segments;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>broadcast</c>: a manual campaign to a segment of every user, on the embedded default's shape (one silo,
/// in-memory storage) with APNs credentials pointing at the local APNs stand-in over TLS and HTTP/2. Every
/// user passes the full decision (consent, device, caps, quiet hours) and its reservation is persisted before
/// the push; each round is a new occurrence, so caps are counted for real (the default 3 per 24 hours holds
/// three rounds). Reports the time from "send now" to the last push, and pushes per second.
/// </summary>
public static class BroadcastScenario
{
    public const string Name = "broadcast";
    private const string App = "bench";
    private const string KeyId = "ABC123DEFG";
    private const string TeamId = "DEF123GHIJ";
    private const string Topic = "com.example.shop";

    public sealed record Settings(int Users, int Rounds, int Concurrency)
    {
        public static Settings From(BenchArgs args) => new(args.Int("users", 100_000), args.Int("rounds", 3), args.Int("concurrency", 64));
    }

    public static async Task<Stats> RunAsync(Settings s)
    {
        if (s.Rounds > 3) throw new ArgumentException("At most 3 rounds: the default cap allows 3 marketing pushes per user per 24 hours.");
        using var certificate = TestCertificate.Create();
        var (teamKey, p8) = TestKeys.NewApnsKey();
        await using var apns = await ApnsStandIn.StartAsync(certificate, teamKey, KeyId, TeamId, Topic, TimeProvider.System, 1000, record: false);
        var settings = new Dictionary<string, string?>
        {
            [$"Segments:Apps:{App}:WriteKey"] = "wk_bench_broadcast_0001",
            [$"Segments:Apps:{App}:Push:Apns:KeyId"] = KeyId,
            [$"Segments:Apps:{App}:Push:Apns:TeamId"] = TeamId,
            [$"Segments:Apps:{App}:Push:Apns:BundleId"] = Topic,
            [$"Segments:Apps:{App}:Push:Apns:PrivateKey"] = p8,
            [$"Segments:Apps:{App}:Push:Apns:BaseAddress"] = apns.BaseAddress.ToString(),
            [$"Segments:Apps:{App}:QuietHours:Enabled"] = "false",
            [$"Segments:Apps:{App}:Caps:HighPriorityReserve"] = "0",
            [$"Segments:Apps:{App}:Campaigns:ThrottlePerMinute"] = "100000000",
        };
        await using var silo = await BenchSilo.StartAsync(settings: settings, services: services =>
            services.Configure<PushTransportOptions>(o => o.ConfigureHandler = handler => TestCertificate.Trust(handler, certificate)));
        var grains = silo.Grains;

        Report.Info(Name, $"{s.Users:N0} users, {s.Rounds} rounds (one occurrence each), {s.Concurrency} seeding calls in flight; APNs stand-in at {apns.BaseAddress}");
        await grains.GetGrain<ISegmentCatalogGrain>(App).PutSegment(new SegmentDefinition("reachable", "Reachable", "has_push_token and subscribed(\"marketing\")"));
        var seeding = Stopwatch.StartNew();
        await Seed(grains, s.Users, s.Concurrency);
        Report.Info(Name, $"seeded {s.Users:N0} reachable users in {seeding.Elapsed.TotalSeconds:N1} s ({s.Users / seeding.Elapsed.TotalSeconds:N0} users/s)");

        var campaign = grains.GetGrain<ICampaignGrain>(CampaignGrain.Key(App, "blast"));
        var definition = new CampaignDefinition("blast", "Blast", MessageCategory.Marketing,
            new CampaignMessage("Hi {{ traits.first_name | default: \"there\" }}", "Our spring sale starts now"), new CampaignTrigger(TriggerKind.Manual))
        {
            AudienceSegment = "reachable",
            ThrottlePerMinute = 100_000_000,
        };
        var put = await campaign.Put(definition);
        if (put.Status is not (CampaignCommandStatus.Created or CampaignCommandStatus.Ok)) throw new InvalidOperationException(string.Join("; ", put.Errors));
        await campaign.Launch();

        var seconds = new List<double>();
        var rates = new List<double>();
        for (int round = 1; round <= s.Rounds; round++)
        {
            long acceptedBefore = apns.Accepted;
            var clock = Stopwatch.StartNew();
            var started = await campaign.SendNow();
            if (started.Status != CampaignCommandStatus.Ok) throw new InvalidOperationException(string.Join("; ", started.Errors));
            // Why: ticking the campaign here (as its own timer also does) drives the walk without waiting on a
            // timer period, so the figure is the engine's pace; each tick offers pages for up to half a second.
            while ((await campaign.Get())!.Broadcast is not null) await campaign.Tick();

            double elapsed = clock.Elapsed.TotalSeconds;
            long pushed = apns.Accepted - acceptedBefore;
            if (pushed != s.Users) throw new InvalidOperationException($"round {round}: the stand-in accepted {pushed:N0} pushes for {s.Users:N0} users");
            seconds.Add(elapsed);
            rates.Add(pushed / elapsed);
            Report.Round(Name, round, s.Rounds, $"{pushed:N0} pushes in {elapsed:N1} s ({pushed / elapsed:N0}/s)");
        }

        var stats = (await campaign.GetStats()).Total();
        if (stats.Sent != (long)s.Users * s.Rounds) throw new InvalidOperationException($"statistics count {stats.Sent:N0} sent, expected {(long)s.Users * s.Rounds:N0}");
        Report.Info(Name, $"statistics: targeted {stats.Targeted:N0}, sent {stats.Sent:N0}, suppressed {stats.SuppressedTotal:N0}, failed {stats.FailedTotal:N0}");
        var rate = Stats.Of(rates);
        Report.Result(Name, $"broadcast to {s.Users:N0} users with caps checked", rate, "pushes/s", Target.AtLeast(50_000, "pushes/s"));
        Report.Derived(Name, $"a 1,000,000-user broadcast at the median rate takes {1_000_000 / rate.Median:N0} s (target <= 20 s)");
        return rate;
    }

    private static async Task Seed(IGrainFactory grains, int users, int concurrency)
    {
        var now = DateTime.UtcNow;
        using var gate = new SemaphoreSlim(concurrency);
        var tasks = new List<Task>(users);
        for (int i = 0; i < users; i++)
        {
            await gate.WaitAsync();
            int n = i;
            tasks.Add(Task.Run(async () =>
            {
                try
                {
                    var user = grains.GetGrain<IUserGrain>(UserKey.Known(App, $"user-{n:D7}").GrainKey);
                    var token = new DeviceToken(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)), PushPlatform.Ios);
                    await user.Ingest([new UserEvent(EventKind.Identify, $"seed-{n}", now)
                    {
                        Traits = new() { ["first_name"] = TraitValue.Of(n % 2 == 0 ? "Ada" : "Grace", now) },
                        Device = token,
                    }]);
                    await user.SetSubscriptions(true, true);
                }
                finally
                {
                    gate.Release();
                }
            }));
        }

        await Task.WhenAll(tasks);
    }
}
