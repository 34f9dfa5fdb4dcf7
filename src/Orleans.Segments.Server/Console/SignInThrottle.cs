using System.Collections.Concurrent;

namespace Orleans.Segments.Server.Console;

/// <summary>
/// Slows key guessing at the console's sign-in: after 5 failed attempts within a minute from one address, that
/// address must wait until the oldest of them is a minute old.
/// </summary>
public sealed class SignInThrottle(TimeProvider time)
{
    private const int Attempts = 5;
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> failures = new();

    /// <summary>How long <paramref name="address"/> must wait before it may try again, or zero.</summary>
    public TimeSpan WaitFor(string address)
    {
        if (!failures.TryGetValue(address, out var queue)) return TimeSpan.Zero;
        lock (queue)
        {
            var now = time.GetUtcNow();
            while (queue.Count > 0 && now - queue.Peek() >= Window) queue.Dequeue();
            return queue.Count < Attempts ? TimeSpan.Zero : Window - (now - queue.Peek());
        }
    }

    public void Failed(string address)
    {
        var queue = failures.GetOrAdd(address, _ => new Queue<DateTimeOffset>());
        lock (queue)
        {
            queue.Enqueue(time.GetUtcNow());
            while (queue.Count > Attempts) queue.Dequeue();
        }

        if (failures.Count > 100_000) failures.Clear();
    }

    public void Succeeded(string address) => failures.TryRemove(address, out _);
}
