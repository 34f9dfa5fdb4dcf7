using System.IO.Compression;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary><c>/v1/batch</c>: many calls for many users in one request, applied once however often it is retried.</summary>
[Collection(ServerCollection.Name)]
public sealed class BatchTests(ServerFixture server)
{
    private const int EventsPerUser = 12;

    [Fact]
    public async Task BatchOfManyEventsForSeveralUsersReachesEachUser()
    {
        string[] users = [TestApps.NewUserId(), TestApps.NewUserId(), TestApps.NewUserId()];
        await server.IngestAcceptedAsync("/v1/batch", Batch(users));

        foreach (string userId in users)
        {
            var profile = await server.GetUserAsync(userId);
            Assert.Equal(userId, (string?)profile["traits"]!["name"]);
            Assert.Equal(EventsPerUser - 3, (long)profile.Behaviour("Product Viewed")!["total"]!);
            Assert.Equal(1, (long)profile.Behaviour("Order Completed")!["total"]!);
            Assert.Equal(1, (long)profile.Behaviour("Screen Viewed")!["total"]!);
            Assert.Equal(EventsPerUser, profile.EventsApplied());
        }
    }

    [Fact]
    public async Task RetriedBatchWithTheSameMessageIdsIsAppliedOnce()
    {
        string[] users = [TestApps.NewUserId(), TestApps.NewUserId()];
        string batch = Batch(users);
        await server.IngestAcceptedAsync("/v1/batch", batch);
        await server.IngestAcceptedAsync("/v1/batch", batch);
        await server.IngestAcceptedAsync("/v1/batch", batch);

        foreach (string userId in users)
        {
            var profile = await server.GetUserAsync(userId);
            Assert.Equal(EventsPerUser, profile.EventsApplied());
            Assert.Equal(EventsPerUser - 3, (long)profile.Behaviour("Product Viewed")!["total"]!);
            Assert.Equal(1, (long)profile.Behaviour("Order Completed")!["total"]!);
        }
    }

    [Fact]
    public async Task GzipCompressedBatchIsAccepted()
    {
        string userId = TestApps.NewUserId();
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.Optimal, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes(Batch([userId])));
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = content }.WithWriteKey(TestApps.Shop.WriteKey));

        await response.ShouldBeAcceptedAsync();
        Assert.Equal(EventsPerUser, (await server.GetUserAsync(userId)).EventsApplied());
    }

    [Fact]
    public async Task DeviceClockThatRunsDaysAheadIsCorrectedWithSentAt()
    {
        // A phone whose clock is three days fast: its timestamps and its sentAt are both three days ahead.
        string userId = TestApps.NewUserId();
        var now = server.Time.GetUtcNow();
        var deviceNow = now.AddDays(3);
        await server.IngestAcceptedAsync("/v1/batch", $$"""
            {"sentAt": "{{deviceNow:O}}", "batch": [
              {"type": "track", "userId": "{{userId}}", "event": "App Opened", "timestamp": "{{deviceNow.AddMinutes(-5):O}}"}]}
            """);

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(now.AddMinutes(-5).UtcDateTime, (DateTime)profile["activity"]!["lastSeen"]!);
    }

    /// <summary>
    /// For each user: an identify, <see cref="EventsPerUser"/> − 3 product views, an order and a screen, with
    /// message ids derived from the user, so sending the same users again is a retry.
    /// </summary>
    private static string Batch(IEnumerable<string> users)
    {
        var batch = new JsonArray();
        foreach (string userId in users)
        {
            batch.Add(new JsonObject
            {
                ["type"] = "identify", ["userId"] = userId, ["messageId"] = $"{userId}-identify",
                ["traits"] = new JsonObject { ["name"] = userId },
            });
            for (int i = 0; i < EventsPerUser - 3; i++)
            {
                batch.Add(new JsonObject
                {
                    ["type"] = "track", ["userId"] = userId, ["messageId"] = $"{userId}-view-{i}", ["event"] = "Product Viewed",
                    ["properties"] = new JsonObject { ["category"] = "shoes", ["price"] = 10 + i },
                });
            }

            batch.Add(new JsonObject
            {
                ["type"] = "track", ["userId"] = userId, ["messageId"] = $"{userId}-order", ["event"] = "Order Completed",
                ["properties"] = new JsonObject { ["revenue"] = 99.5 },
            });
            batch.Add(new JsonObject { ["type"] = "screen", ["userId"] = userId, ["messageId"] = $"{userId}-screen", ["name"] = "Home" });
        }

        return new JsonObject { ["batch"] = batch }.ToJsonString();
    }
}
