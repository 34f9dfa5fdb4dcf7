using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>
/// The real server, started in-process the way <c>Program.cs</c> starts it, listening on Kestrel over real HTTP
/// on a free loopback port, with its own silo and gateway ports. It serves two apps with known keys
/// (<see cref="TestApps"/>) and gives grains a <see cref="FakeTimeProvider"/>, so no test sleeps.
/// </summary>
public class ServerFixture : IAsyncLifetime
{
    /// <summary>Where the fake clock starts.</summary>
    public static readonly DateTimeOffset StartTime = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private WebApplication? app;
    private HttpClient? http;

    /// <summary>The clock every grain reads; Orleans' own maintenance loops stay on real time.</summary>
    public FakeTimeProvider Time { get; } = new(StartTime);

    /// <summary>Where the server listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>A client with no credentials; each request carries its own.</summary>
    public HttpClient Http => http ?? throw new InvalidOperationException("The server has not started.");

    public IServiceProvider Services => app?.Services ?? throw new InvalidOperationException("The server has not started.");

    public IGrainFactory Grains => Services.GetRequiredService<IGrainFactory>();

    /// <summary>Command-line configuration a derived fixture adds to the common one (later arguments win).</summary>
    protected virtual IEnumerable<string> ExtraArguments => [];

    /// <summary>A derived fixture's changes to the server's services (for example a log capture).</summary>
    protected virtual void Configure(WebApplicationBuilder builder)
    {
    }

    public async Task InitializeAsync()
    {
        var (siloPort, gatewayPort) = TwoFreePorts();
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--Segments:ClusterId=server-tests-{Guid.NewGuid():N}",
            $"--Segments:Server:SiloPort={siloPort}",
            $"--Segments:Server:GatewayPort={gatewayPort}",
            $"--Segments:Apps:{TestApps.Shop.Id}:WriteKey={TestApps.Shop.WriteKey}",
            $"--Segments:Apps:{TestApps.Shop.Id}:AdminKey={TestApps.Shop.AdminKey}",
            $"--Segments:Apps:{TestApps.Other.Id}:WriteKey={TestApps.Other.WriteKey}",
            $"--Segments:Apps:{TestApps.Other.Id}:AdminKey={TestApps.Other.AdminKey}",
            $"--Segments:Apps:{TestApps.Lab.Id}:WriteKey={TestApps.Lab.WriteKey}",
            $"--Segments:Apps:{TestApps.Lab.Id}:AdminKey={TestApps.Lab.AdminKey}",
            $"--Segments:Apps:{TestApps.Lab.Id}:Campaigns:ControlGroupPercent=50",
            $"--Segments:Apps:{TestApps.Lab.Id}:QuietHours:Enabled=false",
            $"--Segments:Apps:{TestApps.Web.Id}:WriteKey={TestApps.Web.WriteKey}",
            $"--Segments:Apps:{TestApps.Web.Id}:AdminKey={TestApps.Web.AdminKey}",
            $"--Segments:Apps:{TestApps.Web.Id}:AllowedOrigins:0={TestApps.WebOrigin}",
            $"--Segments:Server:OperatorKey={TestApps.OperatorKey}",
            // Why: seventy tests share these keys at once; the limits themselves are tested on a server of their own.
            "--Segments:RateLimits:WriteKeyPerSecond=1000000",
            "--Segments:RateLimits:WriteKeyBurst=1000000",
            "--Segments:RateLimits:AdminKeyPerSecond=1000000",
            "--Segments:RateLimits:AdminKeyBurst=1000000",
            "--Segments:RateLimits:UnidentifiedPerSecond=1000000",
            "--Segments:RateLimits:UnidentifiedBurst=1000000",
            "--Logging:LogLevel:Default=Warning",
            "--Logging:LogLevel:Orleans=Error",
            "--Logging:LogLevel:Orleans.Segments=Warning",
            .. ExtraArguments,
        ];

        var builder = SegmentsServer.CreateBuilder(args);

        // Why: the last TimeProvider registered is the one resolved, so grains read the fake clock; Orleans'
        // own areas (membership, messaging timeouts, reminders) keep real time, or advancing the fake clock
        // by days would expire the cluster's own leases and calls.
        builder.Services.AddSingleton<TimeProvider>(Time);
        builder.Services.UseTimeProviderForBackgroundAreas(TimeProvider.System);
        Configure(builder);

        app = builder.Build();
        app.MapSegments();
        await app.StartAsync();

        BaseAddress = new Uri(app.Urls.Single());
        http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
    }

    public async Task DisposeAsync()
    {
        http?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Two distinct free loopback ports, both held open while the second is chosen.</summary>
    private static (int First, int Second) TwoFreePorts()
    {
        var first = new TcpListener(IPAddress.Loopback, 0);
        var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        try
        {
            return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
        }
        finally
        {
            first.Stop();
            second.Stop();
        }
    }
}
