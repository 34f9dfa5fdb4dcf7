using Orleans.Segments.Wakeups;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>A server whose clock the tests move forward, then let the wake-up service catch up.</summary>
public sealed class TimeTravelServerFixture : ServerFixture
{
    // Why: the dispatcher fires every bucket it passes, in order; with the default one-minute buckets a jump of
    // a month is 44,640 buckets of 16 shards (about 30 s here). Hour-wide buckets keep the same logic at 1/60
    // of the cost, and a change still fires within the hour after it is due, well inside a jump of days.
    protected override IEnumerable<string> ExtraArguments => ["--Segments:Wakeups:BucketWidth=01:00:00"];

    /// <summary>Moves the clock forward and runs the wake-up dispatcher once, as its timer would.</summary>
    public async Task<long> AdvanceAndWakeAsync(TimeSpan by)
    {
        Time.Advance(by);
        return await Grains.GetGrain<IWakeupDispatcherGrain>(0).Tick();
    }
}
