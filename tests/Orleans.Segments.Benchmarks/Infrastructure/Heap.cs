namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>Managed heap measurements for the memory figures.</summary>
public static class Heap
{
    /// <summary>Collects fully (compacting, finalizers run) and returns the bytes still reachable.</summary>
    public static long Settle()
    {
        for (int i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
