using System.Diagnostics.Metrics;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Grains.Tests;

/// <summary>
/// Counts the pushes handed to APNs/FCM for one app, as the engine's own <c>segments.sends</c> counter records them
/// (outcome delivered or failed), whether or not the user's message log kept a trace: a push made by a turn whose
/// write then failed is in this count, not in the log.
/// </summary>
internal sealed class HandOverCounter : IDisposable
{
    private readonly MeterListener listener = new();
    private long handedOver;

    public HandOverCounter(string appId)
    {
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == SegmentsMetrics.MeterName && instrument.Name == "segments.sends") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            string? app = null, outcome = null;
            foreach (var tag in tags)
            {
                if (tag.Key == "app") app = tag.Value as string;
                else if (tag.Key == "outcome") outcome = tag.Value as string;
            }

            if (app == appId && outcome is "delivered" or "failed") Interlocked.Add(ref handedOver, value);
        });
        listener.Start();
    }

    public long HandedOver => Interlocked.Read(ref handedOver);

    public void Dispose() => listener.Dispose();
}
