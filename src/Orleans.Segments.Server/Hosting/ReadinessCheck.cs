using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// Ready when a grain call completes within two seconds, the process is below its memory ceiling, and its
/// requests are not stuck (some wait, none has finished for <see cref="ServerOptions.StuckRequestsAfter"/>).
/// </summary>
public sealed class ReadinessCheck(IGrainFactory grains, IOptions<ServerOptions> options, RequestWatch requests) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        long ceiling = CeilingBytes(options.Value);
        long used = Environment.WorkingSet;
        var data = new Dictionary<string, object>
        {
            ["workingSetMegabytes"] = used / (1024 * 1024),
            ["memoryCeilingMegabytes"] = ceiling / (1024 * 1024),
            ["requestsInFlight"] = requests.InFlight,
        };

        if (used > ceiling)
        {
            return HealthCheckResult.Unhealthy($"The process uses {used / (1024 * 1024)} MB, above its ceiling of {ceiling / (1024 * 1024)} MB (Segments:Server:MemoryCeilingMegabytes).", data: data);
        }

        // Why: this check is itself a request in flight, so "waiting" means more than this one.
        var idle = requests.SinceLastFinished;
        if (requests.InFlight > 1 && idle > options.Value.StuckRequestsAfter)
        {
            return HealthCheckResult.Unhealthy($"{requests.InFlight - 1} request(s) are waiting and none has finished for {idle.TotalSeconds:0} s.", data: data);
        }

        try
        {
            await grains.GetGrain<IPingGrain>(0).Ping().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy("Grain calls succeed.", data);
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Grain calls fail.", ex, data);
        }
    }

    /// <summary>The configured ceiling, or 90% of the memory the runtime may use.</summary>
    public static long CeilingBytes(ServerOptions options) =>
        options.MemoryCeilingMegabytes is { } megabytes
            ? megabytes * 1024 * 1024
            : (long)(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes * 0.9);
}
