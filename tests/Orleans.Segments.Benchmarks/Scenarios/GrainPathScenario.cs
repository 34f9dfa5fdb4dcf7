using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Domain.Ingestion;
using Orleans.Segments.Server.Ingestion;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>grain-path</c>: events through <c>IUserGrain.Ingest</c> in an in-process silo with in-memory storage, routed
/// exactly as the gateway routes a parsed <c>/v1/batch</c> (one call per user per batch, all users in parallel),
/// with many batches in flight. Parsing and HTTP are not timed; the batches are parsed before each round.
/// </summary>
public static class GrainPathScenario
{
    public const string Name = "grain-path";

    /// <param name="History">
    /// Users as a live app has them (<see cref="RealisticUser"/>: 60 days of 12 event names, devices, 20 earlier
    /// messages) before the rounds; false: each user starts with the warm-up's one event.
    /// </param>
    /// <param name="Journeys">Live journeys of the app during the rounds (<see cref="JourneyWorkload.LaunchLiveAsync"/>); launched after the warm-up.</param>
    /// <param name="JourneyMessages">Whether those journeys send (false: their message steps are short waits).</param>
    /// <param name="Webhook">The app streams every event type to a webhook (<see cref="WebhookSink"/>, on this machine) during the rounds.</param>
    public sealed record Settings(int Users, int Rounds, int EventsPerRound, BatchShape Shape, int Concurrency, bool History = true, int Journeys = 0, bool JourneyMessages = true, bool Webhook = false)
    {
        public static Settings From(BenchArgs args)
        {
            int users = args.Int("users", 10_000);
            var shape = new BatchShape(users, args.Int("users-per-batch", 20), args.Int("events-per-user", 5), args.Flag("anonymous-ids", true));
            return new Settings(users, args.Int("rounds", 5), args.Int("events", 200_000), shape, args.Int("concurrency", 32), args.Flag("history", true), args.Int("journeys", 0), args.Flag("journey-messages", true), args.Flag("webhook", false));
        }
    }

    public static async Task<Stats> RunAsync(Settings s)
    {
        Report.Info(Name, $"{s.Users:N0} {(s.History ? "realistic" : "fresh")} users, {s.Rounds} rounds of {s.EventsPerRound:N0} events in batches of {s.Shape.EventsPerBatch} " +
            $"({s.Shape.UsersPerBatch} users x {s.Shape.EventsPerUser}), {s.Concurrency} batches in flight, anonymousId {(s.Shape.AnonymousIds ? "on" : "off")}");
        await using var silo = await BenchSilo.StartAsync();
        var router = new EventRouter(silo.Grains);
        var parser = new SegmentMessageParser(new IngestionLimits());
        var random = new Random(11);

        // Warm-up (not timed): one event for every user, so rounds measure resident users and jitted code.
        var warmup = Enumerable.Range(0, s.Users).Chunk(100)
            .Select(users => Parse(parser, SegmentJson.Batch(random, users, 1, s.Shape.AnonymousIds, DateTime.UtcNow)))
            .ToArray();
        var (_, warmupTime) = await Load.RunAsync(warmup.Length, s.Concurrency, null, i => router.RouteAsync(Persona.AppId, warmup[i]));
        Report.Info(Name, $"warm-up: activated {s.Users:N0} users in {warmupTime.TotalSeconds:0.0} s");
        if (s.History)
        {
            var (_, seeding) = await Load.RunAsync(s.Users, s.Concurrency, null, n =>
                RealisticUser.SeedAsync(silo.Grains.GetGrain<IUserGrain>(UserKey.Known(Persona.AppId, Persona.UserIdOf(n)).GrainKey), n, DateTime.UtcNow.AddHours(-1 - n % 48)));
            Report.Info(Name, $"gave every user 60 days of events of 12 names, 2 devices and {RealisticUser.Messages} earlier messages in {seeding.TotalSeconds:0.0} s");
        }

        if (s.Journeys > 0)
        {
            await JourneyWorkload.LaunchLiveAsync(silo.Grains, Persona.AppId, s.Journeys, s.JourneyMessages);
            Report.Info(Name, $"launched {s.Journeys} live journeys {(s.JourneyMessages ? "" : "without messages ")}entered and awaited by the batches' events (round 0 puts the users in them)");
        }

        await using var sink = s.Webhook ? await WebhookSink.StartAsync(silo.Grains, Persona.AppId) : null;
        if (sink is not null) Report.Info(Name, "every event type streams to a webhook on this machine (answering 200) during the rounds");

        // Why: round 0 (a full round, not counted) lets tiered JIT and dynamic PGO settle; without it the first
        // round runs unoptimized code and measures the JIT.
        var rates = new List<double>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            int batchCount = Math.Max(1, s.EventsPerRound / s.Shape.EventsPerBatch);
            var now = DateTime.UtcNow;
            var batches = Enumerable.Range(0, batchCount).Select(_ => Parse(parser, SegmentJson.Batch(random, s.Shape, now))).ToArray();
            int events = batches.Sum(b => b.Count);
            Heap.Settle();

            long applied = 0;
            var gc = new GcWatch();
            var (_, elapsed) = await Load.RunAsync(batches.Length, s.Concurrency, null, async i =>
            {
                var summary = await router.RouteAsync(Persona.AppId, batches[i]);
                Interlocked.Add(ref applied, summary.Applied);
            });

            if (applied != events) throw new InvalidOperationException($"Round {round}: {events} events sent, {applied} applied.");
            double rate = events / elapsed.TotalSeconds;
            if (round > 0) rates.Add(rate);
            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}{events:N0} events in {elapsed.TotalSeconds:0.00} s = {rate:N0} events/s " +
                $"({batchCount * s.Shape.UsersPerBatch / elapsed.TotalSeconds:N0} Ingest calls/s); {gc.Describe(elapsed, events, "event")}" +
                (sink is null ? "" : $"; {sink.Events:N0} events at the webhook so far"));
        }

        var stats = Stats.Of(rates);
        Report.Result(Name, (s.Journeys > 0 ? $"events/s with {s.Journeys} live journeys{(s.JourneyMessages ? "" : " without messages")}" : "events/s") + (s.Webhook ? ", streaming to a webhook" : ""), stats, "events/s", Target.AtLeast(50_000, "events/s"));
        return stats;
    }

    private static List<ParsedMessage> Parse(SegmentMessageParser parser, byte[] body)
    {
        var result = parser.ParseBatch(body, DateTime.UtcNow);
        if (!result.IsValid) throw new InvalidOperationException($"A generated batch does not parse: {result.Errors[0]}");
        return result.Messages;
    }
}
