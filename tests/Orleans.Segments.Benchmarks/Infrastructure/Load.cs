using System.Diagnostics;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>Runs numbered work items with a bounded number in flight, like a pool of clients.</summary>
public static class Load
{
    /// <summary>
    /// Runs <paramref name="work"/> for items 0..count-1, at most <paramref name="concurrency"/> at once; after
    /// <paramref name="duration"/> no new item starts. Returns how many items ran and the wall time.
    /// </summary>
    public static async Task<(int Done, TimeSpan Elapsed)> RunAsync(int count, int concurrency, TimeSpan? duration, Func<int, Task> work)
    {
        int next = -1;
        int done = 0;
        var clock = Stopwatch.StartNew();

        async Task Worker()
        {
            while (true)
            {
                int item = Interlocked.Increment(ref next);
                if (item >= count || (duration is { } limit && clock.Elapsed >= limit)) return;
                await work(item);
                Interlocked.Increment(ref done);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, concurrency)).Select(_ => Task.Run(Worker)));
        return (done, clock.Elapsed);
    }
}
