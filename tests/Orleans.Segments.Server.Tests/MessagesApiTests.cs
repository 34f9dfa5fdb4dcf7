using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Transactional messages over HTTP and the per-user message log.</summary>
[Collection(ServerCollection.Name)]
public sealed class MessagesApiTests(ServerFixture server)
{
    private async Task<string> ReachableUser()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {"first_name": "Ada"}}""");
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return userId;
    }

    private static string Order(string userId, string key) =>
        $$$"""{"userId": "{{{userId}}}", "title": "Order confirmed", "body": "Thanks {{ traits.first_name }}!", "data": {"order": "42"}, "idempotencyKey": "{{{key}}}"}""";

    [Fact]
    public async Task SameIdempotencyKeyAnswersTheSameAndSendsOnce()
    {
        string userId = await ReachableUser();

        using var first = await server.AdminAsync(HttpMethod.Post, "/v1/messages", Order(userId, "order-42"));
        var a = JsonNode.Parse(await first.ShouldHaveStatusAsync(HttpStatusCode.Accepted))!;
        using var second = await server.AdminAsync(HttpMethod.Post, "/v1/messages", Order(userId, "order-42"));
        var b = JsonNode.Parse(await second.ShouldHaveStatusAsync(HttpStatusCode.Accepted))!;

        Assert.Equal((string?)a["notificationId"], (string?)b["notificationId"]);
        Assert.Equal("delivered", (string?)a["status"]);
        Assert.True((bool)b["duplicate"]!);
        using var log = await server.AdminAsync(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/messages");
        var messages = JsonNode.Parse(await log.ShouldHaveStatusAsync(HttpStatusCode.OK))!["messages"]!.AsArray();
        Assert.Single(messages);
    }

    [Fact]
    public async Task WithdrawnTransactionalConsentIsRecordedAsTheReason()
    {
        string userId = await ReachableUser();
        using var consent = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"transactional": false}""");
        await consent.ShouldHaveStatusAsync(HttpStatusCode.OK);

        using var send = await server.AdminAsync(HttpMethod.Post, "/v1/messages", Order(userId, "order-7"));
        var answer = JsonNode.Parse(await send.ShouldHaveStatusAsync(HttpStatusCode.Accepted))!;

        Assert.Equal("suppressed", (string?)answer["status"]);
        Assert.Equal("no_consent", (string?)answer["reason"]);
    }

    [Fact]
    public async Task SameKeyReturnsTheSameSuppressionEvenAfterConsentComesBack()
    {
        string userId = await ReachableUser();
        using var withdraw = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"transactional": false}""");
        await withdraw.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var first = await server.AdminAsync(HttpMethod.Post, "/v1/messages", Order(userId, "order-9"));
        var a = JsonNode.Parse(await first.ShouldHaveStatusAsync(HttpStatusCode.Accepted))!;

        using var restore = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"transactional": true}""");
        await restore.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var retry = await server.AdminAsync(HttpMethod.Post, "/v1/messages", Order(userId, "order-9"));
        var b = JsonNode.Parse(await retry.ShouldHaveStatusAsync(HttpStatusCode.Accepted))!;

        Assert.Equal("suppressed", (string?)a["status"]);
        Assert.Equal("suppressed", (string?)b["status"]);
        Assert.Equal("no_consent", (string?)b["reason"]);
        Assert.True((bool)b["duplicate"]!);
        Assert.Equal((string?)a["notificationId"], (string?)b["notificationId"]);
    }

    [Theory]
    [InlineData("""{"title": "x", "idempotencyKey": "k"}""", "userId: required.")]
    [InlineData("""{"userId": "u", "title": "x"}""", "idempotencyKey: required.")]
    [InlineData("""{"userId": "u", "title": 5, "idempotencyKey": "k"}""", "title: must be a string.")]
    [InlineData("""{"userId": "u", "title": "x", "data": {"n": 1}, "idempotencyKey": "k"}""", "data.n: must be a string (FCM data values are strings).")]
    [InlineData("""{"userId": "u", "title": "{{ broken", "idempotencyKey": "k"}""", "title: ")]
    [InlineData("""{"userId": "u", "title": "x", "data": {"aps": "{}"}, "idempotencyKey": "k"}""", "data.aps: reserved")]
    [InlineData("""{"userId": "u", "title": "x", "data": {"google.sent_time": "1"}, "idempotencyKey": "k"}""", "data.google.sent_time: reserved")]
    public async Task InvalidMessageIsRefusedWithItsReason(string json, string error)
    {
        using var response = await server.AdminAsync(HttpMethod.Post, "/v1/messages", json);
        string body = await response.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);

        Assert.Contains(error, body);
    }

    [Fact]
    public async Task MessageLogOfAnUnknownUserIsNotFound()
    {
        using var response = await server.AdminAsync(HttpMethod.Get, $"{SegmentsApi.UserPath(TestApps.NewUserId())}/messages");
        await response.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }
}
