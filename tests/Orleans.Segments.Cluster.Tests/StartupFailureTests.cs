using System.Diagnostics;
using Orleans.Segments.Cluster.Tests.Infrastructure;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>A wrong Redis or storage setting stops the process at once with a message naming the setting; nothing hangs.</summary>
[Collection(ProcessCollection.Name)]
public sealed class StartupFailureTests
{
    [Fact]
    public async Task MalformedConnectionStringFailsAtOnceNamingTheSetting()
    {
        await using var server = SegmentsProcess.StartWith("malformed", ["--Segments:Redis:ConnectionString=host:6379,notAnOption=1"]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(20), "Segments:Redis:ConnectionString", "not a valid StackExchange.Redis connection string");
    }

    [Fact]
    public async Task UnreachableRedisFailsWithinTheStartupTimeoutNamingTheSetting()
    {
        int closedPort = FreePorts.Take(1)[0];
        await using var server = SegmentsProcess.StartWith("unreachable",
        [
            $"--Segments:Redis:ConnectionString=127.0.0.1:{closedPort}",
            "--Segments:Redis:StartupTimeout=00:00:02",
            "--Segments:Server:AdvertisedAddress=127.0.0.1",
            $"--Segments:Server:SiloPort={FreePorts.Take(1)[0]}",
            $"--Segments:Server:GatewayPort={FreePorts.Take(1)[0]}",
        ]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(25), "Segments:Redis:ConnectionString", $"127.0.0.1:{closedPort} could not be reached");
    }

    [Fact]
    public async Task AnUnknownStateFormatFailsAtOnceNamingTheSetting()
    {
        await using var server = SegmentsProcess.StartWith("state-format", ["--Segments:Storage:StateFormat=json"]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(20), "'json' at 'Segments:Storage:StateFormat'");
    }

    [Fact]
    public async Task GatewayWithoutRedisFailsAtOnceSayingWhy()
    {
        await using var server = SegmentsProcess.StartWith("gateway", ["--Segments:Server:Role=gateway"]);

        await AssertFailsQuicklyAsync(server, TimeSpan.FromSeconds(20), "Role=gateway needs Segments:Redis:ConnectionString");
    }

    private static async Task AssertFailsQuicklyAsync(SegmentsProcess server, TimeSpan within, params string[] expected)
    {
        var clock = Stopwatch.StartNew();
        bool exited = await server.WaitForExitAsync(within);
        Assert.True(exited, $"The server was still running after {within.TotalSeconds:0} s:\n{server.Output.Tail()}");
        Assert.NotEqual(0, server.ExitCode);
        foreach (string text in expected)
        {
            Assert.True(server.Output.Contains(text), $"The output does not say '{text}' (exited after {clock.Elapsed.TotalSeconds:0.0} s):\n{server.Output.Tail()}");
        }
    }
}
