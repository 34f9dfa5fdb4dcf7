using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary><c>GET /v1/users/{userId}/export</c>: everything held about a user, to that app's admin only.</summary>
[Collection(ServerCollection.Name)]
public sealed class ExportTests(ServerFixture server)
{
    [Fact]
    public async Task ExportHoldsTraitsCountersConsentsDedupeKeysAndTheFullPushToken()
    {
        string userId = TestApps.NewUserId();
        string token = Tokens.Apns();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId":"{{{userId}}}","messageId":"m-1","traits":{"plan":"gold","email":"a@example.com"}}""");
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId":"{{userId}}","messageId":"m-2","event":"Order Completed"}""");
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{token}", """{"platform":"ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);

        using var response = await server.AdminAsync(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/export");
        var export = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;

        var profile = export["profile"]!;
        Assert.Equal(userId, (string?)export["userId"]);
        Assert.Equal("shop", (string?)export["appId"]);
        Assert.Equal("gold", (string?)profile["traits"]!["plan"]!["text"]);
        Assert.Equal(2, (long)profile["eventsApplied"]!);
        Assert.NotNull(profile["counters"]!["Order Completed"]);
        Assert.Equal(2, profile["messageIds"]!["hashes"]!.AsArray().Count);
        Assert.Equal(token, (string?)profile["devices"]![0]!["token"]);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task ProfileReadRedactsThePushTokenTheExportShows()
    {
        string userId = TestApps.NewUserId();
        string token = Tokens.Apns();
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{token}", """{"platform":"ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);

        using var read = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId));

        Assert.DoesNotContain(token, await read.ShouldHaveStatusAsync(HttpStatusCode.OK));
    }

    [Fact]
    public async Task AnotherAppsAdminKeyFindsNoSuchUserAndAWriteKeyIsForbidden()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId":"{{{userId}}}","traits":{"plan":"platinum-export-marker"}}""");

        using var other = await server.AdminAsync(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/export", app: TestApps.Other);
        using var write = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/export").WithBearer(TestApps.Shop.WriteKey));

        Assert.DoesNotContain("platinum-export-marker", (await other.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Body);
        Assert.DoesNotContain("platinum-export-marker", (await write.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Body);
    }
}
