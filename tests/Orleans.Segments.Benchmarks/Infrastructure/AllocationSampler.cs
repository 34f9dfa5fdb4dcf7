using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>
/// Which types a measured span allocates, from the runtime's own sampling (the GC's AllocationTick event, one
/// sample about every 100 KB allocated): each sample is attributed to the type whose allocation crossed the
/// threshold, so over many samples the shares approach each type's share of the bytes.
/// </summary>
public sealed class AllocationSampler : EventListener
{
    private const int AllocationTick = 10;
    private const EventKeywords GcKeyword = (EventKeywords)0x1;

    private readonly ConcurrentDictionary<string, long> bytesByType = new(StringComparer.Ordinal);
    private volatile bool recording;

    public void Start() => recording = true;

    public void Stop() => recording = false;

    /// <summary>The <paramref name="top"/> types by sampled bytes, as "share type" lines.</summary>
    public IEnumerable<string> Top(int top)
    {
        long total = Math.Max(1, bytesByType.Values.Sum());
        return bytesByType.OrderByDescending(p => p.Value).Take(top).Select(p => $"{100.0 * p.Value / total,5:0.0} % {p.Key}");
    }

    protected override void OnEventSourceCreated(EventSource source)
    {
        if (source.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(source, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs e)
    {
        if (!recording || e.EventId != AllocationTick || e.Payload is null || e.PayloadNames is null) return;
        int typeAt = e.PayloadNames.IndexOf("TypeName");
        int amountAt = e.PayloadNames.IndexOf("AllocationAmount64");
        if (typeAt < 0) return;
        string type = e.Payload[typeAt] as string ?? "?";
        long amount = amountAt >= 0 && e.Payload[amountAt] is ulong a ? (long)a : 100_000;
        bytesByType.AddOrUpdate(type, amount, (_, sum) => sum + amount);
    }
}
