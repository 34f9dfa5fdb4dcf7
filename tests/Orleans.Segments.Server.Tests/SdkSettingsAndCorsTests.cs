using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The settings the SDKs fetch at start point them at this server; browsers may send events from pages (and
/// only from an app's listed origins when it lists them), while the management API never answers them.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SdkSettingsAndCorsTests(ServerFixture server)
{
    [Fact]
    public async Task SettingsPointTheSdkAtThisServerWithItsWriteKey()
    {
        using var response = await server.Http.GetAsync($"/v1/projects/{TestApps.Shop.WriteKey}/settings");

        var settings = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
        var segment = settings["integrations"]!["Segment.io"]!;
        Assert.Equal(TestApps.Shop.WriteKey, (string?)segment["apiKey"]);
        Assert.Equal($"{server.BaseAddress.Authority}/v1", (string?)segment["apiHost"]);
        Assert.Equal("http", (string?)segment["protocol"]);
        Assert.Single(settings["integrations"]!.AsObject());
        Assert.Equal(0, (double)settings["metrics"]!["sampleRate"]!);
        Assert.True((bool)settings["plan"]!["track"]!["__default"]!["enabled"]!);
        Assert.Empty(settings["remotePlugins"]!.AsArray());
        Assert.Empty(settings["enabledMiddleware"]!.AsObject());
    }

    [Theory]
    [InlineData("wk_unknown_0123456789abcdef")]
    [InlineData("ak_shop_0123456789abcdef")]
    [InlineData("wk_shop")]
    public async Task SettingsForAKeyThatIsNoWriteKeyAre404(string key)
    {
        using var response = await server.Http.GetAsync($"/v1/projects/{key}/settings");

        Assert.Contains("No app has this write key", (await response.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Detail);
    }

    [Theory]
    [InlineData("/v1/t", "POST")]
    [InlineData("/v1/b", "POST")]
    [InlineData("/v1/batch", "POST")]
    [InlineData("/v1/identify", "POST")]
    [InlineData("/v1/import", "POST")]
    [InlineData("/v1/projects/wk_shop_0123456789abcdef/settings", "GET")]
    public async Task PreflightsOfIngestionRoutesAreAnsweredWithoutCredentials(string path, string method)
    {
        using var response = await server.Http.SendAsync(Preflight(path, method, "https://anywhere.example"));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("https://anywhere.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Equal(method, response.Headers.GetValues("Access-Control-Allow-Methods").Single());
        Assert.Contains("authorization", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.Contains("x-retry-count", response.Headers.GetValues("Access-Control-Allow-Headers").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/v1/segments", "GET")]
    [InlineData("/v1/users/u1", "GET")]
    [InlineData("/v1/campaigns/welcome", "PUT")]
    [InlineData("/v1/messages", "POST")]
    [InlineData("/dashboard", "GET")]
    [InlineData("/metrics", "GET")]
    public async Task PreflightsOfEveryOtherRouteAreRefusedWithAReason(string path, string method)
    {
        using var response = await server.Http.SendAsync(Preflight(path, method, "https://anywhere.example"));

        Assert.Contains("management API from your backend", (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AdminAnswersCarryNoCorsHeadersEvenForAPage()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/segments").WithBearer(TestApps.Shop.AdminKey);
        request.Headers.Add("Origin", "https://anywhere.example");

        using var response = await server.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnAppThatListsItsOriginsTakesEventsFromThoseOnly()
    {
        string allowedUser = TestApps.NewUserId(), refusedUser = TestApps.NewUserId();

        using var allowed = await server.Http.SendAsync(FromPage(TestApps.WebOrigin, allowedUser));
        using var refused = await server.Http.SendAsync(FromPage("https://evil.example", refusedUser));
        using var app = await server.Http.SendAsync(FromPage(null, TestApps.NewUserId()));

        await allowed.ShouldBeAcceptedAsync();
        Assert.Equal(TestApps.WebOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("Vary", allowed.Headers.Select(h => h.Key));
        Assert.Contains("may not send events for this app", (await refused.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        await app.ShouldBeAcceptedAsync();
        Assert.Equal(1, (await server.GetUserAsync(allowedUser, TestApps.Web)).EventsApplied());
        using var lookup = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(refusedUser), app: TestApps.Web);
        await lookup.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SettingsOfAnAppThatListsItsOriginsAreRefusedToOtherPages()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/projects/{TestApps.Web.WriteKey}/settings");
        request.Headers.Add("Origin", "https://evil.example");

        using var response = await server.Http.SendAsync(request);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
    }

    private static HttpRequestMessage Preflight(string path, string method, string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization, content-type");
        return request;
    }

    private static HttpRequestMessage FromPage(string? origin, string userId)
    {
        var request = SegmentsApi.Post("/v1/t", $$"""{"writeKey": "{{TestApps.Web.WriteKey}}", "userId": "{{userId}}", "event": "Signed Up"}""");
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }
}
