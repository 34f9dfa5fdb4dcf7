using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>The single-message calls of the Segment tracking API, and what each does to the profile.</summary>
[Collection(ServerCollection.Name)]
public sealed class TrackingApiTests(ServerFixture server)
{
    [Fact]
    public async Task TrackIsAcknowledgedAndCountedInTheUsersBehaviour()
    {
        string userId = TestApps.NewUserId();
        for (int i = 0; i < 2; i++)
        {
            await server.IngestAcceptedAsync("/v1/track", $$"""
                {"userId": "{{userId}}", "event": "Order Completed", "messageId": "order-{{i}}",
                 "properties": {"revenue": 42.5, "category": "Books"} }
                """);
        }

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(userId, (string?)profile["userId"]);
        var orders = profile.Behaviour("Order Completed")!;
        Assert.Equal(2, (long)orders["total"]!);
        Assert.Equal(2, (int)orders["last7Days"]!);
        Assert.Equal(2, profile.EventsApplied());
        Assert.Equal("new", profile.Stage());
        Assert.Equal("books", (string?)profile["interests"]![0]!["category"]);
    }

    [Fact]
    public async Task IdentifySetsTheTraitsWithTheirTypes()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$"""
            {"userId": "{{userId}}", "traits": {"name": "Ada", "age": 36, "vip": true, "address": {"city": "London"} } }
            """);

        var traits = (await server.GetUserAsync(userId))["traits"]!;
        Assert.Equal("Ada", (string?)traits["name"]);
        Assert.Equal(36, (double)traits["age"]!);
        Assert.True((bool)traits["vip"]!);
        Assert.Equal("London", (string?)traits["address"]!["city"]);
    }

    [Fact]
    public async Task PageAndScreenAreCountedAsViews()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/page", $$"""{"userId": "{{userId}}", "name": "Home"}""");
        await server.IngestAcceptedAsync("/v1/screen", $$"""{"userId": "{{userId}}", "name": "Cart"}""");
        await server.IngestAcceptedAsync("/v1/screen", $$"""{"userId": "{{userId}}", "name": "Checkout"}""");

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(1, (long)profile.Behaviour("Page Viewed")!["total"]!);
        Assert.Equal(2, (long)profile.Behaviour("Screen Viewed")!["total"]!);
        Assert.Equal("new", profile.Stage());
    }

    [Fact]
    public async Task LocationAndTimeZoneAreTakenFromTheContext()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/track", $$"""
            {"userId": "{{userId}}", "event": "App Opened",
             "context": {"timezone": "Europe/Berlin",
                         "location": {"latitude": 52.52, "longitude": 13.405, "city": "Berlin", "country": "Germany"} } }
            """);

        var location = (await server.GetUserAsync(userId))["location"]!;
        Assert.Equal(52.52, (double)location["latitude"]!);
        Assert.Equal(13.405, (double)location["longitude"]!);
        Assert.Equal("Berlin", (string?)location["city"]);
        Assert.Equal("Germany", (string?)location["country"]);
        Assert.Equal("Europe/Berlin", (string?)location["timeZone"]);
    }

    [Fact]
    public async Task DeviceTokenFromTheContextIsRegisteredButNeverShownInFull()
    {
        string userId = TestApps.NewUserId();
        string token = Tokens.Apns();
        await server.IngestAcceptedAsync("/v1/identify", $$"""
            {"userId": "{{userId}}", "traits": {"name": "Grace"},
             "context": {"device": {"type": "ios", "token": "{{token}}"} } }
            """);

        using var response = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId));
        string body = await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(token, body, StringComparison.OrdinalIgnoreCase);

        var profile = JsonNode.Parse(body)!;
        var device = Assert.Single(profile["devices"]!.AsArray())!;
        Assert.Equal("ios", (string?)device["platform"]);
        Assert.Equal("…" + token[^4..], (string?)device["token"]);
        Assert.True((bool)profile["reachability"]!["reachable"]!);
    }

    [Fact]
    public async Task AliasMergesTheAnonymousVisitorIntoTheKnownUser()
    {
        string userId = TestApps.NewUserId();
        string anonymousId = $"anon-{Guid.NewGuid():N}";
        await server.IngestAcceptedAsync("/v1/track", $$"""{"anonymousId": "{{anonymousId}}", "event": "Product Viewed"}""");
        await server.IngestAcceptedAsync("/v1/alias", $$"""{"previousId": "{{anonymousId}}", "userId": "{{userId}}"}""");
        await server.IngestAcceptedAsync("/v1/track", $$"""{"anonymousId": "{{anonymousId}}", "event": "Product Viewed"}""");

        var profile = await server.GetUserAsync(userId);
        Assert.Contains(anonymousId, profile["anonymousIds"]!.AsArray().Select(a => (string?)a));
        Assert.Equal(2, (long)profile.Behaviour("Product Viewed")!["total"]!);
    }

    [Fact]
    public async Task GroupIsAcknowledgedAndRecordedWithoutChangingTheUsersTraits()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$"""{"userId": "{{userId}}", "traits": {"name": "Linus"} }""");
        await server.IngestAcceptedAsync("/v1/group", $$"""{"userId": "{{userId}}", "groupId": "acme", "traits": {"name": "Acme Inc."} }""");

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(2, profile.EventsApplied());
        Assert.Equal("Linus", (string?)profile["traits"]!["name"]);
    }

    [Fact]
    public async Task WriteKeyIsAcceptedAsTheBasicUserNameWithAnEmptyPassword()
    {
        string userId = TestApps.NewUserId();
        var request = SegmentsApi.Post("/v1/track", $$"""{"userId": "{{userId}}", "event": "Signed Up"}""");
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{TestApps.Shop.WriteKey}:")));
        using var response = await server.Http.SendAsync(request);

        await response.ShouldBeAcceptedAsync();
        Assert.Equal(1, (long)(await server.GetUserAsync(userId)).Behaviour("Signed Up")!["total"]!);
    }

    [Fact]
    public async Task WriteKeyIsAcceptedInTheBody()
    {
        string userId = TestApps.NewUserId();
        using var response = await server.Http.SendAsync(SegmentsApi.Post("/v1/track", $$"""
            {"writeKey": "{{TestApps.Shop.WriteKey}}", "userId": "{{userId}}", "event": "Signed Up"}
            """));

        await response.ShouldBeAcceptedAsync();
        Assert.Equal(1, (long)(await server.GetUserAsync(userId)).Behaviour("Signed Up")!["total"]!);
    }

    [Fact]
    public async Task ResentMessageWithTheSameMessageIdIsAppliedOnce()
    {
        string userId = TestApps.NewUserId();
        string json = $$"""{"userId": "{{userId}}", "event": "Order Completed", "messageId": "retry-me"}""";
        await server.IngestAcceptedAsync("/v1/track", json);
        await server.IngestAcceptedAsync("/v1/track", json);

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(1, (long)profile.Behaviour("Order Completed")!["total"]!);
        Assert.Equal(1, profile.EventsApplied());
    }

    [Fact]
    public async Task NumericUserIdIsTheSameUserAsItsText()
    {
        long userId = Random.Shared.NextInt64(1_000_000_000, long.MaxValue);
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId": {{userId}}, "event": "Signed Up"}""");
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "Signed Up"}""");

        Assert.Equal(2, (long)(await server.GetUserAsync(userId.ToString())).Behaviour("Signed Up")!["total"]!);
    }

    [Fact]
    public async Task OlderIdentifyArrivingLateDoesNotOverwriteANewerTrait()
    {
        string userId = TestApps.NewUserId();
        var now = server.Time.GetUtcNow();
        await server.IngestAcceptedAsync("/v1/identify", $$"""
            {"userId": "{{userId}}", "timestamp": "{{now.AddHours(-1):O}}", "traits": {"plan": "gold", "city": "Paris"} }
            """);
        await server.IngestAcceptedAsync("/v1/identify", $$"""
            {"userId": "{{userId}}", "timestamp": "{{now.AddHours(-2):O}}", "traits": {"plan": "silver", "email": "late@example.com"} }
            """);

        var traits = (await server.GetUserAsync(userId))["traits"]!;
        Assert.Equal("gold", (string?)traits["plan"]);
        Assert.Equal("Paris", (string?)traits["city"]);
        Assert.Equal("late@example.com", (string?)traits["email"]);
    }
}
