using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Orleans.Segments.Benchmarks.Infrastructure;
using Orleans.Segments.Benchmarks.Workload;
using Orleans.Segments.Server;

namespace Orleans.Segments.Benchmarks.Scenarios;

/// <summary>
/// <c>http-batch</c>: a load generator for <c>POST /v1/batch</c>. Starts the real server in this process (or uses
/// <c>--url</c> and <c>--write-key</c>) and sends pre-built Segment batches over loopback with a fixed number of
/// requests in flight, bounded by count and by duration; reports events/s and request latency.
/// </summary>
public static class HttpBatchScenario
{
    public const string Name = "http-batch";
    private const string BenchWriteKey = "wk_benchmark_write_key_0001";
    private const string BenchAdminKey = "ak_benchmark_admin_key_0001";

    public sealed record Settings(string? Url, string WriteKey, int Rounds, int RequestsPerRound, TimeSpan MaxRoundTime, BatchShape Shape, int Concurrency)
    {
        public static Settings From(BenchArgs args)
        {
            int users = args.Int("users", 10_000);
            var shape = new BatchShape(users, args.Int("users-per-batch", 20), args.Int("events-per-user", 5), args.Flag("anonymous-ids", true));
            return new Settings(args.Text("url"), args.Text("write-key") ?? BenchWriteKey, args.Int("rounds", 5),
                args.Int("requests", 1_000), TimeSpan.FromSeconds(args.Double("duration", 60)), shape, args.Int("concurrency", 16));
        }
    }

    public sealed record Outcome(Stats EventsPerSecond, Stats P50Milliseconds, Stats P99Milliseconds);

    public static async Task<Outcome> RunAsync(Settings s)
    {
        Report.Info(Name, $"{s.Shape.Users:N0} users, {s.Rounds} rounds of up to {s.RequestsPerRound:N0} requests (or {s.MaxRoundTime.TotalSeconds:0} s) " +
            $"of {s.Shape.EventsPerBatch} events ({s.Shape.UsersPerBatch} users x {s.Shape.EventsPerUser}), {s.Concurrency} requests in flight");

        await using var server = s.Url is null ? await InProcessServer.StartAsync() : null;
        string url = s.Url ?? server!.Url;
        Report.Info(Name, s.Url is null
            ? $"started the server in this process at {url}; the GC figures below cover server and load generator"
            : $"target {url}; the GC figures below cover this load generator only");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = s.Concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(s.WriteKey + ":")));
        var random = new Random(23);

        // Warm-up (not timed): one event for every user, so rounds measure resident users and warm connections.
        var warmup = Enumerable.Range(0, s.Shape.Users).Chunk(100)
            .Select(users => SegmentJson.Batch(random, users, 1, s.Shape.AnonymousIds, DateTime.UtcNow)).ToArray();
        await Load.RunAsync(warmup.Length, s.Concurrency, null, async i => await Send(http, warmup[i]));

        // Why: round 0 (a full round, not counted) lets tiered JIT and dynamic PGO settle; without it the first
        // round runs unoptimized code and measures the JIT.
        var rates = new List<double>();
        var p50s = new List<double>();
        var p99s = new List<double>();
        for (int round = 0; round <= s.Rounds; round++)
        {
            var now = DateTime.UtcNow;
            var bodies = Enumerable.Range(0, s.RequestsPerRound).Select(_ => SegmentJson.Batch(random, s.Shape, now)).ToArray();
            var latencies = new double[bodies.Length];
            Heap.Settle();

            var gc = new GcWatch();
            var (done, elapsed) = await Load.RunAsync(bodies.Length, s.Concurrency, s.MaxRoundTime, async i => latencies[i] = await Send(http, bodies[i]));

            var sorted = latencies.Take(done).Order().ToArray();
            double rate = (double)done * s.Shape.EventsPerBatch / elapsed.TotalSeconds;
            double p50 = Stats.Percentile(sorted, 50), p99 = Stats.Percentile(sorted, 99);
            if (round > 0)
            {
                rates.Add(rate);
                p50s.Add(p50);
                p99s.Add(p99);
            }

            Report.Round(Name, round, s.Rounds, $"{(round == 0 ? "(warm-up, not counted) " : "")}{done:N0} requests ({done * s.Shape.EventsPerBatch:N0} events) in {elapsed.TotalSeconds:0.00} s = " +
                $"{rate:N0} events/s, latency p50 {p50:0.0} ms, p99 {p99:0.0} ms; {gc.Describe(elapsed, (long)done * s.Shape.EventsPerBatch, "event")}");
        }

        var outcome = new Outcome(Stats.Of(rates), Stats.Of(p50s), Stats.Of(p99s));
        Report.Result(Name, "events/s", outcome.EventsPerSecond, "events/s", Target.AtLeast(20_000, "events/s"));
        Report.Result(Name, "latency p50", outcome.P50Milliseconds, "ms");
        Report.Result(Name, "latency p99", outcome.P99Milliseconds, "ms");
        return outcome;
    }

    /// <summary>Posts one batch; returns its latency in milliseconds, or throws unless the server answered 200.</summary>
    private static async Task<double> Send(HttpClient http, byte[] body)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        long start = Stopwatch.GetTimestamp();
        using var response = await http.PostAsync("/v1/batch", content);
        string text = await response.Content.ReadAsStringAsync();
        var latency = Stopwatch.GetElapsedTime(start);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"POST /v1/batch answered {(int)response.StatusCode}: {text[..Math.Min(text.Length, 300)]}");
        }

        return latency.TotalMilliseconds;
    }

    /// <summary>The real server (<c>SegmentsServer.CreateBuilder</c> + <c>MapSegments</c>) on a free loopback port.</summary>
    private sealed class InProcessServer(WebApplication app, string url) : IAsyncDisposable
    {
        public string Url => url;

        public static async Task<InProcessServer> StartAsync()
        {
            string url = $"http://127.0.0.1:{BenchSilo.FreePort()}";
            var builder = SegmentsServer.CreateBuilder(
            [
                $"--urls={url}",
                $"--Segments:Apps:{Persona.AppId}:WriteKey={BenchWriteKey}",
                $"--Segments:Apps:{Persona.AppId}:AdminKey={BenchAdminKey}",
                $"--Segments:Server:SiloPort={BenchSilo.FreePort()}",
                $"--Segments:Server:GatewayPort={BenchSilo.FreePort()}",
                // Why: a log line per request would measure the console; warnings and errors still show.
                "--Logging:LogLevel:Default=Warning",
            ]);
            var app = builder.Build();
            app.MapSegments();
            await app.StartAsync();
            return new InProcessServer(app, url);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
