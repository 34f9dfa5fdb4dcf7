using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Segments;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>
/// Requests of the segments and geofences API. Every test shares the apps of one server, so each test tags its
/// users with a cohort of its own and writes rules that match only that cohort: sizes are then exact.
/// </summary>
public static class SegmentRequests
{
    /// <summary>A segment or geofence id no other test uses.</summary>
    public static string NewId(string prefix = "seg") => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    /// <summary>A cohort tag no other test uses.</summary>
    public static string NewCohort() => $"cohort-{Guid.NewGuid():N}";

    /// <summary>The condition that picks a cohort's users: <c>trait("cohort") = "…"</c>.</summary>
    public static string InCohort(string cohort) => $"trait(\"cohort\") = \"{cohort}\"";

    public static string SegmentPath(string id) => $"/v1/segments/{Uri.EscapeDataString(id)}";

    public static string GeofencePath(string id) => $"/v1/geofences/{Uri.EscapeDataString(id)}";

    public static string ExplainPath(string userId, string segmentId) => $"{SegmentsApi.UserPath(userId)}/segments/{Uri.EscapeDataString(segmentId)}/explain";

    public static string SegmentBody(string rule, string? name = null) =>
        new JsonObject { ["name"] = name, ["rule"] = rule }.ToJsonString();

    /// <summary>PUTs a segment and checks the status (201 for a new one unless told); returns the segment as answered.</summary>
    public static async Task<JsonNode> PutSegmentAsync(this ServerFixture server, string id, string rule, HttpStatusCode expected = HttpStatusCode.Created, TestApp? app = null)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, SegmentPath(id), SegmentBody(rule, $"Segment {id}"), app);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    /// <summary>GETs a segment; fails unless it answers 200.</summary>
    public static async Task<JsonNode> GetSegmentAsync(this ServerFixture server, string id)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, SegmentPath(id));
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
    }

    public static async Task<long> SizeAsync(this ServerFixture server, string id) => (long)(await server.GetSegmentAsync(id))["size"]!;

    /// <summary>Waits until every user of the app has been re-evaluated with the newest definitions.</summary>
    public static Task BackfillAsync(this ServerFixture server, TestApp? app = null) =>
        server.Grains.GetGrain<ISegmentBackfillGrain>((app ?? TestApps.Shop).Id).RunToEnd();

    /// <summary>One page of members: GET /v1/segments/{id}/members with the limit and cursor given.</summary>
    public static async Task<(string[] Members, string? Next)> MembersPageAsync(this ServerFixture server, string id, int? limit = null, string? cursor = null)
    {
        var query = new List<string>();
        if (limit is { } l) query.Add($"limit={l}");
        if (cursor is not null) query.Add($"cursor={Uri.EscapeDataString(cursor)}");
        string path = $"{SegmentPath(id)}/members" + (query.Count > 0 ? "?" + string.Join('&', query) : "");
        using var response = await server.AdminAsync(HttpMethod.Get, path);
        var page = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
        return (page["members"]!.AsArray().Select(m => (string)m!).ToArray(), (string?)page["next"]);
    }

    /// <summary>Every member, following the cursor until <c>next</c> is null; fails if a page breaks the limit.</summary>
    public static async Task<List<string>> AllMembersAsync(this ServerFixture server, string id, int limit)
    {
        var members = new List<string>();
        string? cursor = null;
        for (int page = 0; page < 1000; page++)
        {
            var (batch, next) = await server.MembersPageAsync(id, limit, cursor);
            Assert.True(batch.Length <= limit, $"Page {page} of '{id}' with limit={limit} had {batch.Length} members.");
            members.AddRange(batch);
            if (next is null) return members;
            cursor = next;
        }

        Assert.Fail($"The members of '{id}' with limit={limit} never reached next=null.");
        return members;
    }

    /// <summary>An identify call that puts a user into a cohort, with more traits if given, as a batch item.</summary>
    public static JsonObject Identify(string userId, string cohort, JsonObject? traits = null)
    {
        traits ??= new JsonObject();
        traits["cohort"] = cohort;
        return new JsonObject { ["type"] = "identify", ["userId"] = userId, ["traits"] = traits };
    }

    /// <summary>A track call as a batch item.</summary>
    public static JsonObject Track(string userId, string eventName, JsonObject? context = null) =>
        new() { ["type"] = "track", ["userId"] = userId, ["event"] = eventName, ["context"] = context ?? new JsonObject() };

    /// <summary>Sends the calls as one <c>/v1/batch</c> with the shop's write key and checks it was accepted.</summary>
    public static Task IngestBatchAsync(this ServerFixture server, params JsonObject[] calls) =>
        server.IngestAcceptedAsync("/v1/batch", new JsonObject { ["batch"] = new JsonArray(calls) }.ToJsonString());

    /// <summary>The ids of the segments the user's profile says they are in.</summary>
    public static string[] SegmentIds(this JsonNode profile) => profile["segments"]!.AsArray().Select(s => (string)s!["id"]!).ToArray();
}
