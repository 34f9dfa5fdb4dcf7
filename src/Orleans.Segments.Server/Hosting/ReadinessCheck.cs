using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Orleans.Segments.Server.Hosting;

/// <summary>Ready when a grain call completes within two seconds.</summary>
public sealed class ReadinessCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IPingGrain>(0).Ping().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy("Grain calls succeed.");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("Grain calls fail.", ex);
        }
    }
}
