using System.Diagnostics;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Ingestion;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>segments</c>: the segment engine, side by side in one run: (1) evaluating 100 typical segments for one event,
/// alone and inside the full <c>ProfileUpdater.Apply</c> + <c>NextTimeDrivenChange</c> the user grain runs;
/// (2) geofence lookup among 10,000 fences; (3) backfill rate through grains; (4) grain-path ingestion into an
/// app with the 100 segments beside one without any, in the same silo.
/// </summary>
public static class SegmentsScenario
{
    public const string Name = "segments";
    private const string PlainApp = Persona.AppId;
    private const string SegmentApp = "bench-segments";
    private static readonly DateTime Start = new(2026, 11, 24, 12, 0, 0, DateTimeKind.Utc);

    /// <param name="History">In the grain part, users as a live app has them (<see cref="RealisticUser"/>) before the rounds.</param>
    public sealed record Settings(int Users, int Rounds, int EventsPerRound, int Evaluations, int Fences, int Lookups, int Concurrency, string Part, bool History = true)
    {
        public static Settings From(BenchArgs args) => new(
            args.Int("users", 20_000), args.Int("rounds", 5), args.Int("events", 100_000), args.Int("evaluations", 4_096),
            args.Int("fences", 10_000), args.Int("lookups", 200_000), args.Int("concurrency", 32), args.Text("part") ?? "all", args.Flag("history", true));
    }

    public static async Task RunAsync(Settings s)
    {
        if (s.Part is "all" or "domain")
        {
            Evaluation(s);
            Geofences(s);
        }

        if (s.Part is "all" or "grains") await GrainsAsync(s);
    }

