using System.Diagnostics;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Journeys;
using Orleans.Segments.Users;
using Orleans.Segments.Wakeups;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>journeys</c>: (i) realistic users through a 3-step journey (message, a day's wait, message, exit) in an in-process
/// silo whose grains see a manual clock: users entering per second (the entry event ingested, until every first
/// message is handed over), then the clock moved a day on and the wake-up dispatcher's <c>Tick()</c> timed until
/// every user has left: steps per second. Each round launches a new journey for the same users. (ii) The per-event
/// cost of live journeys: the <c>grain-path</c> rounds with none and with 20, alternated.
/// </summary>
public static class JourneysScenario
{
    public const string Name = "journeys";

    /// <param name="Steps">Step executions per user in the wake-up phase: the wait's end, the second message, the exit.</param>
    /// <param name="Walk">Whether to run part (i); false runs only the per-event part.</param>
    public sealed record Settings(int Users, int Rounds, int Concurrency, int Pairs, GrainPathScenario.Settings PerEvent, bool Walk = true)
    {
        public const int Steps = 3;

        public static Settings From(BenchArgs args)
        {
            int perEventUsers = args.Int("per-event-users", 10_000);
            var perEvent = GrainPathScenario.Settings.From(args) with
            {
                Users = perEventUsers,
                Shape = new BatchShape(perEventUsers, args.Int("users-per-batch", 20), args.Int("events-per-user", 5), args.Flag("anonymous-ids", true)),
                Rounds = args.Int("per-event-rounds", 3),
                EventsPerRound = args.Int("events", 100_000),
            };
            return new Settings(args.Int("users", 100_000), args.Int("rounds", 3), args.Int("concurrency", 32), args.Int("pairs", 2), perEvent, args.Flag("walk", true));
        }
    }

    public static async Task RunAsync(Settings s)
    {
        if (s.Walk) await WalkAsync(s);
        if (s.Pairs == 0) return;

        var none = new List<double>();
        var twenty = new List<double>();
        var silent = new List<double>();
        for (int pair = 0; pair < s.Pairs; pair++)
        {
            none.Add((await GrainPathScenario.RunAsync(s.PerEvent with { Journeys = 0 })).Median);
            twenty.Add((await GrainPathScenario.RunAsync(s.PerEvent with { Journeys = 20 })).Median);
            silent.Add((await GrainPathScenario.RunAsync(s.PerEvent with { Journeys = 20, JourneyMessages = false })).Median);
        }

        var withNone = Stats.Of(none);
        var withTwenty = Stats.Of(twenty);
        var withSilent = Stats.Of(silent);
        Report.Result(Name, "ingest, no journeys (median of each run's median)", withNone, "events/s");
        Report.Result(Name, "ingest, 20 live journeys (median of each run's median)", withTwenty, "events/s");
        Report.Result(Name, "ingest, 20 live journeys without messages (median of each run's median)", withSilent, "events/s");
        Report.Derived(Name, $"20 live journeys cost {1e6 / withTwenty.Median - 1e6 / withNone.Median:0.0} µs per event over none " +
            $"({withTwenty.Median / withNone.Median:P0} of the rate without); without their messages {1e6 / withSilent.Median - 1e6 / withNone.Median:0.0} µs " +
            $"({withSilent.Median / withNone.Median:P0}); runs alternated");
    }

    private static async Task WalkAsync(Settings s)
    {
        Report.Info(Name, $"{s.Users:N0} realistic users, {s.Rounds} rounds each with a new 3-step journey (message, wait 1 day, message, exit), {s.Concurrency} calls in flight");

        // Why: midday, so that no wait ends at another day's quiet hours and no session straddles two UTC days.
        var start = DateTime.UtcNow.Date.AddHours(12);
        var clock = new ManualClock(start);
        await using var silo = await BenchSilo.StartAsync(clock, new Dictionary<string, string?>
        {
            // Why: only the benchmark's own Tick() may sweep, so that it is the call being timed.
            ["Segments:Wakeups:TickInterval"] = "01:00:00",
        });

        var (_, seeding) = await Load.RunAsync(s.Users, s.Concurrency, null, n =>
            RealisticUser.SeedAsync(User(silo, n), n, start.AddHours(-1 - n % 48)));
        Report.Info(Name, $"gave every user 60 days of events of 12 names, 3 devices and {RealisticUser.Messages} earlier messages in {seeding.TotalSeconds:0.0} s");

        var entering = new List<double>();
        var stepping = new List<double>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            // Why: round 0 (a tenth of the users, not counted) lets tiered JIT settle.
            int users = round == 0 ? Math.Max(1, s.Users / 10) : s.Users;
            string entry = $"Series {round} Started";
            var journey = await JourneyWorkload.LaunchAsync(silo.Grains, Persona.AppId, JourneyWorkload.ThreeSteps($"series-{round}", entry));
            var now = clock.UtcNow;
            Heap.Settle();

            var gc = new GcWatch();
            long began = Stopwatch.GetTimestamp();
            await Load.RunAsync(users, s.Concurrency, null, async n =>
            {
                var receipt = await User(silo, n).Ingest([new UserEvent(EventKind.Track, $"series-{round}-{n}", now) { Name = entry }]);
                if (receipt.Applied != 1) throw new InvalidOperationException($"user {n}: the entry event was not applied");
            });
            var acknowledged = Stopwatch.GetElapsedTime(began);
            await UntilAsync(journey, counts => counts.GetValueOrDefault("1:hello")?.Sent ?? 0, users, "first messages sent");
            var entered = Stopwatch.GetElapsedTime(began);
            string enterGc = gc.Describe(entered, users, "user");

            clock.Set(clock.UtcNow + TimeSpan.FromDays(1) + TimeSpan.FromMinutes(2));
            Heap.Settle();
            gc = new GcWatch();
            began = Stopwatch.GetTimestamp();
            long woken = await silo.Grains.GetGrain<IWakeupDispatcherGrain>(0).Tick();
            await UntilAsync(journey, counts => counts.GetValueOrDefault("1:end")?.Exited.GetValueOrDefault(JourneyMachine.Completed) ?? 0, users, "users completed");
            var walked = Stopwatch.GetElapsedTime(began);
            var counts = (await journey.GetStats()).Counts.Variants;
            if (counts["1:follow-up"].Sent != users) throw new InvalidOperationException($"{counts["1:follow-up"].Sent} second messages sent; {users} users walked");
            if (woken < users) throw new InvalidOperationException($"Tick() woke {woken} users; {users} were waiting");

            double enterRate = users / entered.TotalSeconds;
            double stepRate = users * Settings.Steps / walked.TotalSeconds;
            if (round > 0)
            {
                entering.Add(enterRate);
                stepping.Add(stepRate);
            }

            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}{users:N0} users entered in {entered.TotalSeconds:0.00} s " +
                $"(events acknowledged in {acknowledged.TotalSeconds:0.00} s) = {enterRate:N0} users/s; {enterGc}; a day later {users * Settings.Steps:N0} steps " +
                $"(wait end, message, exit) in {walked.TotalSeconds:0.00} s = {stepRate:N0} steps/s ({users / walked.TotalSeconds:N0} users/s); {gc.Describe(walked, users, "user")}");
        }

        Report.Result(Name, "users entering a journey (entry event to first message handed over)", Stats.Of(entering), "users/s");
        Report.Result(Name, "steps executed after a day's wait (Tick() to every user out)", Stats.Of(stepping), "steps/s");
    }

    /// <summary>Polls the journey's counts until <paramref name="count"/> reaches <paramref name="expected"/>; fails after a minute without progress.</summary>
    private static async Task UntilAsync(IJourneyGrain journey, Func<Dictionary<string, Domain.Campaigns.VariantStats>, long> count, long expected, string what)
    {
        long last = -1;
        var progressAt = Stopwatch.GetTimestamp();
        while (true)
        {
            long now = count((await journey.GetStats()).Counts.Variants);
            if (now >= expected) return;
            if (now != last)
            {
                last = now;
                progressAt = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(progressAt) > TimeSpan.FromMinutes(1))
            {
                throw new InvalidOperationException($"{now:N0} of {expected:N0} {what}, and no progress for a minute");
            }

            // Why: a poll of the journey's counts (8 shards); real time passes while the grains work.
            await Task.Delay(20);
        }
    }

    private static IUserGrain User(BenchSilo silo, int n) => silo.Grains.GetGrain<IUserGrain>(UserKey.Known(Persona.AppId, Persona.UserIdOf(n)).GrainKey);
}
