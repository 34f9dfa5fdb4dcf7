using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Orleans.Segments.Push.Tests;

/// <summary>
/// Fake time that says when code starts waiting on it, so a test can advance exactly over each retry delay
/// instead of sleeping or guessing. Only the senders' retry delays make timers on it.
/// </summary>
public sealed class SignallingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private Channel<TimeSpan>? waits;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        waits?.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>
    /// Awaits <paramref name="send"/> (started by <paramref name="start"/>), advancing time over every delay it
    /// waits on; returns its result and the delays, in order.
    /// </summary>
    public async Task<(T Result, List<TimeSpan> Delays)> Drive<T>(Func<Task<T>> start)
    {
        var channel = Channel.CreateUnbounded<TimeSpan>();
        waits = channel;
        var delays = new List<TimeSpan>();
        try
        {
            var send = start();
            while (true)
            {
                var nextWait = channel.Reader.ReadAsync().AsTask();
                // Why: a real-time ceiling only so that a broken sender fails the test instead of hanging it.
                var first = await Task.WhenAny(send, nextWait).WaitAsync(TimeSpan.FromSeconds(30));
                if (first == send) return (await send, delays);
                var due = await nextWait;
                delays.Add(due);
                Advance(due);
            }
        }
        finally
        {
            waits = null;
        }
    }
}
