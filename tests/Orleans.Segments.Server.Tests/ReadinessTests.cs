using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.Segments.Server.Hosting;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Readiness tells the truth: a process above its memory ceiling, or whose requests are stuck, is not ready.</summary>
public sealed class ReadinessTests(ReadinessTests.LowCeilingServerFixture server) : IClassFixture<ReadinessTests.LowCeilingServerFixture>
{
    [Fact]
    public async Task AProcessAboveItsMemoryCeilingIsNotReadyAndSaysWhy()
    {
        using var response = await server.Http.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("above its ceiling of 64 MB (Segments:Server:MemoryCeilingMegabytes)", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task LivenessIsNotTiedToMemory()
    {
        using var response = await server.Http.GetAsync("/health/live");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RequestsThatWaitWhileNoneFinishesMakeTheProcessNotReady()
    {
        var time = new FakeTimeProvider();
        var watch = new RequestWatch(time);
        var options = Options.Create(new ServerOptions { MemoryCeilingMegabytes = 1024 * 1024 });
        var check = new ReadinessCheck(null!, options, watch);
        var stuck = new TaskCompletionSource();
        var probe = new DefaultHttpContext();

        // Two requests hang; the readiness probe is the third in flight.
        var first = watch.Track(new DefaultHttpContext(), _ => stuck.Task);
        var second = watch.Track(new DefaultHttpContext(), _ => stuck.Task);
        time.Advance(TimeSpan.FromSeconds(31));
        HealthCheckResult result = default;
        await watch.Track(probe, async _ => result = await check.CheckHealthAsync(new HealthCheckContext()));

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal("2 request(s) are waiting and none has finished for 31 s.", result.Description);
        stuck.SetResult();
        await Task.WhenAll(first, second);
        Assert.Equal(0, watch.InFlight);
    }

    /// <summary>A server of its own whose memory ceiling (64 MB) is below what any .NET server uses.</summary>
    public sealed class LowCeilingServerFixture : ServerFixture
    {
        protected override IEnumerable<string> ExtraArguments => ["--Segments:Server:MemoryCeilingMegabytes=64"];
    }
}
