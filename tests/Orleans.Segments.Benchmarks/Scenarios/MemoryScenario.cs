using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>memory</c>: the managed heap a resident user costs. N regular users are built through their grains session
/// by session over 60 days of (manual) time, so their state is what a live grain holds. The in-memory storage keeps
/// states serialized, as Redis would, so its bytes stay out of the figure: each round deactivates every user (heap A),
/// activates them all again (heap B) and takes (B − A) / N. Also reports the serialized state size, the cost of an
/// activation with an empty state, and where a state's bytes go.
/// </summary>
public static class MemoryScenario
{
    public const string Name = "memory";

    /// <param name="History">Besides 60 days of sessions, what a live app's user carries (<see cref="RealisticUser.CompleteAsync"/>: 12 event names, devices, 20 earlier messages).</param>
    public sealed record Settings(int Users, int Rounds, int Concurrency, bool History = true)
    {
        public static Settings From(BenchArgs args) => new(args.Int("users", 20_000), args.Int("rounds", 5), args.Int("concurrency", 32), args.Flag("history", true));
    }

    public sealed record Outcome(Stats ResidentBytesPerUser, Stats SerializedBytes, double EmptyActivationBytes, double StateGraphBytes);

    public static async Task<Outcome> RunAsync(Settings s)
    {
        var shape = UserShape.Regular;
        var end = DateTime.UtcNow.Date.AddHours(-4);
        Report.Info(Name, $"{s.Users:N0} regular users ({shape.ActiveDays} active days of {shape.HistoryDays}{(s.History ? ", with devices and message history" : "")}), {s.Rounds} rounds of deactivate/reactivate");

        var clock = new ManualClock(end.AddDays(-shape.HistoryDays));
        await using var silo = await BenchSilo.StartAsync(clock, new Dictionary<string, string?>
        {
            // Why: the clock jumps through 60 days; the dispatcher must not sweep them meanwhile (sweep measures that).
            ["Segments:Wakeups:TickInterval"] = "01:00:00",
        });

        // Warm-up (not counted): users outside the measured range run every code path once.
        await Ingest(silo, clock, Enumerable.Range(s.Users + 1, 50).ToArray(), shape, end, s.Concurrency);
        var users = Enumerable.Range(0, s.Users).ToArray();
        int calls = await Ingest(silo, clock, users, shape, end, s.Concurrency);
        if (s.History)
        {
            await Load.RunAsync(users.Length, s.Concurrency, null, i =>
                RealisticUser.CompleteAsync(silo.Grains.GetGrain<IUserGrain>(Key(users[i])), users[i], end.AddDays(-shape.HistoryDays)));
        }

        Report.Info(Name, $"built {s.Users:N0} users with {calls:N0} Ingest calls{(s.History ? $", then 7 more event names, 2 devices and {RealisticUser.Messages} earlier messages each" : "")}; {await silo.ActivationCountAsync():N0} activations");

        var perUser = new List<double>();
        for (int round = 1; round <= s.Rounds; round++)
        {
            await silo.DeactivateIdleAsync();
            long stored = Heap.Settle();
            await Activate(silo, users, s.Concurrency, expectProfile: true);
            long resident = Heap.Settle();
            double bytes = (double)(resident - stored) / s.Users;
            perUser.Add(bytes);
            Report.Round(Name, round, s.Rounds, $"{await silo.ActivationCountAsync():N0} activations, heap {resident / 1024.0 / 1024:0.0} MB, " +
                $"+{(resident - stored) / 1024.0 / 1024:0.0} MB over the deactivated heap = {bytes:N0} bytes per resident user");
        }

        // The same number of user grains for ids never seen: the activation alone, with an empty state.
        await silo.DeactivateIdleAsync();
        long bare = Heap.Settle();
        var unknown = Enumerable.Range(10_000_000, s.Users).ToArray();
        await Activate(silo, unknown, s.Concurrency, expectProfile: false);
        double emptyActivation = (double)(Heap.Settle() - bare) / s.Users;

        int sample = Math.Min(s.Users, 2_000);
        var (sizes, graph, breakdown) = StateGraph(sample, end, shape);

        var outcome = new Outcome(Stats.Of(perUser), Stats.Of(sizes), emptyActivation, graph);
        Report.Result(Name, $"heap per resident user (activation + state{(s.History ? ", realistic users" : "")})", outcome.ResidentBytesPerUser, "bytes", Target.AtMost((s.History ? 5 : 3) * 1024, "bytes"));
        Report.Result(Name, "serialized state size (Orleans binary, as stored)", outcome.SerializedBytes, "bytes", over: $"{sample:N0} users");
        Report.Derived(Name, $"a user grain with an empty state (ids never seen): {emptyActivation:N0} bytes per activation");
        Report.Derived(Name, $"a loaded state's object graph alone (pure domain, deserialized): {graph:N0} bytes per user; of which " +
            string.Join(", ", breakdown.Select(b => $"{b.Part} {b.BytesPerUser:N0}")));
        return outcome;
    }

