using System.Net;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Each key has its own token bucket; past it the answer is 429 with Retry-After, and other keys are unaffected.</summary>
public sealed class RateLimitTests(RateLimitedServerFixture server) : IClassFixture<RateLimitedServerFixture>
{
    [Fact]
    public async Task WriteKeyPastItsBurstIsAnswered429WithRetryAfterWhileAnotherAppsKeyStillIngests()
    {
        var statuses = new List<HttpResponseMessage>();
        for (int i = 0; i < 8; i++) statuses.Add(await server.Http.SendAsync(Track(TestApps.Shop.WriteKey)));

        var limited = statuses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(limited, r => Assert.True(r.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1), "429 without a Retry-After of at least a second."));
        await limited[0].ShouldBeProblemAsync(HttpStatusCode.TooManyRequests);
        using var other = await server.Http.SendAsync(Track(TestApps.Other.WriteKey));
        await other.ShouldBeAcceptedAsync();
        foreach (var response in statuses) response.Dispose();
    }

    [Fact]
    public async Task AdminKeyPastItsBurstIsAnswered429WithRetryAfter()
    {
        var statuses = new List<HttpStatusCode>();
        TimeSpan? retryAfter = null;
        for (int i = 0; i < 8; i++)
        {
            using var response = await server.AdminAsync(HttpMethod.Get, "/v1/segments", app: TestApps.Other);
            statuses.Add(response.StatusCode);
            retryAfter ??= response.StatusCode == HttpStatusCode.TooManyRequests ? response.Headers.RetryAfter?.Delta : null;
        }

        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(retryAfter >= TimeSpan.FromSeconds(1));
    }

    private static HttpRequestMessage Track(string writeKey) =>
        SegmentsApi.Post("/v1/track", $$"""{"userId":"{{TestApps.NewUserId()}}","event":"Opened"}""").WithWriteKey(writeKey);
}
