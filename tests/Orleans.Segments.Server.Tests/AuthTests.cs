using System.Net;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Who may do what: write keys ingest, admin keys manage, and no key reaches another app's users.</summary>
[Collection(ServerCollection.Name)]
public sealed class AuthTests(ServerFixture server)
{
    [Fact]
    public async Task IngestWithoutAKeyIsUnauthorized()
    {
        using var response = await server.Http.SendAsync(SegmentsApi.Post("/v1/track", Track(TestApps.NewUserId())));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("write key", problem.Detail);
        Assert.Equal("Basic", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task ManagementWithoutAKeyIsUnauthorized()
    {
        using var response = await server.Http.GetAsync(SegmentsApi.UserPath(TestApps.NewUserId()));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("admin key", problem.Detail);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task IngestWithAnUnknownWriteKeyIsUnauthorized()
    {
        using var response = await server.Http.SendAsync(
            SegmentsApi.Post("/v1/track", Track(TestApps.NewUserId())).WithWriteKey("wk_nobody_0123456789abcdef"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ManagementWithAnUnknownKeyIsUnauthorized()
    {
        using var response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, SegmentsApi.UserPath(TestApps.NewUserId())).WithBearer("ak_nobody_0123456789abcdef"));

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task WriteKeyCannotUseTheManagementApi()
    {
        string userId = await KnownUser();
        using var response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Get, SegmentsApi.UserPath(userId)).WithBearer(TestApps.Shop.WriteKey));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain(userId, problem.Body);
    }

    [Fact]
    public async Task AdminKeyCannotIngest()
    {
        using var response = await server.Http.SendAsync(
            SegmentsApi.Post("/v1/track", Track(TestApps.NewUserId())).WithWriteKey(TestApps.Shop.AdminKey));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Contains("write key", problem.Detail);
    }

    [Fact]
    public async Task AnotherAppsAdminKeyCannotSeeTheUser()
    {
        string userId = await KnownUser();

        using var response = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId), app: TestApps.Other);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain("secret@example.com", problem.Body);
    }

    [Fact]
    public async Task AnotherAppsAdminKeyCannotEraseTheUser()
    {
        string userId = await KnownUser();

        using (var response = await server.AdminAsync(HttpMethod.Delete, SegmentsApi.UserPath(userId), app: TestApps.Other))
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal("secret@example.com", (string?)(await server.GetUserAsync(userId))["traits"]!["email"]);
    }

    [Fact]
    public async Task SameUserIdInAnotherAppIsAnotherUser()
    {
        string userId = await KnownUser();
        using (var response = await server.Http.SendAsync(
                   SegmentsApi.Post("/v1/identify", $$"""{"userId": "{{userId}}", "traits": {"email": "other@example.com"} }""")
                       .WithWriteKey(TestApps.Other.WriteKey)))
        {
            await response.ShouldBeAcceptedAsync();
        }

        Assert.Equal("secret@example.com", (string?)(await server.GetUserAsync(userId))["traits"]!["email"]);
        Assert.Equal("other@example.com", (string?)(await server.GetUserAsync(userId, TestApps.Other))["traits"]!["email"]);
    }

    /// <summary>A user of the shop with a trait no other app may see.</summary>
    private async Task<string> KnownUser()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$"""{"userId": "{{userId}}", "traits": {"email": "secret@example.com"} }""");
        return userId;
    }

    private static string Track(string userId) => $$"""{"userId": "{{userId}}", "event": "Signed Up"}""";
}
