using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The segments API over real HTTP: definitions, exact sizes, member pages, previews, explanations, and the
/// memberships users' profiles show. Each test matches only a cohort of its own, so sizes are exact.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SegmentsApiTests(ServerFixture server)
{
    [Fact]
    public async Task NewSegmentIsCreatedAndCountsTheExistingUsersExactly()
    {
        string cohort = NewCohort(), id = NewId();
        await server.IngestBatchAsync(
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "pro" }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "pro" }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "free" }));
        string rule = $"{InCohort(cohort)} and trait(\"plan\") = \"pro\"";

        using var put = await server.AdminAsync(HttpMethod.Put, SegmentPath(id), SegmentBody(rule, "Pro users"));
        var created = JsonNode.Parse(await put.ShouldHaveStatusAsync(HttpStatusCode.Created))!;
        await server.BackfillAsync();
        var segment = await server.GetSegmentAsync(id);

        Assert.Equal($"/v1/segments/{id}", put.Headers.Location?.OriginalString);
        Assert.Equal(id, (string?)created["id"]);
        Assert.Contains((string?)created["status"], new[] { "ready", "backfilling" });
        Assert.Equal("Pro users", (string?)segment["name"]);
        Assert.Equal(rule, (string?)segment["rule"]);
        Assert.Equal(2, (long)segment["size"]!);
        Assert.Equal("ready", (string?)segment["status"]);
    }

    [Fact]
    public async Task ChangedRuleAnswersOkAndTheSizeFollowsIt()
    {
        string cohort = NewCohort(), id = NewId();
        await server.IngestBatchAsync(
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "pro" }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "free" }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "free" }));
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and trait(\"plan\") = \"pro\"");
        await server.BackfillAsync();
        Assert.Equal(1, await server.SizeAsync(id));

        string changed = $"{InCohort(cohort)} and trait(\"plan\") = \"free\"";
        var updated = await server.PutSegmentAsync(id, changed, HttpStatusCode.OK);
        await server.BackfillAsync();

        Assert.Equal(changed, (string?)updated["rule"]);
        Assert.Equal(2, await server.SizeAsync(id));
        await server.PutSegmentAsync(id, changed, HttpStatusCode.OK);
    }

    [Fact]
    public async Task ListShowsEverySegmentWithItsExactSizeInIdOrder()
    {
        string cohort = NewCohort();
        string first = NewId("list-a"), second = NewId("list-b");
        await server.IngestBatchAsync(
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["age"] = 17 }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["age"] = 30 }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["age"] = 45 }));
        await server.PutSegmentAsync(first, InCohort(cohort));
        await server.PutSegmentAsync(second, $"{InCohort(cohort)} and trait(\"age\") >= 18");
        await server.BackfillAsync();

        using var response = await server.AdminAsync(HttpMethod.Get, "/v1/segments");
        var segments = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!["segments"]!.AsArray();

        var ids = segments.Select(s => (string)s!["id"]!).ToList();
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        var a = segments.Single(s => (string?)s!["id"] == first)!;
        var b = segments.Single(s => (string?)s!["id"] == second)!;
        Assert.Equal((3L, "ready"), ((long)a["size"]!, (string?)a["status"]));
        Assert.Equal((2L, "ready"), ((long)b["size"]!, (string?)b["status"]));
        Assert.Equal(InCohort(cohort), (string?)a["rule"]);
    }

    [Fact]
    public async Task MembersArePagedAcrossShardsWithEveryMemberExactlyOnceForEveryLimit()
    {
        string cohort = NewCohort(), id = NewId();
        var users = Enumerable.Range(0, 12).Select(_ => TestApps.NewUserId()).ToArray();
        Assert.True(users.Select(SegmentIndexGrain.ShardOf).Distinct().Count() > 1, "The users should spread over several index shards.");
        await server.PutSegmentAsync(id, InCohort(cohort));
        await server.IngestBatchAsync(users.Select(u => Identify(u, cohort)).ToArray());

        for (int limit = 1; limit <= users.Length + 1; limit++)
        {
            var members = await server.AllMembersAsync(id, limit);

            Assert.True(members.Count == members.Distinct().Count(), $"limit={limit}: a member came twice: {string.Join(", ", members)}");
            Assert.True(users.ToHashSet().SetEquals(members), $"limit={limit}: expected {string.Join(", ", users.Order())}, got {string.Join(", ", members)}");
        }

        var (all, next) = await server.MembersPageAsync(id);
        Assert.Equal(users.Order(StringComparer.Ordinal), all.Order(StringComparer.Ordinal));
        Assert.Null(next);
    }

    [Fact]
    public async Task MemberWhoLeavesBetweenPagesDoesNotBreakTheCursor()
    {
        string cohort = NewCohort(), id = NewId();

        // Two users in the same index shard: a page of two ends on the shard's last member, and that member leaves.
        var byShard = new Dictionary<int, string>();
        string[] pair;
        while (true)
        {
            string user = TestApps.NewUserId();
            if (byShard.TryGetValue(SegmentIndexGrain.ShardOf(user), out var other))
            {
                pair = [other, user];
                break;
            }

            byShard[SegmentIndexGrain.ShardOf(user)] = user;
        }

        Array.Sort(pair, StringComparer.Ordinal);
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and trait(\"plan\") = \"pro\"");
        await server.IngestBatchAsync(pair.Select(u => Identify(u, cohort, new JsonObject { ["plan"] = "pro" })).ToArray());
        var (first, cursor) = await server.MembersPageAsync(id, limit: 2);
        Assert.Equal(pair, first);
        Assert.NotNull(cursor);

        await server.IngestBatchAsync(Identify(pair[1], cohort, new JsonObject { ["plan"] = "free" }));
        var (rest, next) = await server.MembersPageAsync(id, limit: 2, cursor);

        Assert.Empty(rest);
        Assert.Null(next);
    }

    [Fact]
    public async Task PreviewValidatesTheRuleAndCountsMatchingUsersWithoutSavingIt()
    {
        string cohort = NewCohort();
        await server.IngestBatchAsync(
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "pro" }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "pro" }),
            Identify(TestApps.NewUserId(), cohort, new JsonObject { ["plan"] = "free" }));

        string untidy = $"trait(\"cohort\")=\"{cohort}\"   and\n(trait(\"plan\")=\"pro\")";
        using var response = await server.AdminAsync(HttpMethod.Post, "/v1/segments/preview", new JsonObject { ["rule"] = untidy }.ToJsonString());
        var preview = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;

        Assert.True((bool)preview["valid"]!);
        Assert.Equal($"{InCohort(cohort)} and trait(\"plan\") = \"pro\"", (string?)preview["rule"]);
        Assert.Equal(2, (long)preview["size"]!);
        Assert.True((long)preview["users"]! >= 3, $"The preview looked at {preview["users"]} users, fewer than this test created.");
    }

    [Fact]
    public async Task ExplainShowsTheRuleTreeWithEachConditionsValueForTheUser()
    {
        string cohort = NewCohort(), id = NewId(), userId = TestApps.NewUserId();
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and count(\"Order Completed\", 30d) >= 3 and (has_push_token or trait(\"plan\") = \"pro\")");
        await server.IngestBatchAsync(
            Identify(userId, cohort, new JsonObject { ["plan"] = "pro" }),
            Track(userId, "Order Completed"),
            Track(userId, "Order Completed"));

        var before = await ExplainAsync(userId, id);
        await server.IngestBatchAsync(Track(userId, "Order Completed"));
        var after = await ExplainAsync(userId, id);

        Assert.False((bool)before["member"]!);
        var tree = before["explanation"]!;
        Assert.Equal(("and", false), ((string?)tree["kind"], (bool)tree["held"]!));
        var children = tree["children"]!.AsArray();
        Assert.Equal(["condition", "condition", "or"], children.Select(c => (string)c!["kind"]!));
        Assert.Equal(InCohort(cohort), (string?)children[0]!["rule"]);
        Assert.Equal((cohort, true), ((string?)children[0]!["value"], (bool)children[0]!["held"]!));
        Assert.Equal("count(\"Order Completed\", 30d) >= 3", (string?)children[1]!["rule"]);
        Assert.Equal(("2", false), ((string?)children[1]!["value"], (bool)children[1]!["held"]!));
        var either = children[2]!["children"]!.AsArray();
        Assert.True((bool)children[2]!["held"]!);
        Assert.Equal([("has_push_token", "false", false), ("trait(\"plan\") = \"pro\"", "pro", true)],
            either.Select(c => ((string)c!["rule"]!, (string?)c["value"], (bool)c["held"]!)));

        Assert.True((bool)after["member"]!);
        Assert.True((bool)after["explanation"]!["held"]!);
        Assert.Equal("3", (string?)after["explanation"]!["children"]![1]!["value"]);
        Assert.Equal([id], (await server.GetUserAsync(userId)).SegmentIds());
    }

    [Fact]
    public async Task ExplainOfAnUnknownUserOrSegmentIsNotFound()
    {
        string userId = TestApps.NewUserId(), id = NewId();
        await server.PutSegmentAsync(id, "has_push_token");
        await server.IngestBatchAsync(Identify(userId, NewCohort()));

        using var unknownUser = await server.AdminAsync(HttpMethod.Get, ExplainPath(TestApps.NewUserId(), id));
        using var unknownSegment = await server.AdminAsync(HttpMethod.Get, ExplainPath(userId, NewId()));

        Assert.Contains("No user", (await unknownUser.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Detail);
        Assert.Contains("No segment", (await unknownSegment.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Detail);
    }

    [Fact]
    public async Task DeletedSegmentIsGoneFromTheApiAndFromItsMembersProfiles()
    {
        string cohort = NewCohort(), id = NewId(), userId = TestApps.NewUserId();
        await server.PutSegmentAsync(id, InCohort(cohort));
        await server.IngestBatchAsync(Identify(userId, cohort));
        Assert.Equal([id], (await server.GetUserAsync(userId)).SegmentIds());

        using (var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id)))
        {
            await delete.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        await server.BackfillAsync();
        using var get = await server.AdminAsync(HttpMethod.Get, SegmentPath(id));
        using var members = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members");
        using var again = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id));
        using var list = await server.AdminAsync(HttpMethod.Get, "/v1/segments");
        var profile = await server.GetUserAsync(userId);

        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await members.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await again.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.DoesNotContain($"\"{id}\"", await list.ShouldHaveStatusAsync(HttpStatusCode.OK));
        Assert.Empty(profile.SegmentIds());
        Assert.Equal(["entered", "exited"], profile["segmentHistory"]!.AsArray().Where(t => (string?)t!["id"] == id).Select(t => (string)t!["change"]!));
    }

    [Fact]
    public async Task SegmentRecreatedAfterDeletionStartsFromItsNewMembers()
    {
        string cohort = NewCohort(), id = NewId(), userId = TestApps.NewUserId();
        await server.PutSegmentAsync(id, InCohort(cohort));
        await server.IngestBatchAsync(Identify(userId, cohort));
        using (var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id)))
        {
            await delete.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and has_push_token");
        await server.BackfillAsync();

        Assert.Equal(0, await server.SizeAsync(id));
        Assert.Empty((await server.MembersPageAsync(id)).Members);
        Assert.Empty((await server.GetUserAsync(userId)).SegmentIds());
    }

    [Fact]
    public async Task SegmentDeletedAndRecreatedAtOnceKeepsItsMembersInTheIndex()
    {
        string cohort = NewCohort(), id = NewId();
        var users = Enumerable.Range(0, 4).Select(_ => TestApps.NewUserId()).ToArray();
        await server.PutSegmentAsync(id, InCohort(cohort));
        await server.IngestBatchAsync(users.Select(u => Identify(u, cohort)).ToArray());
        await server.BackfillAsync();

        using (var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id)))
        {
            await delete.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        await server.PutSegmentAsync(id, InCohort(cohort));
        await server.BackfillAsync();

        var profiles = await Task.WhenAll(users.Select(u => server.GetUserAsync(u)));
        Assert.All(profiles, p => Assert.Equal([id], p.SegmentIds()));
        Assert.Equal(users.Order(StringComparer.Ordinal), (await server.AllMembersAsync(id, 100)).Order(StringComparer.Ordinal));
        Assert.Equal(users.Length, await server.SizeAsync(id));
    }

    [Fact]
    public async Task BatchIngestMakesTheUserAMemberAtOnceAndTheProfileShowsIt()
    {
        string cohort = NewCohort(), buyers = NewId("buyers"), loyal = NewId("loyal"), userId = TestApps.NewUserId();
        await server.PutSegmentAsync(buyers, $"{InCohort(cohort)} and count(\"Order Completed\", 30d) >= 3");
        await server.PutSegmentAsync(loyal, $"in_segment(\"{buyers}\") and subscribed(\"marketing\") = false");
        await server.IngestBatchAsync(Identify(userId, cohort), Track(userId, "Order Completed"), Track(userId, "Order Completed"));
        Assert.Equal(0, await server.SizeAsync(buyers));
        Assert.Empty((await server.GetUserAsync(userId)).SegmentIds());

        var at = server.Time.GetUtcNow().UtcDateTime;
        await server.IngestBatchAsync(Track(userId, "Order Completed"));

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(1, await server.SizeAsync(buyers));
        Assert.Equal(1, await server.SizeAsync(loyal));
        Assert.Equal([userId], (await server.MembersPageAsync(buyers)).Members);
        Assert.Equal(new[] { buyers, loyal }.Order(StringComparer.Ordinal), profile.SegmentIds());
        Assert.All(profile["segments"]!.AsArray(), s => Assert.Equal(at, (DateTime)s!["since"]!));
        var history = profile["segmentHistory"]!.AsArray();
        Assert.Contains(history, t => (string?)t!["id"] == buyers && (string?)t["change"] == "entered" && (DateTime)t["at"]! == at);
        Assert.Empty(profile["geofences"]!.AsArray());
        Assert.Empty(profile["geofenceHistory"]!.AsArray());
    }

    [Fact]
    public async Task DevicesAndConsentsMoveUsersInAndOutAsWellAsEvents()
    {
        string cohort = NewCohort(), id = NewId(), userId = TestApps.NewUserId();
        string token = Tokens.Apns();
        await server.PutSegmentAsync(id, $"{InCohort(cohort)} and has_push_token and subscribed(\"marketing\")");
        await server.IngestBatchAsync(Identify(userId, cohort));
        using (var put = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{token}", """{"platform": "ios"}"""))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        Assert.Equal(0, await server.SizeAsync(id));
        using (var consent = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", """{"marketing": true}"""))
        {
            await consent.ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        Assert.Equal(1, await server.SizeAsync(id));
        using (var delete = await server.AdminAsync(HttpMethod.Delete, $"{SegmentsApi.UserPath(userId)}/devices/{token}"))
        {
            await delete.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        }

        Assert.Equal(0, await server.SizeAsync(id));
        Assert.Empty((await server.GetUserAsync(userId)).SegmentIds());
    }

    private async Task<JsonNode> ExplainAsync(string userId, string segmentId)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, ExplainPath(userId, segmentId));
        var body = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
        Assert.Equal((userId, segmentId), ((string?)body["userId"], (string?)body["segmentId"]));
        return body;
    }
}
