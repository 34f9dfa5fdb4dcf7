using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
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

    /// <param name="Provider">
    /// <c>apns</c> (the figure): pushes go over TLS and HTTP/2 to the APNs stand-in, in this process.
    /// <c>apns-process</c>: the same stand-in in a process of its own on the same machine (APNs is never in the
    /// engine's process; this one shares the cores but not the heap). <c>log</c>: the app has no push
    /// credentials, so the embedded default's log sender takes each push; everything before the hand-over is the
    /// same, which shows what the engine costs without the HTTP/2 client and the stand-in on the same cores.
    /// </param>
    /// <param name="AllocationTypes">Prints the types the measured rounds allocate most (runtime sampling).</param>
    /// <param name="History">
    /// Users as a live app has them (<see cref="RealisticUser"/>): 60 days of events of 12 names, three devices (two
    /// iOS, one Android) and 20 earlier messages; false: a bare identify with one device, as before issue 13.
    /// </param>
    /// <param name="Webhook">The app streams every event type to a webhook (<see cref="WebhookSink"/>, on this machine) during the rounds.</param>
    public sealed record Settings(int Users, int Rounds, int Concurrency, string Provider, bool AllocationTypes = false, bool History = true, bool Webhook = false)
    {
        public static Settings From(BenchArgs args)
        {
            string provider = args.Text("provider") ?? "apns";
            if (provider is not ("apns" or "apns-process" or "log")) throw new ArgumentException("--provider is apns, apns-process or log");
            return new(args.Int("users", 100_000), args.Int("rounds", 3), args.Int("concurrency", 64), provider, args.Flag("allocation-types", false), args.Flag("history", true), args.Flag("webhook", false));
        }
    }

    public static async Task<Stats> RunAsync(Settings s)
    {
        if (s.Rounds is < 1 or > 9) throw new ArgumentException("1 to 9 rounds: with the warm-up round they stay within the 10-per-7-days cap.");
        using var certificate = TestCertificate.Create();
        var (teamKey, p8) = TestKeys.NewApnsKey();
        await using var inProcess = s.Provider == "apns" ? await ApnsStandIn.StartAsync(certificate, teamKey, KeyId, TeamId, Topic, TimeProvider.System, 1000, record: false) : null;
        await using var ownProcess = s.Provider == "apns-process" ? await ApnsStandInProcess.StartAsync(certificate, p8, KeyId, TeamId, Topic, 1000) : null;
        bool viaApns = s.Provider != "log";
        Uri? apnsAddress = inProcess?.BaseAddress ?? ownProcess?.BaseAddress;
        Func<Task<long>> accepted = inProcess is not null ? () => Task.FromResult(inProcess.Accepted)
            : ownProcess is not null ? ownProcess.AcceptedAsync
            : () => Task.FromResult(0L);
        var settings = new Dictionary<string, string?>
        {
            [$"Segments:Apps:{App}:WriteKey"] = "wk_bench_broadcast_0001",
            [$"Segments:Apps:{App}:QuietHours:Enabled"] = "false",
            [$"Segments:Apps:{App}:Caps:HighPriorityReserve"] = "0",

            // Why: the warm-up round and every measured round each take one slot of the 24-hour cap, which
            // allows exactly that many; the 7-day cap stays the default's.
            [$"Segments:Apps:{App}:Caps:Marketing:0:Limit"] = (s.Rounds + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"Segments:Apps:{App}:Caps:Marketing:0:Window"] = "1.00:00:00",
            [$"Segments:Apps:{App}:Caps:Marketing:1:Limit"] = "10",
            [$"Segments:Apps:{App}:Caps:Marketing:1:Window"] = "7.00:00:00",
            [$"Segments:Apps:{App}:Campaigns:ThrottlePerMinute"] = "100000000",
        };
        if (viaApns)
        {
            settings[$"Segments:Apps:{App}:Push:Apns:KeyId"] = KeyId;
            settings[$"Segments:Apps:{App}:Push:Apns:TeamId"] = TeamId;
            settings[$"Segments:Apps:{App}:Push:Apns:BundleId"] = Topic;
            settings[$"Segments:Apps:{App}:Push:Apns:PrivateKey"] = p8;
            settings[$"Segments:Apps:{App}:Push:Apns:BaseAddress"] = apnsAddress!.ToString();
        }

        await using var silo = await BenchSilo.StartAsync(settings: settings, services: services =>
            services.Configure<PushTransportOptions>(o => o.ConfigureHandler = handler => TestCertificate.Trust(handler, certificate)));
        var grains = silo.Grains;

        Report.Info(Name, $"{s.Users:N0} users, {s.Rounds} rounds, provider {s.Provider} (one occurrence each), {s.Concurrency} seeding calls in flight{(apnsAddress is null ? "" : $"; APNs stand-in at {apnsAddress}")}");
        await grains.GetGrain<ISegmentCatalogGrain>(App).PutSegment(new SegmentDefinition("reachable", "Reachable", "has_push_token and subscribed(\"marketing\")"));
        var seeding = Stopwatch.StartNew();
        if (s.History) await SeedRealistic(grains, s.Users, s.Concurrency);
        else await Seed(grains, s.Users, s.Concurrency);
        Report.Info(Name, $"seeded {s.Users:N0} reachable users{(s.History ? $" with 60 days of events, 3 devices and {RealisticUser.Messages} earlier messages each" : " (identify and one device each)")} in {seeding.Elapsed.TotalSeconds:N1} s ({s.Users / seeding.Elapsed.TotalSeconds:N0} users/s)");

        // Why: with history a user has two iOS devices (APNs) and one Android (no FCM credentials: the log sender).
        int apnsPerUser = s.History ? 2 : 1;

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

        await using var sink = s.Webhook ? await WebhookSink.StartAsync(grains, App) : null;
        if (sink is not null) Report.Info(Name, "every event type streams to a webhook on this machine (answering 200) during the rounds");
        using var sampler = s.AllocationTypes ? new AllocationSampler() : null;
        var seconds = new List<double>();
        var rates = new List<double>();
        // Why: the first occurrence after seeding runs on cold code and opens the HTTP/2 connections; it is
        // sent and checked like the others, but not counted in the figure.
        for (int round = 0; round <= s.Rounds; round++)
        {
            long before = viaApns ? await accepted() : (await campaign.GetStats()).Total().Sent;
            if (round == 1) sampler?.Start();
            var gc = new GcWatch();
            var clock = Stopwatch.StartNew();
            var started = await campaign.SendNow();
            if (started.Status != CampaignCommandStatus.Ok) throw new InvalidOperationException(string.Join("; ", started.Errors));
            // Why: ticking the campaign here (as its own timer also does) drives the walk without waiting on a
            // timer period, so the figure is the engine's pace; each tick offers pages for up to half a second.
            while ((await campaign.Get())!.Broadcast is not null) await campaign.Tick();

            double elapsed = clock.Elapsed.TotalSeconds;
            long pushed = (viaApns ? await accepted() : (await campaign.GetStats()).Total().Sent) - before;
            long expectedPushes = viaApns ? (long)s.Users * apnsPerUser : s.Users;
            if (pushed != expectedPushes) throw new InvalidOperationException($"round {round}: {(viaApns ? "the stand-in accepted" : "the campaign counts")} {pushed:N0} pushes for {s.Users:N0} users, expected {expectedPushes:N0}");
            pushed = s.Users;
            if (round == 0)
            {
                Report.Info(Name, $"warm-up: {pushed:N0} pushes in {elapsed:N1} s ({pushed / elapsed:N0}/s), not counted");
                continue;
            }

            seconds.Add(elapsed);
            rates.Add(pushed / elapsed);
            string streamed = sink is null ? "" : $"; {sink.Events:N0} events at the webhook so far";
            Report.Round(Name, round, s.Rounds, $"{pushed:N0} pushes in {elapsed:N1} s ({pushed / elapsed:N0}/s); {gc.Describe(clock.Elapsed, pushed, "push")}{streamed}");
        }

        sampler?.Stop();
        if (sampler is not null) Report.Info(Name, "allocated in the measured rounds, by type:\n    " + string.Join("\n    ", sampler.Top(25)));

        // Why: proof that the caps were checked, not just configured: every slot of the 24-hour cap is used, so
        // one more occurrence must reach nobody and be counted as capped for every user.
        long acceptedBeforeCapped = await accepted();
        long sentBeforeCapped = (await campaign.GetStats()).Total().Sent;
        await campaign.SendNow();
        while ((await campaign.Get())!.Broadcast is not null) await campaign.Tick();
        var afterCapped = (await campaign.GetStats()).Total();
        if (afterCapped.Sent != sentBeforeCapped || await accepted() != acceptedBeforeCapped || afterCapped.Suppressed.GetValueOrDefault(SuppressionReason.Capped.Wire()) != s.Users)
        {
            throw new InvalidOperationException($"an occurrence past the cap sent {afterCapped.Sent - sentBeforeCapped:N0} and counted {afterCapped.Suppressed.GetValueOrDefault(SuppressionReason.Capped.Wire()):N0} capped of {s.Users:N0} users");
        }

        Report.Info(Name, $"one more occurrence past the 24-hour cap: {s.Users:N0} users capped, none sent");

        var stats = (await campaign.GetStats()).Total();
        long expected = (long)s.Users * (s.Rounds + 1);
        if (stats.Sent != expected) throw new InvalidOperationException($"statistics count {stats.Sent:N0} sent, expected {expected:N0}");
        Report.Info(Name, $"statistics: targeted {stats.Targeted:N0}, sent {stats.Sent:N0}, suppressed {stats.SuppressedTotal:N0}, failed {stats.FailedTotal:N0}");
        if (sink is not null)
        {
            // Why: each push is one message.sent (and each capped user one message.suppressed), in every round.
            long exported = (long)s.Users * (s.Rounds + 2);
            var drained = await sink.DrainedAsync(exported, TimeSpan.FromMinutes(2));
            Report.Info(Name, drained is { } took
                ? $"the webhook got all {exported:N0} message events ({sink.Requests:N0} requests), the last {took.TotalSeconds:N1} s after the capped occurrence ended"
                : $"the webhook got {sink.Events:N0} of {exported:N0} message events within 2 minutes");
        }

        var rate = Stats.Of(rates);
        Report.Result(Name, $"broadcast to {s.Users:N0} users with caps checked{(s.Webhook ? ", streaming to a webhook" : "")}, pushes to {s.Provider switch { "apns" => "the APNs stand-in", "apns-process" => "the APNs stand-in in its own process", _ => "the log sender" }}", rate, "pushes/s", Target.AtLeast(50_000, "pushes/s"));
        Report.Derived(Name, $"a 1,000,000-user broadcast at the median rate takes {1_000_000 / rate.Median:N0} s (target <= 20 s)");
        return rate;
    }

    private static Task SeedRealistic(IGrainFactory grains, int users, int concurrency) =>
        Load.RunAsync(users, concurrency, null, n =>
            RealisticUser.SeedAsync(grains.GetGrain<IUserGrain>(UserKey.Known(App, $"user-{n:D7}").GrainKey), n, DateTime.UtcNow.AddHours(-1 - n % 48)));

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
