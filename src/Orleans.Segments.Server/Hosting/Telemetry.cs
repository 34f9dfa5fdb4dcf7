using OpenTelemetry.Metrics;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Server.Hosting;

/// <summary>
/// OpenTelemetry metrics with a Prometheus scrape endpoint at <c>/metrics</c> (behind the operator key): the
/// engine's own instruments, Orleans' (grain calls, activations, messaging) and ASP.NET Core's (request
/// durations by route and status, Kestrel connections).
/// </summary>
public static class Telemetry
{
    public static IServiceCollection AddSegmentsTelemetry(this IServiceCollection services)
    {
        services.AddSingleton<SegmentsMetrics>();
        services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(SegmentsMetrics.MeterName, "Microsoft.Orleans", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime")
            .AddPrometheusExporter(o =>
            {
                // Why: the exporter's default keeps a scrape's answer for 300 ms, so a scrape right after a change
                // could miss it; scrapes come every few seconds at most, so each is answered fresh.
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        services.ConfigureOpenTelemetryMeterProvider((provider, builder) =>
        {
            // Why: OpenTelemetry listens to meters by name across the process, and merges same-named instruments
            // into one stream; when another host in the process stops, its meters are disposed and that stream
            // stops being exported (open-telemetry/opentelemetry-dotnet#6412). A meter made by another host's
            // factory is not ours to export, so only this host's factory's meters (and unscoped ones) are kept.
            var own = provider.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>();
            builder.AddView(instrument => instrument.Meter.Scope is { } scope && !ReferenceEquals(scope, own) ? MetricStreamConfiguration.Drop : null);
        });
        return services;
    }

    public static IEndpointRouteBuilder MapSegmentsMetrics(this IEndpointRouteBuilder routes)
    {
        routes.MapPrometheusScrapingEndpoint("/metrics");
        return routes;
    }
}
