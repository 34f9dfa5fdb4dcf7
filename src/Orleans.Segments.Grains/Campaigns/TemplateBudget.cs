using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// Each app's share of this silo's template rendering time: a bucket per app that fills at
/// <c>Segments:Templates:AppBudgetPerSecond</c> up to <c>AppBudgetBurst</c> and empties by the time each rendering
/// took. An app whose bucket is empty has its renderings fail with <c>template_error</c> until it refills, so
/// one app's expensive templates cannot take the cores every other app needs.
/// </summary>
public sealed class TemplateBudget(IOptionsMonitor<SegmentsOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    /// <summary>Whether the app may render now (its bucket is not empty).</summary>
    public bool MayRender(string appId)
    {
        var limits = options.CurrentValue.Templates;
        return Of(appId, limits).Available(time.GetTimestamp(), time, limits) > 0;
    }

    /// <summary>Takes the time a rendering used from the app's bucket.</summary>
    public void Charge(string appId, TimeSpan used)
    {
        var limits = options.CurrentValue.Templates;
        Of(appId, limits).Take(time.GetTimestamp(), time, used, limits);
    }

    /// <summary>A timestamp to measure a rendering from.</summary>
    /// <remarks>
    /// Why the process's stopwatch and not <c>time</c>: a rendering costs real CPU time, whatever the app's clock
    /// says. Measured on a clock that a test (or anything else) moves forward while a rendering runs, a
    /// microsecond's rendering was charged an hour and emptied the app's budget (a push suppressed as
    /// <c>template_error</c> in CI). Refilling stays on <c>time</c>, so the budget's rate follows the app's clock.
    /// </remarks>
    public static long Timestamp() => System.Diagnostics.Stopwatch.GetTimestamp();

    /// <summary>The real time a rendering took since <paramref name="started"/> (see <see cref="Timestamp"/>).</summary>
    public static TimeSpan Since(long started) => System.Diagnostics.Stopwatch.GetElapsedTime(started);

    private Bucket Of(string appId, Domain.Campaigns.TemplateLimits limits) =>
        buckets.GetOrAdd(appId, static (_, state) => new Bucket(state.Burst, state.Now), (Burst: limits.AppBudgetBurst, Now: time.GetTimestamp()));

    private sealed class Bucket(TimeSpan full, long now)
    {
        private readonly Lock gate = new();
        private double seconds = full.TotalSeconds;
        private long refilledAt = now;

        public double Available(long now, TimeProvider time, Domain.Campaigns.TemplateLimits limits)
        {
            lock (gate) return Refill(now, time, limits);
        }

        public void Take(long now, TimeProvider time, TimeSpan used, Domain.Campaigns.TemplateLimits limits)
        {
            lock (gate)
            {
                Refill(now, time, limits);
                seconds -= used.TotalSeconds;
            }
        }

        private double Refill(long now, TimeProvider time, Domain.Campaigns.TemplateLimits limits)
        {
            double elapsed = time.GetElapsedTime(refilledAt, now).TotalSeconds;
            refilledAt = now;
            seconds = Math.Min(limits.AppBudgetBurst.TotalSeconds, seconds + elapsed * limits.AppBudgetPerSecond.TotalSeconds);
            return seconds;
        }
    }
}
