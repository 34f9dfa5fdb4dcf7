using System.Diagnostics;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>sweep</c> part (i), pure domain: the CPU cost of the time-driven lifecycle sweep for silent users, i.e.
/// what <c>UserGrain.Wake</c> computes per user: <c>ProfileUpdater.Advance</c> to 30 s after the user's due change
/// and <c>NextTimeDrivenChange</c> for its next booking. Half the users are due to become at risk, half to lapse.
/// Each wake is checked: exactly the expected stage afterwards, and a next change booked by at-risk users.
/// </summary>
/// <remarks>
/// Holding a million profiles would measure the allocator, so a pool of distinct profiles is swept over and over,
/// its lifecycle restored (untimed) between passes; only the sweep loop is timed.
/// </remarks>
public static class SweepDomainScenario
{
    public const string Name = "sweep-domain";

    public sealed record Settings(int Users, int Distinct, int Rounds)
    {
        public static Settings From(BenchArgs args) =>
            new(args.Int("users", 1_000_000), args.Int("distinct", 10_000), args.Int("rounds", 5));
    }

    public static Stats Run(Settings s)
    {
        var policy = UserModelPolicy.Default;
        var pool = Build(s.Distinct, policy);
        int passes = (int)Math.Ceiling((double)s.Users / pool.Length);
        long swept = (long)passes * pool.Length;
        Report.Info(Name, $"{pool.Length:N0} distinct silent users swept {passes} times = {swept:N0} user wake-ups per round, {s.Rounds} rounds");

        // Warm-up (not timed): one pass, so the rounds run tiered-up code.
        foreach (var user in pool)
        {
            ProfileUpdater.Advance(user.State, user.WakeAt, policy);
            ProfileUpdater.NextTimeDrivenChange(user.State, user.WakeAt, policy);
        }

        var nanosPerUser = new List<double>();
        for (int round = 1; round <= s.Rounds; round++)
        {
            var elapsed = TimeSpan.Zero;
            long booked = 0;
            for (int pass = 0; pass < passes; pass++)
            {
                foreach (var user in pool) user.Restore();
                long start = Stopwatch.GetTimestamp();
                foreach (var user in pool)
                {
                    ProfileUpdater.Advance(user.State, user.WakeAt, policy);
                    if (ProfileUpdater.NextTimeDrivenChange(user.State, user.WakeAt, policy) is not null) booked++;
                }

                elapsed += Stopwatch.GetElapsedTime(start);
                foreach (var user in pool) user.CheckWoken();
            }

            // At-risk users book their lapse; lapsed users have nothing left to book.
            if (booked != swept / 2) throw new InvalidOperationException($"Round {round}: {booked} of {swept} woken users booked a next change, not half.");
            double ns = elapsed.TotalNanoseconds / swept;
            nanosPerUser.Add(ns);
            Report.Round(Name, round, s.Rounds, $"{swept:N0} users in {elapsed.TotalSeconds:0.000} s = {ns:N0} ns/user");
        }

        var stats = Stats.Of(nanosPerUser);
        Report.Result(Name, "Advance + NextTimeDrivenChange per silent user", stats, "ns/user");
        Report.Derived(Name, $"1,000,000 silent users: median {stats.Median * 1e6 / 1e9:0.00} s of one core " +
            $"(min {stats.Min * 1e6 / 1e9:0.00} s, max {stats.Max * 1e6 / 1e9:0.00} s) for the domain work alone");
        return stats;
    }

    /// <summary>
    /// Occasional users, each with its own history, silent since a moment chosen so that its next change falls
    /// at a given time; a second half already at risk (woken once) and now due to lapse.
    /// </summary>
    private static SilentUser[] Build(int count, UserModelPolicy policy)
    {
        // Why: sessions at midday, so that one session never straddles two UTC days.
        var reference = DateTime.UtcNow.Date.AddHours(12);
        var users = new SilentUser[count];
        for (int i = 0; i < count; i++)
        {
            bool lapsing = i % 2 == 1;
            var silence = lapsing ? policy.Lifecycle.LapsedAfter : policy.Lifecycle.AtRiskAfter;
            var lastSeen = reference - silence + TimeSpan.FromSeconds(i % 3600);
            var state = Profiles.Build(UserHistory.Of(Persona.Of(i), lastSeen, UserShape.Occasional), policy);
            if (lapsing)
            {
                // Woken once already, when it became at risk.
                ProfileUpdater.Advance(state, lastSeen + policy.Lifecycle.AtRiskAfter + TimeSpan.FromSeconds(30), policy);
            }

            var due = ProfileUpdater.NextTimeDrivenChange(state, state.Lifecycle.EvaluatedAt, policy)
                ?? throw new InvalidOperationException($"Silent user {i} has no change ahead.");
            users[i] = new SilentUser(state, due + TimeSpan.FromSeconds(30), lapsing ? LifecycleStage.Lapsed : LifecycleStage.AtRisk);
        }

        return users;
    }

    private sealed class SilentUser(UserProfileState state, DateTime wakeAt, LifecycleStage expected)
    {
        private readonly LifecycleStage? stage = state.Lifecycle.Stage;
        private readonly DateTime since = state.Lifecycle.Since;
        private readonly DateTime evaluatedAt = state.Lifecycle.EvaluatedAt;
        private readonly LifecycleTransition[] history = [.. state.Lifecycle.History];

        public UserProfileState State => state;

        public DateTime WakeAt => wakeAt;

        public void CheckWoken()
        {
            if (state.Lifecycle.Stage != expected || state.Lifecycle.Since > wakeAt)
            {
                throw new InvalidOperationException($"A silent user woke as {state.Lifecycle.Stage}, not {expected}.");
            }
        }

        /// <summary>Puts the lifecycle back as it was before the wake, so the next pass does the same work.</summary>
        public void Restore()
        {
            var lifecycle = state.Lifecycle;
            lifecycle.Stage = stage;
            lifecycle.Since = since;
            lifecycle.EvaluatedAt = evaluatedAt;
            lifecycle.History.Clear();
            lifecycle.History.AddRange(history);
        }
    }
}
