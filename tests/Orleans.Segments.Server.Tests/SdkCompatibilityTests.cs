using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// What Segment's mobile and browser SDKs put on the wire (tests/fixtures/sdk, from their sources) is accepted on
/// their own routes, content types and encodings, and builds the profile with the device, app, OS and locale.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SdkCompatibilityTests(ServerFixture server)
{
    [Fact]
    public async Task AnalyticsSwiftUploadToSlashBBuildsTheIosProfile()
    {
        string userId = TestApps.NewUserId();

        var profile = await SendAsync("analytics-swift-batch.http", userId);

        Assert.Equal("Ada", (string?)profile["traits"]!["first_name"]);
        Assert.Equal(1, (long)profile.Behaviour("Product Viewed")!["total"]!);
        Assert.Equal(1, (long)profile.Behaviour("Screen Viewed")!["total"]!);
        Assert.Equal("Europe/Berlin", (string?)profile["location"]!["timeZone"]);
        var device = Assert.Single(profile["appDevices"]!.AsArray())!;
        Assert.Equal("5D8F3E2A-6B7C-4D1E-9F0A-2B3C4D5E6F70", (string?)device["id"]);
        Assert.Equal("ios", (string?)device["platform"]);
        Assert.Equal("iPhone15,2", (string?)device["model"]);
        Assert.Equal("Apple", (string?)device["manufacturer"]);
        Assert.Equal("5.9.3", (string?)device["app"]!["version"]);
        Assert.Equal("45", (string?)device["app"]!["build"]);
        Assert.Equal("com.example.shop", (string?)device["app"]!["namespace"]);
        Assert.Equal("iOS", (string?)device["os"]!["name"]);
        Assert.Equal("17.4", (string?)device["os"]!["version"]);
        Assert.Equal("de-DE", (string?)device["locale"]);
        Assert.True((bool?)device["network"]!["wifi"]);
        Assert.Equal("analytics-swift", (string?)device["library"]!["name"]);
        var token = Assert.Single(profile["devices"]!.AsArray())!;
        Assert.Equal("ios", (string?)token["platform"]);
    }

    [Fact]
    public async Task AnalyticsKotlinGzippedTextPlainUploadBuildsTheAndroidProfile()
    {
        string userId = TestApps.NewUserId();

        var profile = await SendAsync("analytics-kotlin-batch.http", userId);

        Assert.Equal("Grace", (string?)profile["traits"]!["first_name"]);
        Assert.Equal(1, (long)profile.Behaviour("Order Completed")!["total"]!);
        var device = Assert.Single(profile["appDevices"]!.AsArray())!;
        Assert.Equal("android", (string?)device["platform"]);
        Assert.Equal("Pixel 7", (string?)device["model"]);
        Assert.Equal("5.1.0", (string?)device["app"]!["version"]);
        Assert.Equal("510", (string?)device["app"]!["build"]);
        Assert.Equal("Android", (string?)device["os"]!["name"]);
        Assert.Equal("14", (string?)device["os"]!["version"]);
        Assert.Equal("pt-BR", (string?)device["locale"]);
        Assert.Equal("android", (string?)Assert.Single(profile["devices"]!.AsArray())!["platform"]);
    }

    [Fact]
    public async Task AnalyticsReactNativeUploadIsAccepted()
    {
        var profile = await SendAsync("analytics-react-native-batch.http", TestApps.NewUserId());

        var device = Assert.Single(profile["appDevices"]!.AsArray())!;
        Assert.Equal("iPadOS", (string?)device["os"]!["name"]);
        Assert.Equal("ios", (string?)device["platform"]);
        Assert.Equal("analytics-react-native", (string?)device["library"]!["name"]);
    }

    [Fact]
    public async Task LegacyAnalyticsAndroidGzippedImportIsAccepted()
    {
        var profile = await SendAsync("analytics-android-import.http", TestApps.NewUserId());

        var device = Assert.Single(profile["appDevices"]!.AsArray())!;
        Assert.Equal("SM-G991B", (string?)device["model"]);
        Assert.Equal("Telekom.de", (string?)device["network"]!["carrier"]);
        Assert.Equal(1, (long)profile.Behaviour("Application Opened")!["total"]!);
    }

    [Fact]
    public async Task AnalyticsNextSingleCallsToTheShortRoutesAsTextPlainAreAccepted()
    {
        string userId = TestApps.NewUserId();

        await SendAsync("analytics-next-identify.http", userId);
        await SendAsync("analytics-next-track.http", userId);
        var profile = await SendAsync("analytics-next-page.http", userId);

        Assert.Equal("ada@example.com", (string?)profile["traits"]!["email"]);
        Assert.Equal(1, (long)profile.Behaviour("Product Viewed")!["total"]!);
        Assert.Equal(1, (long)profile.Behaviour("Page Viewed")!["total"]!);
        var device = Assert.Single(profile["appDevices"]!.AsArray())!;
        Assert.Equal("web", (string?)device["platform"]);
        Assert.Equal("en-US", (string?)device["locale"]);
    }

    [Fact]
    public async Task AnalyticsNextBatchWithTheWriteKeyInEveryEventIsAccepted()
    {
        var profile = await SendAsync("analytics-next-batch.http", TestApps.NewUserId());

        Assert.Equal(2, (long)profile.Behaviour("Product Viewed")!["total"]!);
    }

    [Fact]
    public async Task AnswersToAPageCarryCorsHeadersAndNeverCredentials()
    {
        var request = SdkRequest.Load("analytics-next-track.http", TestApps.Shop.WriteKey, TestApps.NewUserId(), server.Time.GetUtcNow());
        using var response = await server.Http.SendAsync(request.ToMessage());

        await response.ShouldBeAcceptedAsync();
        Assert.Equal("*", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"));
    }

    [Theory]
    [InlineData("/v1/track", "application/json")]
    [InlineData("/v1/track", "text/plain")]
    [InlineData("/v1/track", "application/x-www-form-urlencoded")]
    [InlineData("/v1/track", "application/json; charset=utf-8")]
    [InlineData("/v1/track", null)]
    [InlineData("/v1/t", "text/plain")]
    [InlineData("/v1/t", null)]
    public async Task ASingleTrackIsReadAsJsonWhateverItsContentType(string path, string? contentType)
    {
        string userId = TestApps.NewUserId();
        var request = SegmentsApi.Post(path, $$"""{"userId": "{{userId}}", "event": "Signed Up"}""").WithWriteKey(TestApps.Shop.WriteKey);
        request.Content!.Headers.ContentType = contentType is null ? null : System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);

        using var response = await server.Http.SendAsync(request);

        await response.ShouldBeAcceptedAsync();
        Assert.Equal(1, (await server.GetUserAsync(userId)).EventsApplied());
    }

    [Theory]
    [InlineData("/v1/i", "identify", """ "traits": {"plan": "pro"} """)]
    [InlineData("/v1/p", "page", """ "name": "Home" """)]
    [InlineData("/v1/s", "screen", """ "name": "Home" """)]
    [InlineData("/v1/g", "group", """ "groupId": "g1" """)]
    [InlineData("/v1/a", "alias", """ "previousId": "anon-1" """)]
    public async Task EveryShortRouteHasTheLongRoutesMeaning(string path, string type, string fields)
    {
        string userId = TestApps.NewUserId();
        var request = SegmentsApi.Post(path, $$"""{"writeKey": "{{TestApps.Shop.WriteKey}}", "type": "{{type}}", "userId": "{{userId}}", {{fields}} }""");
        request.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");

        using var response = await server.Http.SendAsync(request);

        await response.ShouldBeAcceptedAsync();
        var profile = await server.GetUserAsync(userId);
        if (type == "identify") Assert.Equal("pro", (string?)profile["traits"]!["plan"]);
        if (type is "page" or "screen") Assert.NotNull(profile.Behaviour(type == "page" ? "Page Viewed" : "Screen Viewed"));
    }

    [Fact]
    public async Task TheSdkTelemetryRouteAcceptsAndDiscards()
    {
        using var response = await server.Http.SendAsync(SegmentsApi.Post("/v1/m", """{"series":[{"type":"Counter","metric":"analytics_js.invoke","value":1}]}"""));

        await response.ShouldBeAcceptedAsync();
    }

    private async Task<JsonNode> SendAsync(string fixture, string userId)
    {
        var request = SdkRequest.Load(fixture, TestApps.Shop.WriteKey, userId, server.Time.GetUtcNow().AddMinutes(-5));
        using (var response = await server.Http.SendAsync(request.ToMessage()))
        {
            await response.ShouldBeAcceptedAsync();
        }

        return await server.GetUserAsync(userId);
    }
}
