namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>Collections and GC pause time over a measured span, to tell a slow round caused by the GC from one that is not.</summary>
public readonly struct GcWatch
{
    private readonly int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
    private readonly TimeSpan paused = GC.GetTotalPauseDuration();
    private readonly long allocated = GC.GetTotalAllocatedBytes(precise: false);

    public GcWatch()
    {
    }

    /// <summary>E.g. <c>allocated 12.3 KB per event, GC 12/3/1 (gen0/1/2), paused 85 ms = 4 % of the round</c>.</summary>
    public string Describe(TimeSpan elapsed, long units, string unit)
    {
        var pause = GC.GetTotalPauseDuration() - paused;
        double perUnit = (GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1024.0 / Math.Max(1, units);
        return $"allocated {perUnit:0.0} KB per {unit} (whole process), " +
            $"GC {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen0/1/2), " +
            $"paused {pause.TotalMilliseconds:0} ms = {pause / elapsed:P0} of the round";
    }
}
