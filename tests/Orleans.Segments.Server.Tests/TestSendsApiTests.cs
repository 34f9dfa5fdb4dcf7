using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Test sends of campaigns and journey steps over HTTP, and the app's test users.</summary>
[Collection(ServerCollection.Name)]
public sealed class TestSendsApiTests(ServerFixture server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    private async Task<JsonNode> Send(HttpMethod method, string path, string? json, HttpStatusCode expected, TestApp? app = null)
    {
        using var response = await server.AdminAsync(method, path, json, app);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    /// <summary>A user with an iPhone and no consent at all: a real campaign would send them nothing.</summary>
    private async Task<string> PhoneWithoutConsent(TestApp? app = null, string? locale = null)
    {
        string userId = TestApps.NewUserId();
        string traits = locale is null ? """{"first_name": "Ada"}""" : $$$"""{"first_name": "Ada", "locale": "{{{locale}}}"}""";
        using (var identify = await server.IngestAsync("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {{{traits}}}}""", app)) await identify.ShouldBeAcceptedAsync();
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""", HttpStatusCode.OK, app);
        await Send(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"marketing": false, "transactional": false}""", HttpStatusCode.OK, app);
        return userId;
    }

    private async Task<string> Campaign(string extra = "", TestApp? app = null)
    {
        string id = NewId("tsend");
        await Send(HttpMethod.Put, $"/v1/campaigns/{id}", $$$"""
            {"trigger": {"type": "event", "event": "Never Happens"}, "cap": {"limit": 1},
             "message": {"translations": {"de": {"title": "Hallo {{ traits.first_name }}", "body": "Angebot"}}, "title": "Hi {{ traits.first_name }}", "body": "Sale"}{{{extra}}}}
            """, HttpStatusCode.Created, app);
        return id;
    }

    [Fact]
    public async Task ATestGoesToTheNamedUserOutsideConsentCapsAndStatisticsAndIsLoggedAsATest()
    {
        string user = await PhoneWithoutConsent(locale: "de-AT");
        string campaign = await Campaign(""", "variants": [{"name": "a", "percent": 50, "message": {"title": "A", "body": "a"}}, {"name": "b", "percent": 50, "message": {"title": "B", "body": "b"}}]""");

        var first = await Send(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", $$$"""{"userId": "{{{user}}}"}""", HttpStatusCode.OK);
        var second = await Send(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", $$$"""{"userId": "{{{user}}}", "variant": "b"}""", HttpStatusCode.OK);
        var log = await Send(HttpMethod.Get, $"{SegmentsApi.UserPath(user)}/messages", null, HttpStatusCode.OK);
        var stats = await Send(HttpMethod.Get, $"/v1/campaigns/{campaign}/stats", null, HttpStatusCode.OK);

        Assert.Equal("delivered", (string?)first["results"]![0]!["status"]);
        Assert.Equal("de", (string?)first["results"]![0]!["language"]);
        Assert.Equal("delivered", (string?)second["results"]![0]!["status"]); // the campaign's cap of 1 does not apply
        var tests = log["messages"]!.AsArray().Where(m => (string?)m!["campaignId"] == campaign).ToList();
        Assert.Equal(2, tests.Count);
        Assert.All(tests, m => Assert.True((bool)m!["test"]!));
        Assert.Equal(0, (long)stats["total"]!["targeted"]!);
        Assert.Equal(0, (long)stats["total"]!["sent"]!);
    }

    [Fact]
    public async Task WithoutAUserTheTestGoesToEveryTestUserOfTheApp()
    {
        var app = TestApps.Lab;
        string campaign = await Campaign(app: app);
        using var none = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", null, app);
        string ada = await PhoneWithoutConsent(app), bob = await PhoneWithoutConsent(app);
        await Send(HttpMethod.Put, $"/v1/test-users/{ada}", """{"name": "Ada's <b>iPhone</b>"}""", HttpStatusCode.OK, app);
        var listed = await Send(HttpMethod.Put, $"/v1/test-users/{bob}", null, HttpStatusCode.OK, app);

        var sent = await Send(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", null, HttpStatusCode.OK, app);
        var afterRemoval = await Send(HttpMethod.Delete, $"/v1/test-users/{bob}", null, HttpStatusCode.OK, app);
        using var removedTwice = await server.AdminAsync(HttpMethod.Delete, $"/v1/test-users/{bob}", null, app);
        using var unknown = await server.AdminAsync(HttpMethod.Put, $"/v1/test-users/{TestApps.NewUserId()}", null, app);
        await Send(HttpMethod.Delete, $"/v1/test-users/{ada}", null, HttpStatusCode.OK, app);

        Assert.Contains("no test users", (await none.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Detail);
        Assert.Contains(listed["testUsers"]!.AsArray(), u => (string?)u!["userId"] == ada && (string?)u["name"] == "Ada's <b>iPhone</b>");
        Assert.Equal(new[] { ada, bob }.Order(), sent["results"]!.AsArray().Select(r => (string)r!["userId"]!).Order());
        Assert.All(sent["results"]!.AsArray(), r => Assert.Equal("delivered", (string?)r!["status"]));
        Assert.DoesNotContain(afterRemoval["testUsers"]!.AsArray(), u => (string?)u!["userId"] == bob);
        await removedTwice.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task WrongTestSendsAreRefusedWithTheirReason()
    {
        string user = await PhoneWithoutConsent();
        string campaign = await Campaign();

        using var unknownCampaign = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{NewId("none")}/test", $$$"""{"userId": "{{{user}}}"}""");
        using var unknownUser = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", $$$"""{"userId": "{{{TestApps.NewUserId()}}}"}""");
        using var unknownVariant = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", $$$"""{"userId": "{{{user}}}", "variant": "<b>z</b>"}""");
        using var typo = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", $$$"""{"user": "{{{user}}}"}""");
        using var broken = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{campaign}/test", """{"userId": """);

        await unknownCampaign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknownUser.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("no variants", string.Join(" ", (await unknownVariant.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors));
        await typo.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await broken.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AJourneyMessageStepIsTestedWithStandInEnteringProperties()
    {
        string user = await PhoneWithoutConsent();
        string journey = NewId("tjourney");
        await Send(HttpMethod.Put, $"/v1/journeys/{journey}", """
            {"name": "Renewal", "entry": {"type": "api"}, "start": "hello",
             "steps": [{"id": "hello", "type": "message", "message": {"title": "Your {{ journey.plan }} plan", "body": "renews soon"}, "next": "done"},
                       {"id": "done", "type": "exit"}]}
            """, HttpStatusCode.Created);

        var sent = await Send(HttpMethod.Post, $"/v1/journeys/{journey}/steps/hello/test", $$$"""{"userId": "{{{user}}}", "properties": {"plan": "Pro"}}""", HttpStatusCode.OK);
        using var exitStep = await server.AdminAsync(HttpMethod.Post, $"/v1/journeys/{journey}/steps/done/test", $$$"""{"userId": "{{{user}}}"}""");
        var log = await Send(HttpMethod.Get, $"{SegmentsApi.UserPath(user)}/messages", null, HttpStatusCode.OK);

        Assert.Equal("delivered", (string?)sent["results"]![0]!["status"]);
        await exitStep.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var entry = log["messages"]!.AsArray().Single(m => (string?)m!["campaignId"] == $"journey:{journey}")!;
        Assert.True((bool)entry["test"]!);
    }

    [Fact]
    public async Task ASilentCampaignsTestIsASilentPush()
    {
        string user = await PhoneWithoutConsent();
        string id = NewId("tsilent");
        await Send(HttpMethod.Put, $"/v1/campaigns/{id}", """{"category": "silent", "trigger": {"type": "event", "event": "Never Happens"}, "message": {"data": {"sync": "catalog"}}}""", HttpStatusCode.Created);

        var sent = await Send(HttpMethod.Post, $"/v1/campaigns/{id}/test", $$$"""{"userId": "{{{user}}}"}""", HttpStatusCode.OK);

        Assert.Equal("delivered", (string?)sent["results"]![0]!["status"]);
    }
}
