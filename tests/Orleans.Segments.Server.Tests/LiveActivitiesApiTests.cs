using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Live Activities over HTTP: a backend registers an activity's token for its user, updates it, ends it; and every wrong call.</summary>
[Collection(ServerCollection.Name)]
public sealed class LiveActivitiesApiTests(ServerFixture server)
{
    private static string NewActivity() => "order-" + Guid.NewGuid().ToString("N")[..10];

    private async Task<string> KnownUser()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {"first_name": "Ada"}}""");
        return userId;
    }

    private async Task<JsonNode> Send(HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var response = await server.AdminAsync(method, path, json);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    [Fact]
    public async Task ABackendRegistersUpdatesAndEndsAnActivity()
    {
        string user = await KnownUser();
        string activity = NewActivity();

        var registered = await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns().ToUpperInvariant()}}}"}""", HttpStatusCode.OK);
        var updated = await Send(HttpMethod.Post, $"/v1/live-activities/{activity}/update",
            """{"contentState": {"status": "on the way", "eta": 12}, "staleDate": "2026-03-01T13:00:00Z", "alert": {"title": "Your order", "body": "<b>is on the way</b>"}}""", HttpStatusCode.OK);
        var quiet = await Send(HttpMethod.Post, $"/v1/live-activities/{activity}/update", """{"contentState": {"eta": 5}, "priority": "normal"}""", HttpStatusCode.OK);
        var ended = await Send(HttpMethod.Post, $"/v1/live-activities/{activity}/end", """{"contentState": {"status": "delivered"}, "dismissalDate": "2026-03-01T14:00:00Z"}""", HttpStatusCode.OK);
        var view = await Send(HttpMethod.Get, $"/v1/live-activities/{activity}", null, HttpStatusCode.OK);

        Assert.Equal(("active", user, 1), ((string?)registered["status"], (string?)registered["userId"], (int)registered["liveTokens"]!));
        Assert.Equal((1, 10, false), ((int)updated["sent"]!, (int)updated["priority"]!, (bool)updated["downgraded"]!));
        Assert.Equal(5, (int)quiet["priority"]!);
        Assert.Equal("ended", (string?)ended["activity"]!["status"]);
        Assert.Equal((3, "ended"), ((long)view["updates"]!, (string?)view["status"]));
        using var late = await server.AdminAsync(HttpMethod.Post, $"/v1/live-activities/{activity}/update", """{"contentState": {"eta": 1}}""");
        await late.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ErasingTheUserErasesTheirActivitiesTokens()
    {
        string user = await KnownUser();
        string activity = NewActivity();
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""", HttpStatusCode.OK);

        using var erase = await server.AdminAsync(HttpMethod.Delete, SegmentsApi.UserPath(user));
        using var after = await server.AdminAsync(HttpMethod.Get, $"/v1/live-activities/{activity}");
        using var update = await server.AdminAsync(HttpMethod.Post, $"/v1/live-activities/{activity}/update", """{"contentState": {}}""");

        Assert.Equal(HttpStatusCode.NoContent, erase.StatusCode);
        await after.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await update.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task AnEndNeedsNoBody()
    {
        string user = await KnownUser();
        string activity = NewActivity();
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""", HttpStatusCode.OK);

        var ended = await Send(HttpMethod.Post, $"/v1/live-activities/{activity}/end", null, HttpStatusCode.OK);

        Assert.Equal("ended", (string?)ended["activity"]!["status"]);
    }

    [Theory]
    [InlineData("""{}""", "contentState: required")]
    [InlineData("""{"contentState": "on the way"}""", "contentState: must be an object")]
    [InlineData("""{"contentState": [1]}""", "contentState: must be an object")]
    [InlineData("""{"contentState": {}, "dismissalDate": "2026-03-01T14:00:00Z"}""", "dismissalDate: only an end has one")]
    [InlineData("""{"contentState": {}, "staleDate": "soon"}""", "staleDate: an ISO 8601 instant")]
    [InlineData("""{"contentState": {}, "priority": "urgent"}""", "priority")]
    [InlineData("""{"contentState": {}, "alert": {}}""", "alert: needs a title or a body.")]
    [InlineData("""{"contentState": {}, "content-state": {}}""", "content-state")]
    public async Task AWrongUpdateIsRefusedWithItsReason(string body, string expected)
    {
        string user = await KnownUser();
        string activity = NewActivity();
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""", HttpStatusCode.OK);

        using var response = await server.AdminAsync(HttpMethod.Post, $"/v1/live-activities/{activity}/update", body);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        Assert.True(problem.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"'{expected}' is not among: {string.Join(" | ", problem.Errors)}");
    }

    [Fact]
    public async Task UnknownActivitiesUsersAndTokensAreRefused()
    {
        string user = await KnownUser();

        using var unknownActivity = await server.AdminAsync(HttpMethod.Post, $"/v1/live-activities/{NewActivity()}/update", """{"contentState": {}}""");
        using var unknownGet = await server.AdminAsync(HttpMethod.Get, $"/v1/live-activities/{NewActivity()}");
        using var unknownUser = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(TestApps.NewUserId())}/live-activities/{NewActivity()}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""");
        using var fcmToken = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{NewActivity()}", """{"token": "not-hex:APA91b"}""");
        using var noToken = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{NewActivity()}", """{}""");
        using var badId = await server.AdminAsync(HttpMethod.Post, "/v1/live-activities/Order%20%3Cb%3E/update", """{"contentState": {}}""");
        string activity = NewActivity();
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""", HttpStatusCode.OK);
        string other = await KnownUser();
        using var stolen = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(other)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""");
        using var anonymous = await server.Http.PostAsync($"/v1/live-activities/{activity}/update", new StringContent("""{"contentState": {}}""", System.Text.Encoding.UTF8, "application/json"));

        await unknownActivity.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknownGet.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknownUser.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("hex", string.Join(" ", (await fcmToken.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors));
        Assert.Contains("token: required", string.Join(" ", (await noToken.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors));
        await badId.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await stolen.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task AnOversizedUpdateIsRefusedBeforeAnythingIsSent()
    {
        string user = await KnownUser();
        string activity = NewActivity();
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(user)}/live-activities/{activity}", $$$"""{"token": "{{{Tokens.Apns()}}}"}""", HttpStatusCode.OK);

        using var tooLarge = await server.AdminAsync(HttpMethod.Post, $"/v1/live-activities/{activity}/update", $$$"""{"contentState": {"note": "{{{new string('x', 9000)}}}"}}""");
        using var overApns = await server.AdminAsync(HttpMethod.Post, $"/v1/live-activities/{activity}/update", $$$"""{"contentState": {"note": "{{{new string('x', 4500)}}}"}}""");
        var view = await Send(HttpMethod.Get, $"/v1/live-activities/{activity}", null, HttpStatusCode.OK);

        await tooLarge.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("APNs allows 4096", string.Join(" ", (await overApns.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors));
        Assert.Equal(0, (long)view["updates"]!);
    }
}
