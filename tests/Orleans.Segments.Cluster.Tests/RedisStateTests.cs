using System.Net;
using System.Net.Http.Headers;
using Orleans.Segments.Cluster.Tests.Infrastructure;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>What the API does with state kept in Redis rather than in memory: erasure, and state across a restart.</summary>
[Collection(ProcessCollection.Name)]
public sealed class RedisStateTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    [Fact]
    public async Task ErasureOnRedisRemovesTheUserForGoodAndAnUnknownUserIsNotFound()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("erase"), fixture.Redis);
        var silo = (await cluster.StartAsync(1, "cohosted", "silo", TimeSpan.FromSeconds(60)))[0];
        var ingestor = new Ingestor([silo.BaseAddress]);
        await ingestor.SendAllAsync(Ingestor.Plan("erase", users: 1, eventsPerUser: 3, size: 3), TimeSpan.FromSeconds(30));
        using var http = SegmentsHttp.Client(silo.BaseAddress);

        using var unknown = await http.SendAsync(Admin(HttpMethod.Delete, "v1/users/erase-nobody"));
        using var known = await http.SendAsync(Admin(HttpMethod.Delete, "v1/users/erase-user-0"));

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, known.StatusCode);
        Assert.Null(await SegmentsHttp.EventsAppliedAsync(http, "erase-user-0"));
        Assert.Equal("0", await fixture.Redis.CommandAsync("EXISTS", $"orleans-segments/state/user/shop/u/erase-user-0/profile"));
    }

    private static HttpRequestMessage Admin(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Shop.AdminKey);
        return request;
    }
}
