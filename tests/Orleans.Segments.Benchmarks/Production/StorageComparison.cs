using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Users;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>
/// <c>storage [--users N] [--events N] [--broadcast-users N] [--concurrency N]</c>: the two production backends
/// side by side in one run, each a process of the run's own on loopback (redis-server with an AOF fsynced every
/// second; Azurite): events per second with a durable acknowledgement, a broadcast's pushes per second through
/// the server's own API and timers (log sender), cold activations per second, and stored bytes per user.
/// Azurite is Azure's emulator, not Azure: these figures compare the providers' work on one machine, not cloud
/// latency (each Azure write is one HTTPS round trip to the account, typically several milliseconds).
/// </summary>
public static class StorageComparison
{
    private const string AdminKey = "ak_bench_0123456789abcdef";

    public static async Task<int> RunAsync(string[] args)
    {
        int users = Option(args, "--users", 2_000);
        int eventsPerUser = Option(args, "--events", 5);
        int broadcastUsers = Option(args, "--broadcast-users", 1_000);
        int concurrency = Option(args, "--concurrency", 4);
        Console.WriteLine($"# Storage backends side by side: {users:N0} users x {eventsPerUser} events (batches of 100), a broadcast to {broadcastUsers:N0} users, {concurrency} requests in flight");
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");

        var rows = new List<Figures>();
        await using (var redis = await RedisProcess.StartAsync())
        {
            rows.Add(await MeasureAsync("Redis", [$"--Segments:Redis:ConnectionString={redis.ConnectionString}"], users, eventsPerUser, broadcastUsers, concurrency,
                async () =>
                {
                    var samples = new List<long>();
                    for (int i = 0; i < users; i += Math.Max(1, users / 200))
                    {
                        if (long.TryParse(await redis.CommandAsync("MEMORY", "USAGE", $"orleans-segments/state/user/bench/u/g-{i}/profile"), out long bytes)) samples.Add(bytes);
                    }

                    return samples.Count == 0 ? 0 : samples.Average();
                }));
        }

        double ceiling;
        await using (var azurite = await AzuriteProcess.StartAsync())
        {
            ceiling = await BarePutsAsync(azurite, concurrency * 100, 5_000);
            Console.WriteLine($"Azurite alone: {ceiling:N0} Put Blob/s of 500 bytes, {concurrency * 100} in flight (the ceiling of one write per event)");
            rows.Add(await MeasureAsync("Azure Storage (Azurite)", [$"--Segments:AzureStorage:ConnectionString={azurite.ConnectionString}"], users, eventsPerUser, broadcastUsers, concurrency,
                async () => (await azurite.BlobSizesAsync("profile-user/bench/u/g-")).DefaultIfEmpty(0).Average()));
        }

        Console.WriteLine();
        Console.WriteLine("| backend | new users, events/s acknowledged | active users, events/s acknowledged | broadcast pushes/s | cold activations/s | stored bytes per user (profile) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var r in rows)
        {
            Console.WriteLine($"| {r.Backend} | {r.NewUsersPerSecond:N0} | {r.ActiveEventsPerSecond:N0} | {r.PushesPerSecond:N0} | {r.ActivationsPerSecond:N0} | {r.BytesPerUser:N0} |");
            Console.WriteLine($"RESULT storage: {r.Backend}: {r.NewUsersPerSecond:N0} new-user events/s, {r.ActiveEventsPerSecond:N0} events/s, {r.PushesPerSecond:N0} pushes/s, {r.ActivationsPerSecond:N0} activations/s, {r.BytesPerUser:N0} bytes/user");
        }

        Console.WriteLine($"RESULT storage: Azurite alone, bare Put Blob of 500 bytes: {ceiling:N0}/s");
        return 0;
    }

    /// <summary>The physical limit beside the figures: Azurite storing blobs as fast as it can, with no engine in front.</summary>
    private static async Task<double> BarePutsAsync(AzuriteProcess azurite, int inFlight, int puts)
    {
        var container = new Azure.Storage.Blobs.BlobContainerClient(azurite.ConnectionString, "bare-puts");
        await container.CreateIfNotExistsAsync();
        byte[] body = new byte[500];
        int next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            for (int i = Interlocked.Increment(ref next); i < puts; i = Interlocked.Increment(ref next))
            {
                await container.GetBlobClient($"b-{i % 2_000}").UploadAsync(new BinaryData(body), overwrite: true);
            }
        }));
        return puts / clock.Elapsed.TotalSeconds;
    }

    private static async Task<Figures> MeasureAsync(string backend, string[] storage, int users, int eventsPerUser, int broadcastUsers, int concurrency, Func<Task<double>> bytesPerUser)
    {
        string cluster = $"bench-{Guid.NewGuid():N}"[..20];
        double newUsers, active, pushes;
        await using (var server = await BenchmarkServer.StartAsync(cluster, storage))
        {
            using var http = Client(server.BaseAddress);
            await Send(http, Bodies("warm", Math.Min(users, 500), 0, 1), concurrency);
            newUsers = await Timed(http, Bodies("g", users, 0, 1), users, concurrency);
            active = await Timed(http, Bodies("g", users, 1, eventsPerUser), users * (eventsPerUser - 1), concurrency);
            pushes = await BroadcastAsync(http, broadcastUsers, concurrency);
            Console.WriteLine($"{backend}: {newUsers:N0} first events/s, {active:N0} events/s of known users, {pushes:N0} pushes/s");
        }

        double activations;
        await using (var again = await BenchmarkServer.StartAsync(cluster + "-cold", storage))
        {
            var grains = again.Grains;
            int next = -1, found = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency * 16).Select(async _ =>
            {
                for (int i = Interlocked.Increment(ref next); i < users; i = Interlocked.Increment(ref next))
                {
                    if (await grains.GetGrain<IUserGrain>(UserKey.Known("bench", $"g-{i}").GrainKey).GetProfile() is not null) Interlocked.Increment(ref found);
                }
            }));
            if (found != users) throw new InvalidOperationException($"{backend}: only {found} of {users} profiles came back.");
            activations = users / clock.Elapsed.TotalSeconds;
            Console.WriteLine($"{backend}: {activations:N0} cold activations/s");
        }

        return new Figures(backend, newUsers, active, pushes, activations, await bytesPerUser());
    }

    /// <summary>
    /// Users with a push token and marketing consent, a segment of them, and a manual campaign sent to it through
    /// the HTTP API; timed from "send" until the server's own timers finish the broadcast.
    /// </summary>
    private static async Task<double> BroadcastAsync(HttpClient http, int users, int concurrency)
    {
        var tokens = Enumerable.Range(0, users).Select(_ => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))).ToArray();
        var bodies = new List<byte[]>();
        for (int start = 0; start < users; start += 100)
        {
            var text = new StringBuilder("{\"batch\":[");
            for (int u = start; u < Math.Min(users, start + 100); u++)
            {
                if (u > start) text.Append(',');
                text.Append(CultureInfo.InvariantCulture, $"{{\"type\":\"track\",\"userId\":\"b-{u}\",\"event\":\"Application Opened\",\"messageId\":\"b-{u}\",\"context\":{{\"device\":{{\"type\":\"ios\",\"token\":\"{tokens[u]}\"}}}}}}");
            }

            bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
        }

        await Send(http, bodies, concurrency);
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (int u = Interlocked.Increment(ref next); u < users; u = Interlocked.Increment(ref next))
            {
                await Admin(http, HttpMethod.Put, $"v1/users/b-{u}/subscriptions", """{"marketing": true}""");
            }
        }));

        await Admin(http, HttpMethod.Put, "v1/segments/reachable", """{"rule": "has_push_token and subscribed(\"marketing\") and count(\"Application Opened\", 1d) >= 1"}""");
        await Until(async () => (long?)(await Admin(http, HttpMethod.Get, "v1/segments/reachable"))["size"] >= users && (string?)(await Admin(http, HttpMethod.Get, "v1/segments/reachable"))["status"] == "ready", TimeSpan.FromMinutes(5));
        await Admin(http, HttpMethod.Put, "v1/campaigns/blast", """
            {"audience": {"segment": "reachable"}, "trigger": {"type": "manual"}, "message": {"title": "Sale", "body": "Today only"},
             "quietHours": {"enabled": false}, "throttlePerMinute": 10000000}
            """);
        await Admin(http, HttpMethod.Post, "v1/campaigns/blast/launch");
        var clock = Stopwatch.StartNew();
        await Admin(http, HttpMethod.Post, "v1/campaigns/blast/send");
        await Until(async () => (await Admin(http, HttpMethod.Get, "v1/campaigns/blast"))["broadcast"] is null, TimeSpan.FromMinutes(10));
        var elapsed = clock.Elapsed;
        long sent = (long)(await Admin(http, HttpMethod.Get, "v1/campaigns/blast/stats"))["total"]!["sent"]!;
        if (sent != users) throw new InvalidOperationException($"The broadcast sent {sent} of {users}.");
        return users / elapsed.TotalSeconds;
    }

    private static async Task Until(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > timeout) throw new TimeoutException($"Not done within {timeout}.");

            // Why: polling a real server on real time (a benchmark, not a test).
            await Task.Delay(50);
        }
    }

    private static async Task<JsonNode> Admin(HttpClient http, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body.Length == 0 ? "{}" : body)!;
    }

    private static HttpClient Client(Uri address)
    {
        var http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(BenchmarkServer.WriteKey + ":")));
        return http;
    }

    private static async Task<double> Timed(HttpClient http, List<byte[]> bodies, int events, int concurrency)
    {
        var clock = Stopwatch.StartNew();
        await Send(http, bodies, concurrency);
        return events / clock.Elapsed.TotalSeconds;
    }

    private static async Task Send(HttpClient http, List<byte[]> bodies, int concurrency)
    {
        int next = -1;
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
                    if (attempt == 20) throw new InvalidOperationException($"A batch failed 20 times, last with {(int)response.StatusCode}.");

                    // Why: a load generator's client back-off against a real server on real time (not a test).
                    await Task.Delay(100);
                }
            }
        }));
    }

    /// <summary>Batches of 100 events of distinct users: event e of every user, then e + 1.</summary>
    private static List<byte[]> Bodies(string prefix, int users, int fromEvent, int toEvent)
    {
        var bodies = new List<byte[]>();
        var text = new StringBuilder();
        int inBatch = 0;
        foreach (var (u, e) in Enumerable.Range(fromEvent, toEvent - fromEvent).SelectMany(e => Enumerable.Range(0, users).Select(u => (u, e))))
        {
            text.Append(inBatch == 0 ? "{\"batch\":[" : ",");
            text.Append(CultureInfo.InvariantCulture,
                $"{{\"type\":\"track\",\"userId\":\"{prefix}-{u}\",\"event\":\"Product Viewed\",\"messageId\":\"{prefix}-{u}-{e}\",\"properties\":{{\"category\":\"books\",\"price\":12.5}}}}");
            if (++inBatch == 100)
            {
                bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
                text.Clear();
                inBatch = 0;
            }
        }

        if (inBatch > 0) bodies.Add(Encoding.UTF8.GetBytes(text.Append("]}").ToString()));
        return bodies;
    }

    private static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int value) ? value : fallback;
    }

    private sealed record Figures(string Backend, double NewUsersPerSecond, double ActiveEventsPerSecond, double PushesPerSecond, double ActivationsPerSecond, double BytesPerUser);
}
