using System.Net;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary><c>/metrics</c>: Prometheus text for the operator, with the engine's, Orleans' and ASP.NET Core's instruments.</summary>
[Collection(ServerCollection.Name)]
public sealed class MetricsTests(ServerFixture server)
{
    [Fact]
    public async Task MetricsNeedTheOperatorKey()
    {
        using var anonymous = await server.Http.GetAsync("/metrics");
        using var admin = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").WithBearer(TestApps.Shop.AdminKey));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, admin.StatusCode);
    }

    [Fact]
    public async Task MetricsCountIngestedEventsAndLifecycleTransitionsPerAppAndTimeRequests()
    {
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId":"{{TestApps.NewUserId()}}","event":"Application Opened"}""");

        using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").WithBearer(TestApps.OperatorKey));
        string text = await response.ShouldHaveStatusAsync(HttpStatusCode.OK);

        Assert.Contains(text.Split('\n'), l => l.StartsWith("segments_events_ingested_total{", StringComparison.Ordinal) && l.Contains("app=\"shop\",outcome=\"applied\"}"));
        var transitions = text.Split('\n').Where(l => l.StartsWith("segments_lifecycle_transitions_total", StringComparison.Ordinal)).ToList();
        Assert.True(transitions.Any(l => l.Contains("app=\"shop\",stage=\"new\"}")), $"No transition to 'new' for the shop among {transitions.Count} lines:\n{string.Join('\n', transitions.Take(30))}");
        Assert.Contains("segments_ingest_duration_seconds_bucket", text);
        Assert.Contains("segments_profile_persist_duration_seconds_bucket", text);
        Assert.Contains("http_server_request_duration_seconds_bucket", text);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("orleans_", StringComparison.Ordinal));
        Assert.DoesNotContain("user-", text);
    }

    [Fact]
    public async Task AnotherServerInTheProcessStoppingLeavesThisServersMetricsExported()
    {
        // Why: test fixtures run several servers in one process; OpenTelemetry merges same-named instruments of
        // every host, and disposing one host's meters stopped the stream of all of them (seen as a flaky miss of
        // segments_events_ingested_total here).
        var other = new ServerFixture();
        await other.InitializeAsync();
        await other.IngestAcceptedAsync("/v1/track", $$"""{"userId":"{{TestApps.NewUserId()}}","event":"Application Opened"}""");
        await other.DisposeAsync();

        // Why: OpenTelemetry exports a stream whose instrument was disposed once more, then drops it; the second
        // scrape is the one that showed the loss.
        for (int scrape = 0; scrape < 2; scrape++)
        {
            await server.IngestAcceptedAsync("/v1/track", $$"""{"userId":"{{TestApps.NewUserId()}}","event":"Application Opened"}""");
            using var response = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").WithBearer(TestApps.OperatorKey));
            string text = await response.ShouldHaveStatusAsync(HttpStatusCode.OK);

            Assert.Contains(text.Split('\n'), l => l.StartsWith("segments_events_ingested_total{", StringComparison.Ordinal) && l.Contains("app=\"shop\",outcome=\"applied\"}"));
            Assert.Contains("http_server_request_duration_seconds_bucket", text);
        }
    }
}
