using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Segments.Hosting;
using Orleans.Segments.Server.Tests.Infrastructure;
using Orleans.Segments.Users;
using Orleans.Storage;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// A user whose stored profile cannot be read (corrupt, or written by a newer version) fails only that user's
/// calls, with a clear reason and a metric to alert on; the record is left as it is and every other user is served.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class UnreadableStateTests(ServerFixture server)
{
    [Fact]
    public async Task UnreadableProfileFailsOnlyItsUserWithTheReasonAndIsCounted()
    {
        string broken = TestApps.NewUserId(), healthy = TestApps.NewUserId();
        var grain = server.Grains.GetGrain<IUserGrain>(UserKey.Known(TestApps.Shop.Id, broken).GrainKey);
        var storage = server.Services.GetRequiredKeyedService<IGrainStorage>(SegmentsStorage.Name);

        // Why: a record of another shape under the profile's name stands for corrupt bytes or a newer version's format.
        await storage.WriteStateAsync("profile", grain.GetGrainId(), new GrainState<string>("written by version 99"));
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{healthy}}}", "traits": {"plan": "pro"}}""");

        using var read = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(broken));
        var problem = await read.ShouldBeProblemAsync(HttpStatusCode.InternalServerError);
        using var batch = await server.IngestAsync("/v1/batch", $$$"""
            {"batch": [{"type": "track", "userId": "{{{broken}}}", "event": "Order Completed", "messageId": "m-1"},
                       {"type": "track", "userId": "{{{healthy}}}", "event": "Order Completed", "messageId": "m-2"}]}
            """);
        using var other = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(healthy));
        using var metrics = await server.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/metrics").WithBearer(TestApps.OperatorKey));
        string text = await metrics.Content.ReadAsStringAsync();

        Assert.StartsWith("The stored UserProfileState this request needs could not be read", problem.Detail);
        // Why: the batch is not acknowledged, so the SDK keeps it; the other user's event in it is stored (its retry
        // is dropped as a duplicate).
        Assert.Equal(HttpStatusCode.ServiceUnavailable, batch.StatusCode);
        Assert.Contains("Order Completed", await other.ShouldHaveStatusAsync(HttpStatusCode.OK));
        Assert.Contains("segments_storage_unreadable_states", text);
        var again = new GrainState<string>(null!);
        await storage.ReadStateAsync("profile", grain.GetGrainId(), again);
        Assert.Equal("written by version 99", again.State);
    }
}
