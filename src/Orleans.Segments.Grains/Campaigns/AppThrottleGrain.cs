using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Campaigns;

/// <summary>
/// The app-wide broadcast throttle: tokens accrue at the app's pushes-per-minute rate (read through
/// <see cref="TimeProvider"/>), at most one minute's worth, and it starts full. In memory: a restart refills it,
/// which at most lets one extra minute's worth through.
/// </summary>
public sealed class AppThrottleGrain(TimeProvider time, IOptionsMonitor<SegmentsOptions> options) : Grain, IAppThrottleGrain
{
    private double tokens;
    private DateTime refilledAt;

    Task<int> IAppThrottleGrain.Acquire(int wanted)
    {
        double rate = options.CurrentValue.PolicyFor(this.GetPrimaryKeyString()).Campaigns.ThrottlePerMinute;
        var now = time.GetUtcNow().UtcDateTime;
        if (refilledAt == default) (tokens, refilledAt) = (rate, now);
        tokens = Math.Min(rate, tokens + rate * Math.Max(0, (now - refilledAt).TotalMinutes));
        refilledAt = now;
        int granted = (int)Math.Min(wanted, Math.Floor(tokens));
        tokens -= granted;
        return Task.FromResult(granted);
    }
}
