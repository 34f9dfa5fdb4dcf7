using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using BenchmarkDotNet.Running;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>
/// <c>dotnet run -c Release --project tests/Orleans.Segments.Benchmarks -- production [--users N] [--events N]
/// [--batch N] [--concurrency N]</c>: in one run, side by side, the grain-state serializers, events per second
/// acknowledged by the server in memory and on Redis (an acknowledgement means every event is written to
/// Redis, which appends it to its AOF and fsyncs every second), cold activations per second with state read from
/// Redis, and Redis memory per user. Redis is a redis-server of the run's own on loopback.
/// </summary>
public static class ProductionBenchmarks
{
    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Contains("serializer-bdn"))
        {
            BenchmarkRunner.Run<StorageSerializerBenchmarks>();
            return 0;
        }

        int users = Option(args, "--users", 20_000);
        int eventsPerUser = Option(args, "--events", 5);
        int batch = Option(args, "--batch", 100);
        int concurrency = Option(args, "--concurrency", 16);
        Console.WriteLine($"# Production (Redis) benchmark: {users:N0} users x {eventsPerUser} events, batches of {batch}, {concurrency} requests in flight");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {CpuModel()}, .NET {Environment.Version}, {await RedisVersion()}");
        Console.WriteLine();

        Serializers();

        // Why these shapes: a batch of distinct users costs one grain call and one write per event, a batch that
        // carries all of a user's events one per user; a user's first event also activates its grain, registers
        // it in the directory and books its wake-up. Real traffic lies between.
        var figures = new List<IngestFigures>();
        figures.AddRange(await Ingest("memory", redis: null, users, eventsPerUser, batch, concurrency));
        await using var redis = await RedisProcess.StartAsync();
        figures.AddRange(await Ingest("redis", redis, users, eventsPerUser, batch, concurrency));
        Console.WriteLine();
        Console.WriteLine("| store | batches | events | seconds | events/s acknowledged | failed requests (retried) |");
        Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
        foreach (var r in figures.OrderBy(f => f.Shape, StringComparer.Ordinal).ThenBy(f => f.Label, StringComparer.Ordinal))
        {
            Console.WriteLine($"| {r.Label} | {r.Shape} | {r.Events:N0} | {r.Elapsed.TotalSeconds:0.0} | {r.Events / r.Elapsed.TotalSeconds:N0} | {r.Failures} |");
        }

        await ColdActivations(redis, users, concurrency * 16);
        await MemoryPerUser(redis, users);
        Console.WriteLine();
        ShardSerializers();
        return 0;
    }

    private static void Serializers()
    {
        using var serializers = new StorageSerializers();
        var profile = SampleProfiles.Typical();
        Console.WriteLine($"| grain-state serializer ({profile.EventsApplied} events, 2 devices profile) | bytes | serialize µs | deserialize µs |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, serializer) in new[] { ($"Orleans default ({serializers.Default.GetType().Name}, Newtonsoft)", serializers.Default), ("Orleans binary (OrleansGrainStorageSerializer)", serializers.Binary),
                     ("the engine's (SegmentsStorageSerializer: MessagePack for profiles)", serializers.Engine) })
        {
            var data = serializer.Serialize(profile);
            var copy = serializer.Deserialize<UserProfileState>(data)!;
            if (copy.EventsApplied != profile.EventsApplied || copy.Devices.Count != profile.Devices.Count) throw new InvalidOperationException($"{name} does not round-trip.");
            double serialize = Time(() => serializer.Serialize(profile));
            double deserialize = Time(() => serializer.Deserialize<UserProfileState>(data));
            Console.WriteLine($"| {name} | {data.ToMemory().Length:N0} | {serialize:0.0} | {deserialize:0.0} |");
        }

        Console.WriteLine();

        Console.WriteLine();
    }

    /// <summary>
    /// An index shard's snapshot at scale, in both formats. Run last: its large sets would leave the heap of the
    /// phases measured after it in another state than the commit before it had (the bare ceilings moved with it).
    /// </summary>
    private static void ShardSerializers()
    {
        using var serializers = new StorageSerializers();

        // Why: an index shard's snapshot is rewritten as its log fills; at 1,000,000 members a shard of 16 holds 62,500.
        var shard = new Orleans.Segments.Segments.SegmentIndexState();
        for (int i = 0; i < 62_500; i++) shard.Members.Add($"user-{i:x8}-{i % 977}");
        Console.WriteLine("| index shard of 62,500 members (1,000,000 users in 16 shards) | bytes | serialize ms | deserialize ms |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (name, serializer) in new[] { ("Orleans binary (OrleansGrainStorageSerializer)", serializers.Binary), ("the engine's (SegmentsStorageSerializer: tagged MessagePack)", serializers.Engine) })
        {
            var data = serializer.Serialize(shard);
            if (serializer.Deserialize<Orleans.Segments.Segments.SegmentIndexState>(data)!.Members.Count != shard.Members.Count) throw new InvalidOperationException($"{name} does not round-trip.");
            double serialize = Time(() => serializer.Serialize(shard), warmUp: 5);
            double deserialize = Time(() => serializer.Deserialize<Orleans.Segments.Segments.SegmentIndexState>(data), warmUp: 5);
            Console.WriteLine($"| {name} | {data.ToMemory().Length:N0} | {serialize / 1000:0.00} | {deserialize / 1000:0.00} |");
        }
    }

    /// <summary>Microseconds per call, after a warm-up, over about a second.</summary>
    private static double Time(Action action, int warmUp = 2_000)
    {
        for (int i = 0; i < warmUp; i++) action();
        int count = 0, step = Math.Min(100, warmUp);
        var clock = Stopwatch.StartNew();
        while (clock.ElapsedMilliseconds < 1_000)
        {
            for (int i = 0; i < step; i++) action();
            count += step;
        }

        return clock.Elapsed.TotalMicroseconds / count;
    }

    private static async Task<List<IngestFigures>> Ingest(string label, RedisProcess? redis, int users, int eventsPerUser, int batch, int concurrency)
    {
        await using var server = await BenchmarkServer.StartAsync($"bench-{label}", redis?.ConnectionString);
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(BenchmarkServer.WriteKey + ":")));
        await Send(http, Bodies("warm", Math.Min(users, 2_000), 0, 1, batch, grouped: false), concurrency);

        var figures = new List<IngestFigures>
        {
            await Timed(label, $"new users, all {eventsPerUser} events of {batch / eventsPerUser} users each", users * eventsPerUser, http,
                Bodies("g", users, 0, eventsPerUser, batch, grouped: true), concurrency),
            await Timed(label, $"new users, {batch} distinct users each (1st event)", users, http,
                Bodies("u", users, 0, 1, batch, grouped: false), concurrency),
            await Timed(label, $"active users, {batch} distinct users each (events 2-{eventsPerUser})", users * (eventsPerUser - 1), http,
                Bodies("u", users, 1, eventsPerUser, batch, grouped: false), concurrency),
        };

        // Why: the same Orleans work without the engine's code, in the same silo and store, with as many users in
        // flight as the first-event phase has (its requests times their users): the ceiling it is measured against.
        foreach (bool threeWrites in new[] { false, true })
        {
            string shape = threeWrites
                ? "ceiling: bare grain's first call, calls 2 shard grains that write, then writes (no engine code)"
                : "ceiling: bare grain's first call, one write (no engine code)";
            var elapsed = await NewUserCeiling.RunAsync(server.Grains, threeWrites ? "bare3" : "bare1", users, batch * concurrency, threeWrites);
            Console.WriteLine($"{label}, {shape}: {users:N0} in {elapsed.TotalSeconds:0.0} s");
            figures.Add(new IngestFigures(label, shape, users, elapsed, 0));
        }

        // Why: the memory per user measured later counts the engine's records only.
        if (redis is not null)
        {
            string deleted = await redis.CommandAsync("EVAL", "local n = 0 for _, k in ipairs(redis.call('KEYS', ARGV[1])) do redis.call('DEL', k) n = n + 1 end return n", "0", "*bare*");
            Console.WriteLine($"{label}: {deleted} records of the bare grains deleted");
        }

        return figures;
    }

    private static async Task<IngestFigures> Timed(string label, string shape, int events, HttpClient http, List<byte[]> bodies, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        int failures = await Send(http, bodies, concurrency);
        var elapsed = clock.Elapsed;
        Console.WriteLine($"{label}, {shape}: {events:N0} events acknowledged in {elapsed.TotalSeconds:0.0} s");
        return new IngestFigures(label, shape, events, elapsed, failures);
    }

    /// <summary>Sends every body until it is acknowledged; returns how many attempts failed.</summary>
    private static async Task<int> Send(HttpClient http, List<byte[]> bodies, int concurrency)
    {
        int next = -1, failures = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < bodies.Count; i = Interlocked.Increment(ref next))
            {
                for (int attempt = 0; ; attempt++)
                {
                    using var content = new ByteArrayContent(bodies[i]);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var response = await http.PostAsync("v1/batch", content);
                    if (response.StatusCode == HttpStatusCode.OK) break;
                    Interlocked.Increment(ref failures);
                    if (attempt == 20) throw new InvalidOperationException($"A batch failed 20 times, last with {(int)response.StatusCode}.");

                    // Why: a load generator's client back-off against a real server on real time (not a test).
                    await Task.Delay(100);
                }
            }
        }));
        return failures;
    }

    /// <summary>
    /// Segment batches. Spread: event e of every user, then e + 1, so one batch holds distinct users. Grouped:
    /// every event of a user, then the next user, so one batch holds all of a few users' events.
    /// </summary>
    private static List<byte[]> Bodies(string prefix, int users, int fromEvent, int toEvent, int batch, bool grouped)
    {
        var bodies = new List<byte[]>();
        var text = new StringBuilder();
        int inBatch = 0;
        var order = grouped
            ? Enumerable.Range(0, users).SelectMany(u => Enumerable.Range(fromEvent, toEvent - fromEvent).Select(e => (u, e)))
            : Enumerable.Range(fromEvent, toEvent - fromEvent).SelectMany(e => Enumerable.Range(0, users).Select(u => (u, e)));
        foreach (var (u, e) in order)
        {
            {
                text.Append(inBatch == 0 ? "{\"batch\":[" : ",");
                text.Append(CultureInfo.InvariantCulture,
                    $"{{\"type\":\"track\",\"userId\":\"{prefix}-{u}\",\"event\":\"Product Viewed\",\"messageId\":\"{prefix}-{u}-{e}\",\"properties\":{{\"category\":\"books\",\"price\":12.5}}}}");
                if (++inBatch == batch)
                {
                    bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
                    text.Clear();
                    inBatch = 0;
                }
            }
        }

        if (inBatch > 0) bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
        return bodies;
    }

    /// <summary>A fresh silo on the same Redis: every profile read activates its grain and loads its state.</summary>
    private static async Task ColdActivations(RedisProcess redis, int users, int inFlight)
    {
        await using var server = await BenchmarkServer.StartAsync("bench-redis", redis.ConnectionString);
        var grains = server.Grains;
        int next = -1, found = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < users; i = Interlocked.Increment(ref next))
            {
                if (await grains.GetGrain<IUserGrain>(UserKey.Known("bench", $"u-{i}").GrainKey).GetProfile() is not null) Interlocked.Increment(ref found);
            }
        }));
        var elapsed = clock.Elapsed;
        if (found != users) throw new InvalidOperationException($"Only {found} of {users} profiles came back from Redis.");
        Console.WriteLine();
        Console.WriteLine("| cold activations (new silo, state read from Redis) | users | seconds | activations/s |");
        Console.WriteLine("| --- | ---: | ---: | ---: |");
        Console.WriteLine($"| GetProfile of every user, {inFlight} in flight | {users:N0} | {elapsed.TotalSeconds:0.0} | {users / elapsed.TotalSeconds:N0} |");
    }

    private static async Task MemoryPerUser(RedisProcess redis, int users)
    {
        long used = await redis.InfoAsync("memory", "used_memory");
        long keys = long.Parse(await redis.CommandAsync("DBSIZE"), CultureInfo.InvariantCulture);
        var samples = new List<long>();
        for (int i = 0; i < users; i += Math.Max(1, users / 200))
        {
            string usage = await redis.CommandAsync("MEMORY", "USAGE", $"orleans-segments/state/user/bench/u/u-{i}/profile");
            if (long.TryParse(usage, out long bytes)) samples.Add(bytes);
        }

        Console.WriteLine();
        Console.WriteLine("| Redis memory | value |");
        Console.WriteLine("| --- | ---: |");
        int stored = 2 * users + Math.Min(users, 2_000);
        Console.WriteLine($"| used_memory after {stored:N0} users (both batch shapes and warm-up users), all keys | {used:N0} bytes |");
        Console.WriteLine($"| used_memory / user | {used / (double)stored:N0} bytes |");
        Console.WriteLine($"| MEMORY USAGE of one user's profile hash (mean of {samples.Count}) | {(samples.Count == 0 ? 0 : samples.Average()):N0} bytes |");
        Console.WriteLine($"| keys (profiles, index shards, directory pages, wake-up buckets, membership) | {keys:N0} |");
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int value) ? value : fallback;
    }

    private static string CpuModel()
    {
        try
        {
            return File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "unknown CPU";
        }
        catch (IOException)
        {
            return "unknown CPU";
        }
    }

    private static async Task<string> RedisVersion()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("redis-server", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            string text = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return text.Split(' ').Take(3).Aggregate((a, b) => $"{a} {b}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "no redis-server";
        }
    }

    private sealed record IngestFigures(string Label, string Shape, int Events, TimeSpan Elapsed, int Failures);
}