    /// <summary>Part 1: µs per event for 100 segments, on copies of realistic profiles (copies not timed).</summary>
    private static void Evaluation(Settings s)
    {
        var policy = UserModelPolicy.Default;
        var problems = new List<string>();
        var set = SegmentSet.Build(1, TypicalSegments.Definitions, problems);
        if (problems.Count > 0 || set.Ordered.Count != 100) throw new InvalidOperationException($"The typical segments do not compile: {string.Join("; ", problems)}");
        var env = new ModelEnvironment(set, new GeofenceIndex(1, TypicalSegments.Fences));

        // 16 users of different shapes and cities, brought to Start with and without the segments.
        var personas = Enumerable.Range(0, 16).Select(Persona.Of).ToArray();
        UserProfileState Base(Persona p, ModelEnvironment e)
        {
            var shape = p.Number % 3 == 0 ? UserShape.Occasional : UserShape.Regular;
            var state = Profiles.Build(UserHistory.Of(p, Start.AddHours(-p.Number), shape), policy);
            ProfileUpdater.Advance(state, Start, policy, e);
            return state;
        }

        var withSegments = personas.Select(p => Base(p, env)).ToArray();
        var without = personas.Select(p => Base(p, ModelEnvironment.None)).ToArray();
        Report.Info(Name, $"100 segments ({set.Ordered.Count(x => x.TimeDependent)} time-dependent), 8 fences; 16 users in " +
            $"{withSegments.Average(u => u.Segments.Count):0.#} segments on average; {s.Evaluations:N0} events per round, each on its own copy of a profile");

        var copier = Profiles.Copier;
        var random = new Random(3);
        var (none, apply, next, evaluateAll, reevaluate) = (new List<double>(), new List<double>(), new List<double>(), new List<double>(), new List<double>());
        var changes = new List<MembershipTransition>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            int n = s.Evaluations;
            var events = new UserEvent[n][];
            var times = new DateTime[n];
            for (int i = 0; i < n; i++)
            {
                times[i] = Start.AddMinutes(10 + round).AddMilliseconds(i);
                events[i] = [NextEvent(random, personas[i % 16], times[i].AddSeconds(-1))];
            }

            var plain = Enumerable.Range(0, n).Select(i => copier.Copy(without[i % 16])).ToArray();
            var states = Enumerable.Range(0, n).Select(i => copier.Copy(withSegments[i % 16])).ToArray();
            Heap.Settle();

            double perEvent(Stopwatch w) => w.Elapsed.TotalMicroseconds / n;
            var w0 = Stopwatch.StartNew();
            for (int i = 0; i < n; i++)
            {
                ProfileUpdater.Apply(plain[i], events[i], times[i], policy);
                ProfileUpdater.NextTimeDrivenChange(plain[i], times[i], policy);
            }

            w0.Stop();
            var w1 = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) ProfileUpdater.Apply(states[i], events[i], times[i], policy, env);
            w1.Stop();
            var w2 = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) ProfileUpdater.NextTimeDrivenChange(states[i], times[i], policy, env);
            w2.Stop();
            var w3 = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) set.EvaluateAll(states[i], times[i], policy);
            w3.Stop();
            var w4 = Stopwatch.StartNew();
            for (int i = 0; i < n; i++) SegmentEvaluator.Reevaluate(states[i], set, times[i], policy, changes);
            w4.Stop();
            changes.Clear();

            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}µs per event: Apply+Next without segments {perEvent(w0):0.00}; " +
                $"with 100: Apply {perEvent(w1):0.00} + Next {perEvent(w2):0.00}; EvaluateAll {perEvent(w3):0.00}, Reevaluate {perEvent(w4):0.00}");
            if (round == 0) continue;
            none.Add(perEvent(w0));
            apply.Add(perEvent(w1) + perEvent(w2));
            next.Add(perEvent(w2));
            evaluateAll.Add(perEvent(w3));
            reevaluate.Add(perEvent(w4));
        }

        Report.Result(Name, "100 segments, SegmentSet.EvaluateAll per event", Stats.Of(evaluateAll), "µs", Target.AtMost(20, "µs"));
        Report.Result(Name, "100 segments, SegmentEvaluator.Reevaluate per event", Stats.Of(reevaluate), "µs", Target.AtMost(20, "µs"));
        Report.Result(Name, "100 segments, ProfileUpdater.Apply + NextTimeDrivenChange per event", Stats.Of(apply), "µs");
        Report.Result(Name, "  of which NextTimeDrivenChange", Stats.Of(next), "µs");
        Report.Result(Name, "no segments, ProfileUpdater.Apply + NextTimeDrivenChange per event", Stats.Of(none), "µs");
    }

    /// <summary>Part 2: ns per <c>GeofenceIndex.Containing</c> among many fences over one city.</summary>
    private static void Geofences(Settings s)
    {
        var fences = CityFences.Make(s.Fences, 5);
        if (fences.FirstOrDefault(f => f.Validate() is not null) is { } bad) throw new InvalidOperationException($"Fence {bad.Id}: {bad.Validate()}");
        var build = Stopwatch.StartNew();
        var index = new GeofenceIndex(1, fences);
        Report.Info(Name, $"{s.Fences:N0} fences (half circles, half polygons, 50-500 m) over {CityFences.SideKm} x {CityFences.SideKm} km: index built in {build.Elapsed.TotalMilliseconds:0} ms");

        var random = new Random(9);
        var points = Enumerable.Range(0, s.Lookups).Select(_ => CityFences.Point(random)).ToArray();
        var results = new List<double>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            long hits = 0;
            var clock = Stopwatch.StartNew();
            foreach (var (lat, lon) in points) hits += index.Containing(lat, lon).Count;
            double ns = clock.Elapsed.TotalNanoseconds / points.Length;
            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}{points.Length:N0} lookups, {ns:N0} ns each, {(double)hits / points.Length:0.###} fences per point");
            if (round > 0) results.Add(ns);
        }

        Report.Result(Name, $"geofence lookup among {s.Fences:N0} fences", Stats.Of(results), "ns", Target.AtMost(5_000, "ns"));
    }

    /// <summary>Parts 3 and 4: ingestion with and without 100 segments, then backfill, in one in-process silo.</summary>
    private static async Task GrainsAsync(Settings s)
    {
        await using var silo = await BenchSilo.StartAsync();
        var catalog = silo.Grains.GetGrain<ISegmentCatalogGrain>(SegmentApp);
        foreach (var fence in TypicalSegments.Fences) Check(await catalog.PutGeofence(fence), fence.Id);
        foreach (var definition in TypicalSegments.Definitions) Check(await catalog.PutSegment(definition), definition.Id);
        await silo.Grains.GetGrain<ISegmentBackfillGrain>(SegmentApp).RunToEnd();

        var router = new EventRouter(silo.Grains);
        var parser = new SegmentMessageParser(new IngestionLimits());
        var random = new Random(11);
        var shape = BatchShape.Default(s.Users);
        var warmup = Enumerable.Range(0, s.Users).Chunk(100)
            .Select(users => Parse(parser, SegmentJson.Batch(random, users, 1, shape.AnonymousIds, DateTime.UtcNow))).ToArray();
        foreach (string app in new[] { PlainApp, SegmentApp })
        {
            var (_, time) = await Load.RunAsync(warmup.Length, s.Concurrency, null, i => router.RouteAsync(app, warmup[i]));
            Report.Info(Name, $"warm-up: activated {s.Users:N0} users of app '{app}' in {time.TotalSeconds:0.0} s");
            if (!s.History) continue;
            var (_, seeding) = await Load.RunAsync(s.Users, s.Concurrency, null, n =>
                RealisticUser.SeedAsync(silo.Grains.GetGrain<IUserGrain>(UserKey.Known(app, Persona.UserIdOf(n)).GrainKey), n, DateTime.UtcNow.AddHours(-1 - n % 48)));
            Report.Info(Name, $"gave the users of app '{app}' 60 days of events of 12 names, 2 devices and {RealisticUser.Messages} earlier messages in {seeding.TotalSeconds:0.0} s");
        }

        // Part 4: the same parsed batches go to both apps, in alternating order, so both see the same load.
        var rates = new Dictionary<string, List<double>> { [PlainApp] = [], [SegmentApp] = [] };
        for (int round = 0; round <= s.Rounds; round++)
        {
            var now = DateTime.UtcNow;
            var batches = Enumerable.Range(0, Math.Max(1, s.EventsPerRound / shape.EventsPerBatch))
                .Select(_ => Parse(parser, SegmentJson.Batch(random, shape, now))).ToArray();
            int events = batches.Sum(b => b.Count);
            var text = new List<string>();
            foreach (string app in round % 2 == 0 ? new[] { PlainApp, SegmentApp } : [SegmentApp, PlainApp])
            {
                Heap.Settle();
                long applied = 0;
                var (_, elapsed) = await Load.RunAsync(batches.Length, s.Concurrency, null, async i =>
                    Interlocked.Add(ref applied, (await router.RouteAsync(app, batches[i])).Applied));
                if (applied != events) throw new InvalidOperationException($"Round {round}, app {app}: {events} events sent, {applied} applied.");
                if (round > 0) rates[app].Add(events / elapsed.TotalSeconds);
                text.Add($"{(app == PlainApp ? "no segments" : "100 segments")} {events / elapsed.TotalSeconds:N0} events/s");
            }

            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}{events:N0} events each: {string.Join(", ", text)}");
        }

        Report.Result(Name, "grain path, no segments, events/s", Stats.Of(rates[PlainApp]), "events/s", Target.AtLeast(50_000, "events/s"));
        Report.Result(Name, "grain path, 100 segments, events/s", Stats.Of(rates[SegmentApp]), "events/s", Target.AtLeast(50_000, "events/s"));
        double share = Stats.Of(rates[SegmentApp]).Median / Stats.Of(rates[PlainApp]).Median;
        Report.Derived(Name, $"with 100 segments at {share:P0} of the same run's figure without segments ({(s.History ? "realistic" : "fresh")} users; target >= 50 %: {(share >= 0.5 ? "MET" : "NOT MET")})");

        // Part 3: each round changes one segment; the catalog starts a backfill, timed until every user re-evaluated.
        var backfill = silo.Grains.GetGrain<ISegmentBackfillGrain>(SegmentApp);
        var userRates = new List<double>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            Heap.Settle();
            var clock = Stopwatch.StartNew();
            Check(await catalog.PutSegment(new SegmentDefinition("backfill-probe", "Backfill probe", $"count(\"Product Viewed\", 30d) >= {round + 1}")), "backfill-probe");
            var status = await backfill.RunToEnd();
            double rate = status.Processed / clock.Elapsed.TotalSeconds;
            if (status.Processed < s.Users) throw new InvalidOperationException($"Backfill round {round} re-evaluated {status.Processed} of {s.Users} users.");
            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}backfill of {status.Processed:N0} users " +
                $"(101 segments) in {clock.Elapsed.TotalSeconds:0.00} s = {rate:N0} users/s");
            if (round > 0) userRates.Add(rate);
        }

        var stats = Stats.Of(userRates);
        Report.Result(Name, $"backfill, {s.Users:N0} resident users, users/s", stats, "users/s");
        Report.Derived(Name, $"backfill of 1,000,000 users: EXTRAPOLATED from the median, not measured: {1_000_000 / stats.Median:N0} s " +
            $"(all users resident and in memory storage; activating users from Redis would add to it)");
    }

    private static UserEvent NextEvent(Random random, Persona p, DateTime at)
    {
        string id = Persona.NewGuid(random);
        string category = p.Categories[random.Next(p.Categories.Length)];
        return random.Next(100) switch
        {
            < 50 => new UserEvent(EventKind.Track, id, at) { Name = "Product Viewed", Categories = [category], Numbers = new() { ["price"] = 5 + random.Next(200) } },
            < 70 => new UserEvent(EventKind.Track, id, at) { Name = "Application Opened" },
            < 85 => new UserEvent(EventKind.Screen, id, at) { Name = "Home" },
            < 95 => new UserEvent(EventKind.Track, id, at) { Name = "Product Added", Categories = [category], Numbers = new() { ["price"] = 10 + random.Next(300) } },
            _ => new UserEvent(EventKind.Track, id, at) { Name = "Order Completed", Categories = [category], Numbers = new() { ["revenue"] = 20 + random.Next(300) } },
        };
    }

    private static void Check(CatalogChange change, string id)
    {
        if (change.Status is not (CatalogChangeStatus.Created or CatalogChangeStatus.Updated or CatalogChangeStatus.Unchanged))
        {
            throw new InvalidOperationException($"The catalog refused {id}: {change.Status} {string.Join("; ", change.Errors)}");
        }
    }

    private static List<ParsedMessage> Parse(SegmentMessageParser parser, byte[] body)
    {
        var result = parser.ParseBatch(body, DateTime.UtcNow);
        if (!result.IsValid) throw new InvalidOperationException($"A generated batch does not parse: {result.Errors[0]}");
        return result.Messages;
    }
}
