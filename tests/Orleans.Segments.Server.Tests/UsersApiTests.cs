using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>The management API of one user: devices, consents, erasure.</summary>
[Collection(ServerCollection.Name)]
public sealed class UsersApiTests(ServerFixture server)
{
    [Fact]
    public async Task RegisteredIosTokenIsShownOnlyRedacted()
    {
        string userId = TestApps.NewUserId();
        string token = Tokens.Apns();

        using var put = await server.AdminAsync(HttpMethod.Put, DevicePath(userId, token), """{"platform": "ios"}""");
        string putBody = await put.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(token, putBody, StringComparison.OrdinalIgnoreCase);

        using var get = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId));
        string body = await get.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(token, body, StringComparison.OrdinalIgnoreCase);
        var device = Assert.Single(JsonNode.Parse(body)!["devices"]!.AsArray())!;
        Assert.Equal("ios", (string?)device["platform"]);
        Assert.Equal("…" + token[^4..], (string?)device["token"]);
        Assert.Equal(server.Time.GetUtcNow().UtcDateTime, (DateTime)device["registeredAt"]!);
    }

    [Fact]
    public async Task AndroidTokenIsRegisteredToo()
    {
        string userId = TestApps.NewUserId();
        using var put = await server.AdminAsync(HttpMethod.Put, DevicePath(userId, Tokens.Fcm()), """{"platform": "android"}""");
        await put.ShouldHaveStatusAsync(HttpStatusCode.OK);

        var device = Assert.Single((await server.GetUserAsync(userId))["devices"]!.AsArray())!;
        Assert.Equal("android", (string?)device["platform"]);
    }

    [Fact]
    public async Task DeletedDeviceIsGoneAndDeletingItAgainIsNotFound()
    {
        string userId = TestApps.NewUserId();
        string token = Tokens.Apns();
        using (var put = await server.AdminAsync(HttpMethod.Put, DevicePath(userId, token), """{"platform": "ios"}"""))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        using (var delete = await server.AdminAsync(HttpMethod.Delete, DevicePath(userId, token)))
        {
            await delete.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        Assert.Empty((await server.GetUserAsync(userId))["devices"]!.AsArray());
        using var again = await server.AdminAsync(HttpMethod.Delete, DevicePath(userId, token));
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task MalformedIosTokenIsRejectedWithTheReason()
    {
        string userId = TestApps.NewUserId();
        using var response = await server.AdminAsync(HttpMethod.Put, DevicePath(userId, "not-a-hex-token"), """{"platform": "ios"}""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("APNs token", problem.Detail);
    }

    [Fact]
    public async Task UnknownPlatformIsRejectedWithTheReason()
    {
        string userId = TestApps.NewUserId();
        using var response = await server.AdminAsync(HttpMethod.Put, DevicePath(userId, Tokens.Apns()), """{"platform": "windows-phone"}""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("platform", problem.Detail);
    }

    [Fact]
    public async Task SubscriptionsAreSetAndShownOnTheProfile()
    {
        string userId = TestApps.NewUserId();
        using (var response = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions",
                   """{"marketing": true, "transactional": true}"""))
        {
            var answer = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
            Assert.True((bool)answer["marketing"]!);
        }

        using (var response = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"marketing": false}"""))
        {
            await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        var subscriptions = (await server.GetUserAsync(userId))["subscriptions"]!;
        Assert.False((bool)subscriptions["marketing"]!);
        Assert.True((bool)subscriptions["transactional"]!);
    }

    [Fact]
    public async Task SubscriptionOfTheWrongTypeIsRejectedWithTheReason()
    {
        string userId = TestApps.NewUserId();
        using var response = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"marketing": "yes"}""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("marketing: must be true or false.", problem.Errors);
    }

    [Fact]
    public async Task ErasedUserIsGone()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$"""{"userId": "{{userId}}", "traits": {"email": "erase-me@example.com"} }""");

        using (var erase = await server.AdminAsync(HttpMethod.Delete, SegmentsApi.UserPath(userId)))
        {
            await erase.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        using var get = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId));
        var problem = await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("erase-me@example.com", problem.Body);
    }

    [Fact]
    public async Task UnknownUserIsNotFound()
    {
        using var get = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(TestApps.NewUserId()));
        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        using var erase = await server.AdminAsync(HttpMethod.Delete, SegmentsApi.UserPath(TestApps.NewUserId()));
        await erase.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SubscriptionsWithoutAnyConsentAreRejectedWithTheReason()
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(TestApps.NewUserId())}/subscriptions", "{}");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("'marketing', 'transactional' or both", problem.Detail);
    }

    [Fact]
    public async Task MalformedJsonBodyIsRejectedWithTheReason()
    {
        using var response = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(TestApps.NewUserId())}/subscriptions", """{"marketing": tru""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("Malformed JSON", problem.Detail);
    }

    [Fact]
    public async Task UserIdWithAControlCharacterIsRejectedWithTheReason()
    {
        using var response = await server.AdminAsync(HttpMethod.Get, "/v1/users/%01user");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("no control characters", problem.Detail);
    }

    [Fact]
    public async Task UserIdLongerThan256CharactersIsRejectedWithTheReason()
    {
        using var response = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(new string('x', 257)));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1 to 256 characters", problem.Detail);
    }

    private static string DevicePath(string userId, string token) => $"{SegmentsApi.UserPath(userId)}/devices/{Uri.EscapeDataString(token)}";
}
