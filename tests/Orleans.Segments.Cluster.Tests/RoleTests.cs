using System.Net;
using Orleans.Segments.Cluster.Tests.Infrastructure;

namespace Orleans.Segments.Cluster.Tests;

/// <summary>Silo-only processes hold the grains; a gateway (an Orleans client) serves the API in front of them.</summary>
public abstract class RoleTests(IStorageServer storage)
{
    [Fact]
    public async Task GatewayServesTheApiOfTwoSiloOnlyProcessesThatServeNoApiThemselves()
    {
        await using var cluster = new SiloSet(RedisFixture.NewClusterId("roles"), storage);
        var silos = await cluster.StartAsync(2, "silo", "silo", TimeSpan.FromSeconds(60));
        var gateway = (await cluster.StartAsync(1, "gateway", "gateway", TimeSpan.FromSeconds(60)))[0];

        var ingestor = new Ingestor([gateway.BaseAddress]);
        await ingestor.SendAllAsync(Ingestor.Plan("roles", users: 10, eventsPerUser: 5, size: 10), TimeSpan.FromSeconds(30));
        using var http = SegmentsHttp.Client(gateway.BaseAddress);
        foreach (var (userId, expected) in ingestor.Acknowledged)
        {
            Assert.Equal(expected, await SegmentsHttp.EventsAppliedAsync(http, userId));
        }

        using var siloHttp = SegmentsHttp.Client(silos[0].BaseAddress);
        using var response = await siloHttp.SendAsync(SegmentsHttp.Batch([("roles-user-0", "roles-extra")]));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}

[Collection(ProcessCollection.Name)]
public sealed class RedisRoleTests(RedisFixture fixture) : RoleTests(fixture.Redis), IClassFixture<RedisFixture>;

[Collection(ProcessCollection.Name)]
public sealed class AzureStorageRoleTests(AzuriteFixture fixture) : RoleTests(fixture.Azurite), IClassFixture<AzuriteFixture>;
