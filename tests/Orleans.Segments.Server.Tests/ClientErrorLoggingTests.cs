using System.Net;
using System.Net.Sockets;
using System.Text;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>A client's malformed request is a 4xx that is counted, never an error with a stack trace in the log.</summary>
public sealed class ClientErrorLoggingTests(LogCapturingServerFixture server) : IClassFixture<LogCapturingServerFixture>
{
    [Fact]
    public async Task MalformedRequestsAreCountedAndNotLoggedAsErrors()
    {
        using (var r = await server.Http.SendAsync(SegmentsApi.Post("/v1/track", """{"userId": "\ud800", "event": "A"}""").WithWriteKey(TestApps.Shop.WriteKey)))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        using (var r = await server.AdminAsync(HttpMethod.Put, "/v1/segments/x", """{"name": "\udc00", "rule": "has_push_token"}"""))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        using (var r = await server.Http.SendAsync(SegmentsApi.Post("/v1/track", "{not json").WithWriteKey(TestApps.Shop.WriteKey)))
        {
            await r.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        }

        string chunked = await RawAsync(
            "POST /v1/batch HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFFFF\r\nx\r\n0\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 400", chunked);

        var errors = server.Logs.Lines.Where(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, string.Join('\n', errors));
        var metrics = new HttpRequestMessage(HttpMethod.Get, "/metrics").WithBearer(TestApps.OperatorKey);
        using var scrape = await server.Http.SendAsync(metrics);
        string text = await scrape.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("segments_requests_malformed_total{", StringComparison.Ordinal) && l.Contains("reason=\"malformed_json\""));
        Assert.Contains(text.Split('\n'), l => l.StartsWith("segments_requests_malformed_total{", StringComparison.Ordinal) && l.Contains("reason=\"unreadable\""));
    }

    private async Task<string> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read = await stream.ReadAsync(buffer, deadline.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
