using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>The geofences API over real HTTP, and location events entering and leaving fences and the segments on them.</summary>
[Collection(ServerCollection.Name)]
public sealed class GeofencesApiTests(ServerFixture server)
{
    private const string Station = """{"name": "Central station", "latitude": 52.5251, "longitude": 13.3694, "radiusMeters": 300}""";

    // A square of about 1.1 km around Alexanderplatz.
    private const string Square = """{"name": "Alexanderplatz", "polygon": [[52.517, 13.407], [52.517, 13.417], [52.527, 13.417], [52.527, 13.407]]}""";

    [Fact]
    public async Task CircleIsCreatedReadListedAndChanged()
    {
        string id = NewId("fence");
        using var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(id), Station);
        var created = JsonNode.Parse(await put.ShouldHaveStatusAsync(HttpStatusCode.Created))!;
        var read = await GetAsync(id);

        Assert.Equal($"/v1/geofences/{id}", put.Headers.Location?.OriginalString);
        Assert.True(JsonNode.DeepEquals(created, read), $"PUT answered {created.ToJsonString()}, GET {read.ToJsonString()}");
        Assert.Equal(("Central station", 52.5251, 13.3694, 300.0),
            ((string?)read["name"], (double)read["latitude"]!, (double)read["longitude"]!, (double)read["radiusMeters"]!));
        Assert.Null(read["polygon"]);
        Assert.Contains(await ListAsync(), f => (string?)f!["id"] == id);

        using var change = await server.AdminAsync(HttpMethod.Put, GeofencePath(id), Station.Replace("300", "450"));
        await change.ShouldHaveStatusAsync(HttpStatusCode.OK);

        Assert.Equal(450.0, (double)(await GetAsync(id))["radiusMeters"]!);
    }

    [Fact]
    public async Task PolygonIsCreatedAndReadBackVertexByVertex()
    {
        string id = NewId("fence");
        using var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(id), Square);
        await put.ShouldHaveStatusAsync(HttpStatusCode.Created);

        var read = await GetAsync(id);

        Assert.Equal("Alexanderplatz", (string?)read["name"]);
        Assert.Null(read["radiusMeters"]);
        Assert.Equal([[52.517, 13.407], [52.517, 13.417], [52.527, 13.417], [52.527, 13.407]],
            read["polygon"]!.AsArray().Select(v => v!.AsArray().Select(c => (double)c!).ToArray()));
    }

    [Fact]
    public async Task DeletedGeofenceIsGone()
    {
        string id = NewId("fence");
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(id), Station))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        using (var delete = await server.AdminAsync(HttpMethod.Delete, GeofencePath(id)))
        {
            await delete.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        using var get = await server.AdminAsync(HttpMethod.Get, GeofencePath(id));
        using var again = await server.AdminAsync(HttpMethod.Delete, GeofencePath(id));
        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain(await ListAsync(), f => (string?)f!["id"] == id);
    }

    [Fact]
    public async Task LocationEventsEnterAndLeaveAFenceAndTheSegmentOnItFollows()
    {
        string fence = NewId("fence"), id = NewId(), cohort = NewCohort(), userId = TestApps.NewUserId();
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(fence), Station))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and inside(\"{fence}\")");
        var at = server.Time.GetUtcNow().UtcDateTime;

        await server.IngestBatchAsync(Identify(userId, cohort), Track(userId, "Location Updated", At(52.5255, 13.3700)));
        var inside = await server.GetUserAsync(userId);
        long sizeInside = await server.SizeAsync(id);
        await server.IngestBatchAsync(Track(userId, "Location Updated", At(52.52, 13.405)));
        var outside = await server.GetUserAsync(userId);

        // Why: other tests' fences may cover the same spot, so only this test's fence is looked for.
        Assert.Contains(fence, Fences(inside));
        Assert.Equal([id], inside.SegmentIds());
        Assert.Equal(1, sizeInside);
        Assert.DoesNotContain(fence, Fences(outside));
        Assert.Empty(outside.SegmentIds());
        Assert.Equal(0, await server.SizeAsync(id));
        Assert.Equal([("entered", at), ("exited", at)],
            outside["geofenceHistory"]!.AsArray().Where(t => (string?)t!["id"] == fence).Select(t => ((string)t!["change"]!, (DateTime)t["at"]!)));
    }

    [Fact]
    public async Task PolygonFenceContainsAPointInsideItAndNotOneOutside()
    {
        string fence = NewId("fence"), inUser = TestApps.NewUserId(), outUser = TestApps.NewUserId();
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(fence), Square))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        await server.IngestBatchAsync(
            Track(inUser, "Location Updated", At(52.5219, 13.4132)),
            Track(outUser, "Location Updated", At(52.5251, 13.3694)));

        Assert.Contains(fence, Fences(await server.GetUserAsync(inUser)));
        Assert.DoesNotContain(fence, Fences(await server.GetUserAsync(outUser)));
    }

    private static JsonObject At(double latitude, double longitude) =>
        new() { ["location"] = new JsonObject { ["latitude"] = latitude, ["longitude"] = longitude } };

    private static IEnumerable<string> Fences(JsonNode profile) => profile["geofences"]!.AsArray().Select(f => (string)f!);

    private async Task<JsonNode> GetAsync(string id)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, GeofencePath(id));
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
    }

    private async Task<JsonArray> ListAsync()
    {
        using var response = await server.AdminAsync(HttpMethod.Get, "/v1/geofences");
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!["geofences"]!.AsArray();
    }
}