    /// <summary>
    /// Delivers the users' histories day by day: the clock is set one minute after each day's sessions end and
    /// every user active that day sends its session in one Ingest call. Returns the number of calls.
    /// </summary>
    private static async Task<int> Ingest(BenchSilo silo, ManualClock clock, int[] users, UserShape shape, DateTime end, int concurrency)
    {
        var byDay = new SortedDictionary<DateTime, List<(int User, Session Session)>>();
        foreach (int user in users)
        {
            foreach (var session in UserHistory.Of(Persona.Of(user), end, shape))
            {
                var at = Profiles.IngestedAt(session);
                if (!byDay.TryGetValue(at, out var list)) byDay[at] = list = [];
                list.Add((user, session));
            }
        }

        int calls = 0;
        foreach (var (at, sessions) in byDay)
        {
            clock.Set(at);
            await Load.RunAsync(sessions.Count, concurrency, null, async i =>
            {
                var (user, session) = sessions[i];
                var receipt = await silo.Grains.GetGrain<IUserGrain>(Key(user)).Ingest(session.Events);
                if (receipt.Applied != session.Events.Length) throw new InvalidOperationException($"User {user}: {receipt.Applied} of {session.Events.Length} applied.");
            });
            calls += sessions.Count;
        }

        return calls;
    }

    private static Task Activate(BenchSilo silo, int[] users, int concurrency, bool expectProfile) =>
        Load.RunAsync(users.Length, concurrency, null, async i =>
        {
            var view = await silo.Grains.GetGrain<IUserGrain>(Key(users[i])).GetProfile();
            if ((view is not null) != expectProfile) throw new InvalidOperationException($"User {users[i]}: profile {(expectProfile ? "missing" : "unexpected")}.");
        });

    /// <summary>
    /// The same users' states built with the pure domain: their serialized sizes, and the heap of the states as a
    /// grain holds them after loading from storage (deserialized), with its breakdown.
    /// </summary>
    private static (List<double> Sizes, double GraphBytesPerUser, IReadOnlyList<(string Part, double BytesPerUser)> Breakdown) StateGraph(
        int count, DateTime end, UserShape shape)
    {
        var serializer = Profiles.Serializer;
        var bytes = Enumerable.Range(0, count)
            .Select(i => serializer.SerializeToArray(Profiles.Build(UserHistory.Of(Persona.Of(i), end, shape), UserModelPolicy.Default)))
            .ToArray();
        long before = Heap.Settle();
        var states = bytes.Select(b => serializer.Deserialize(b)!).ToArray();
        double graph = (double)(Heap.Settle() - before) / count;
        return (bytes.Select(b => (double)b.Length).ToList(), graph, StateBreakdown.Measure(states));
    }

    private static string Key(int user) => UserKey.Known(Persona.AppId, Persona.UserIdOf(user)).GrainKey;
}
