namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>
/// A clock for the grains that moves only when the benchmark sets it. Only <see cref="GetUtcNow"/> is replaced:
/// timers still run on real time, so moving the clock days ahead never fires the wake-up dispatcher's timer; the
/// benchmark calls <c>Tick()</c> itself and times it.
/// </summary>
// Why: FakeTimeProvider (Microsoft.Extensions.TimeProvider.Testing) is not referenced by this project, and its
// Advance would run every timer period that was skipped (thousands of dispatcher ticks for a day's jump).
public sealed class ManualClock(DateTime start) : TimeProvider
{
    private long ticks = start.Ticks;

    public DateTime UtcNow => new(Interlocked.Read(ref ticks), DateTimeKind.Utc);

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref ticks), TimeSpan.Zero);

    public void Set(DateTime utc) => Interlocked.Exchange(ref ticks, utc.Ticks);
}
