using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Segments.Hosting;
using Orleans.TestingHost;

namespace Orleans.Segments.Benchmarks.Infrastructure;

/// <summary>
/// An in-process silo shaped like the embedded server's (localhost clustering, in-memory grain storage and
/// reminders, <c>AddSegments</c>), without the HTTP layer. Ports are free ones, so runs beside tests don't clash.
/// The in-memory storage keeps each state serialized (in the format <c>AddSegments</c> chooses), as Redis would.
/// </summary>
public sealed class BenchSilo : IAsyncDisposable
{
    private readonly IHost host;

    private BenchSilo(IHost host) => this.host = host;

    public IGrainFactory Grains => host.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => host.Services;

    /// <summary>Starts a silo; with <paramref name="clock"/>, grains see that clock and the runtime real time.</summary>
    public static async Task<BenchSilo> StartAsync(ManualClock? clock = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());

        // Why: a log line per request would measure the console, not the engine; warnings and errors still show.
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);

        if (clock is not null)
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        }

        int siloPort = FreePort(), gatewayPort = FreePort();
        builder.UseOrleans(silo => silo
            .UseLocalhostClustering(siloPort, gatewayPort)
            .AddProcessGrainStorage(SegmentsStorage.Name)
            .UseInMemoryReminderService()
            .AddSegments(builder.Configuration));

        services?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return new BenchSilo(host);
    }

    /// <summary>Deactivates every idle activation, as the activation collector does with silent users' grains.</summary>
    public Task DeactivateIdleAsync() => Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public Task<int> ActivationCountAsync() => Grains.GetGrain<IManagementGrain>(0).GetTotalActivationCount();

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync();
        host.Dispose();
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
