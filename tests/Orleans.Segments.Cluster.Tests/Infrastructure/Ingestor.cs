using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>
/// A mobile backend with retries: sends batches of track events to the given servers from a few workers,
/// resending a batch (same messageIds) to the next server until it is acknowledged with 200, and counts per
/// user exactly what was acknowledged. Every loop is bounded by a deadline.
/// </summary>
public sealed class Ingestor(IReadOnlyList<Uri> targets, int workers = 4)
{
    private readonly ConcurrentDictionary<string, long> acknowledged = new();
    private readonly ConcurrentQueue<Answer> answers = new();
    private int acknowledgedBatches;

    /// <summary>Events acknowledged per user.</summary>
    public IReadOnlyDictionary<string, long> Acknowledged => acknowledged;

    /// <summary>Every answer (or failure to answer) the servers gave, in the order they came.</summary>
    public IReadOnlyCollection<Answer> Answers => answers;

    public int AcknowledgedBatches => Volatile.Read(ref acknowledgedBatches);

    /// <summary>Servers no longer to send to (a killed silo); the ingestor skips them.</summary>
    public ConcurrentDictionary<Uri, bool> Excluded { get; } = new();

    /// <summary>Sends every batch until acknowledged; fails the test if the deadline passes first.</summary>
    public async Task SendAllAsync(IReadOnlyList<(string UserId, string MessageId)[]> batches, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        var clients = targets.ToDictionary(t => t, t => SegmentsHttp.Client(t, TimeSpan.FromSeconds(20)));
        int next = -1;
        try
        {
            await Task.WhenAll(Enumerable.Range(0, workers).Select(async worker =>
            {
                int attempt = worker;
                for (int i = Interlocked.Increment(ref next); i < batches.Count; i = Interlocked.Increment(ref next))
                {
                    while (true)
                    {
                        if (clock.Elapsed > deadline) throw new TimeoutException($"Batch {i} was not acknowledged within {deadline.TotalSeconds:0} s.");
                        var target = targets[attempt++ % targets.Count];
                        if (Excluded.ContainsKey(target)) continue;
                        if (await SendOnceAsync(clients[target], batches[i], clock))
                        {
                            foreach (var (userId, _) in batches[i]) acknowledged.AddOrUpdate(userId, 1, (_, n) => n + 1);
                            Interlocked.Increment(ref acknowledgedBatches);
                            break;
                        }

                        // Why: a real client's back-off before retrying an unacknowledged batch against real
                        // processes (bounded by the deadline above); fake time cannot reach them.
                        await Task.Delay(100);
                    }
                }
            }));
        }
        finally
        {
            foreach (var client in clients.Values) client.Dispose();
        }
    }

    private async Task<bool> SendOnceAsync(HttpClient http, (string UserId, string MessageId)[] batch, Stopwatch clock)
    {
        var started = clock.Elapsed;
        try
        {
            using var response = await http.SendAsync(SegmentsHttp.Batch(batch));
            answers.Enqueue(new Answer(started, clock.Elapsed, (int)response.StatusCode, response.Headers.RetryAfter is not null));
            return response.StatusCode == HttpStatusCode.OK;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            answers.Enqueue(new Answer(started, clock.Elapsed, 0, false));
            return false;
        }
    }

    /// <summary>Batches of <paramref name="size"/> events over <paramref name="users"/> users, each user's events numbered.</summary>
    public static List<(string UserId, string MessageId)[]> Plan(string prefix, int users, int eventsPerUser, int size)
    {
        var events = new List<(string, string)>();
        for (int e = 0; e < eventsPerUser; e++)
        {
            for (int u = 0; u < users; u++) events.Add(($"{prefix}-user-{u}", $"{prefix}-user-{u}-event-{e}"));
        }

        return events.Chunk(size).ToList();
    }
}

/// <summary>One answer: when the request started and ended (since sending began), its status (0: no answer), and whether it said Retry-After.</summary>
public sealed record Answer(TimeSpan Started, TimeSpan Ended, int Status, bool RetryAfter);
