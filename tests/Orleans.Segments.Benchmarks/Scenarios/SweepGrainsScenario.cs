using System.Diagnostics;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Users;
using Orleans.Segments.Wakeups;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>sweep</c> part (ii), through grains: N occasional users fall silent so that each becomes at risk within a
/// few minutes of time T, and book their wake-ups into the bucket grains. Every grain is then deactivated (a
/// silent user's grain is not resident), the grains' clock is moved past the last bucket, and the dispatcher's
/// <c>Tick()</c> is timed: it fires each bucket's shards, which activate, wake (Advance, persist, book the next
/// change) and persist each user. Each round uses a fresh silo.
/// </summary>
public static class SweepGrainsScenario
{
    public const string Name = "sweep-grains";

    public sealed record Settings(int Users, int Rounds, int SpreadMinutes, int Concurrency)
    {
        public static Settings From(BenchArgs args) =>
            new(args.Int("grain-users", 50_000), args.Int("rounds", 5), args.Int("spread-minutes", 10), args.Int("concurrency", 32));
    }

    public static async Task<Stats> RunAsync(Settings s)
    {
        Report.Info(Name, $"{s.Users:N0} silent users due within {s.SpreadMinutes} one-minute buckets, {s.Rounds} rounds (fresh silo each)");
        // Why: round 0 (a tenth of the users, not counted) lets tiered JIT settle; otherwise round 1 measures the JIT.
        var rates = new List<double>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            var (woken, elapsed) = await RunRound(round == 0 ? s with { Users = Math.Max(1, s.Users / 10) } : s);
            double rate = woken / elapsed.TotalSeconds;
            if (round > 0) rates.Add(rate);
            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}Tick() woke {woken:N0} users in {elapsed.TotalSeconds:0.00} s = {rate:N0} users/s");
        }

        var stats = Stats.Of(rates);
        Report.Result(Name, "users woken by Tick()", stats, "users/s");
        Report.Derived(Name, $"EXTRAPOLATION to 1,000,000 silent users due at once: {1e6 / stats.Median:N0} s at the median rate " +
            $"({1e6 / stats.Max:N0}-{1e6 / stats.Min:N0} s over the rounds), one silo, in-memory storage");
        return stats;
    }

    private static async Task<(long Woken, TimeSpan Elapsed)> RunRound(Settings s)
    {
        // Why: midday, so that no session straddles two UTC days.
        var t = DateTime.UtcNow.Date.AddHours(12);
        var clock = new ManualClock(t);
        await using var silo = await BenchSilo.StartAsync(clock, new Dictionary<string, string?>
        {
            // Why: only the benchmark's own Tick() may sweep, so that it is the call being timed.
            ["Segments:Wakeups:TickInterval"] = "01:00:00",
        });

        // The dispatcher started at T. The users spoke last a week before their due time and are ingested then.
        var atRisk = UserModelPolicy.Default.Lifecycle.AtRiskAfter;
        clock.Set(t - atRisk + TimeSpan.FromMinutes(s.SpreadMinutes + 2));
        var (_, ingestTime) = await Load.RunAsync(s.Users, s.Concurrency, null, async i =>
        {
            var lastSeen = t - atRisk + TimeSpan.FromMinutes(1 + i % s.SpreadMinutes) + TimeSpan.FromSeconds(i % 50);
            var events = UserHistory.Of(Persona.Of(i), lastSeen, UserShape.Occasional).SelectMany(session => session.Events).ToArray();
            var receipt = await silo.Grains.GetGrain<IUserGrain>(Key(i)).Ingest(events);
            if (receipt.Applied != events.Length) throw new InvalidOperationException($"User {i}: {receipt.Applied} of {events.Length} applied.");
        });

        await silo.DeactivateIdleAsync();
        int resident = await silo.ActivationCountAsync();
        Report.Info(Name, $"booked {s.Users:N0} users in {ingestTime.TotalSeconds:0.0} s; {resident} activations left after deactivation");

        clock.Set(t + TimeSpan.FromMinutes(s.SpreadMinutes + 3));
        var dispatcher = silo.Grains.GetGrain<IWakeupDispatcherGrain>(0);
        Heap.Settle();
        var gc = new GcWatch();
        long start = Stopwatch.GetTimestamp();
        long woken = await dispatcher.Tick();
        var elapsed = Stopwatch.GetElapsedTime(start);
        Report.Info(Name, "Tick(): " + gc.Describe(elapsed, woken, "user woken"));

        if (woken != s.Users) throw new InvalidOperationException($"Tick() woke {woken} users; {s.Users} were due.");
        foreach (int i in new[] { 0, s.Users / 2, s.Users - 1 })
        {
            var view = await silo.Grains.GetGrain<IUserGrain>(Key(i)).GetProfile();
            if (view?.Lifecycle.Stage != "at_risk") throw new InvalidOperationException($"User {i} is '{view?.Lifecycle.Stage}' after its wake, not at_risk.");
        }

        return (woken, elapsed);
    }

    private static string Key(int user) => UserKey.Known(Persona.AppId, Persona.UserIdOf(user)).GrainKey;
}
