using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Server;

namespace Orleans.Segments.Benchmarks.Production;

/// <summary>The real server, in this process, on a free loopback port: embedded (in memory), on Redis or on Azure Storage.</summary>
public sealed class BenchmarkServer : IAsyncDisposable
{
    public const string WriteKey = "wk_bench_0123456789abcdef";

    public const string AdminKey = "ak_bench_0123456789abcdef";

    private readonly WebApplication app;

    private BenchmarkServer(WebApplication app) => this.app = app;

    public Uri BaseAddress => new(app.Urls.Single());

    public IGrainFactory Grains => app.Services.GetRequiredService<IGrainFactory>();

    public IServiceProvider Services => app.Services;

    public static Task<BenchmarkServer> StartAsync(string clusterId, string? redis) =>
        StartAsync(clusterId, redis is null ? [] : [$"--Segments:Redis:ConnectionString={redis}"]);

    /// <summary>The server with <paramref name="storage"/> settings (none: embedded).</summary>
    public static async Task<BenchmarkServer> StartAsync(string clusterId, IEnumerable<string> storage)
    {
        var ports = FreePorts(2);
        var args = new List<string>
        {
            "--urls=http://127.0.0.1:0",
            $"--Segments:ClusterId={clusterId}",
            $"--Segments:Server:SiloPort={ports[0]}",
            $"--Segments:Server:GatewayPort={ports[1]}",
            "--Segments:Server:AdvertisedAddress=127.0.0.1",
            "--Segments:Server:OperatorKey=op_bench_0123456789abcdef",
            $"--Segments:Apps:bench:WriteKey={WriteKey}",
            $"--Segments:Apps:bench:AdminKey={AdminKey}",
            "--Segments:RateLimits:Enabled=false",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
            "--Logging:LogLevel:Orleans.Segments=Warning",
        };
        args.AddRange(storage);
        var app = SegmentsServer.CreateBuilder([.. args]).Build();
        app.MapSegments();
        await app.StartAsync();
        return new BenchmarkServer(app);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0)).ToList();
        foreach (var l in listeners) l.Start();
        var ports = listeners.Select(l => ((System.Net.IPEndPoint)l.LocalEndpoint).Port).ToArray();
        foreach (var l in listeners) l.Stop();
        return ports;
    }
}
