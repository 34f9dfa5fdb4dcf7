using System.Net;
using System.Text.Json.Nodes;
using Orleans.Segments.Campaigns;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Campaigns over HTTP: define, launch, send, statistics, and every way a definition can be wrong.</summary>
[Collection(ServerCollection.Name)]
public sealed class CampaignsApiTests(ServerFixture server)
{
    private static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>A segment of its own (a cohort trait), so campaigns in these tests reach only their own users.</summary>
    private async Task<(string Segment, string Cohort)> Cohort()
    {
        string cohort = Guid.NewGuid().ToString("N")[..10];
        string segment = NewId("cohort");
        using var put = await server.AdminAsync(HttpMethod.Put, $"/v1/segments/{segment}", $$$"""{"rule": "trait(\"cohort\") = \"{{{cohort}}}\""}""");
        await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (segment, cohort);
    }

    private async Task<string> ReachableUser(string cohort, bool marketing = true)
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {"first_name": "Ada", "cohort": "{{{cohort}}}"}}""");
        using var device = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/devices/{Tokens.Apns()}", """{"platform": "ios"}""");
        await device.ShouldHaveStatusAsync(HttpStatusCode.OK);
        using var consent = await server.AdminAsync(HttpMethod.Put, $"{SegmentsApi.UserPath(userId)}/subscriptions", $$$"""{"marketing": {{{(marketing ? "true" : "false")}}}}""");
        await consent.ShouldHaveStatusAsync(HttpStatusCode.OK);
        return userId;
    }

    private static string Manual(string segment, string extra = "") => $$$"""
        {
          "name": "Spring sale",
          "audience": {"segment": "{{{segment}}}"},
          "trigger": {"type": "manual"},
          "message": {"title": "Hi {{ traits.first_name | default: \"there\" }}", "body": "20% off today", "deepLink": "shop://sale", "data": {"sale": "spring"}},
          "quietHours": {"enabled": false}{{{extra}}}
        }
        """;

    private async Task<JsonNode> Send(HttpMethod method, string path, string? json, HttpStatusCode expected)
    {
        using var response = await server.AdminAsync(method, path, json);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(expected))!;
    }

    private async Task<JsonNode[]> Messages(string userId, string campaign)
    {
        var log = await Send(HttpMethod.Get, $"{SegmentsApi.UserPath(userId)}/messages", null, HttpStatusCode.OK);
        return log["messages"]!.AsArray().Where(m => (string?)m!["campaignId"] == campaign).Select(m => m!).ToArray();
    }

    [Fact]
    public async Task EveryWrongFieldOfACampaignIsNamedInOneAnswer()
    {
        string body = """
            {"name": "All wrong", "priority": 5, "holdoutPercent": "5", "cap": {"limit": "two", "window": "7d"}, "ttl": "1d",
             "trigger": {"type": "manual"}, "message": {"title": "Hi", "body": "x", "data": {"sale": 1, "ok": "yes"}},
             "variants": [{"name": "a", "percent": 50, "message": {"title": "A", "body": "a"}}, 7],
             "quietHours": {"start": "25:00", "end": "08:00"}}
            """;

        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("allwrong")}", body);
        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);

        // Why: the type errors are found together, and the fields that could be read are still checked (the hour).
        foreach (string expected in new[]
        {
            "priority: must be a string.", "holdoutPercent: must be a number.", "cap.limit: must be an integer.", "ttl: not a field of a campaign.",
            "message.data.sale: must be a string (FCM data values are strings).", "variants[1]: must be an object.", "quietHours.start",
        })
        {
            Assert.True(problem.Errors.Any(e => e.StartsWith(expected, StringComparison.Ordinal)), $"'{expected}' is not among: {string.Join(" | ", problem.Errors)}");
        }

        Assert.DoesNotContain(problem.Errors, e => e.StartsWith("cap.limit: required", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ManualBroadcastGoesFromDraftToSentWithStatisticsThatAddUp()
    {
        var (segment, cohort) = await Cohort();
        var users = new List<string>();
        for (int i = 0; i < 6; i++) users.Add(await ReachableUser(cohort, marketing: i != 0));
        string id = NewId("sale");

        var created = await Send(HttpMethod.Put, $"/v1/campaigns/{id}", Manual(segment, """, "variants": [{"name": "a", "percent": 50, "message": {"title": "A", "body": "a"}}, {"name": "b", "percent": 50, "message": {"title": "B", "body": "b"}}]"""), HttpStatusCode.Created);
        var launched = await Send(HttpMethod.Post, $"/v1/campaigns/{id}/launch", null, HttpStatusCode.OK);
        var sending = await Send(HttpMethod.Post, $"/v1/campaigns/{id}/send", null, HttpStatusCode.OK);
        await server.Grains.GetGrain<ICampaignGrain>($"shop/{id}").Tick();
        var view = await Send(HttpMethod.Get, $"/v1/campaigns/{id}", null, HttpStatusCode.OK);
        var stats = await Send(HttpMethod.Get, $"/v1/campaigns/{id}/stats", null, HttpStatusCode.OK);
        var list = await Send(HttpMethod.Get, "/v1/campaigns", null, HttpStatusCode.OK);

        Assert.Equal("draft", (string?)created["status"]);
        Assert.Equal("manual", (string?)created["definition"]!["trigger"]!["type"]);
        Assert.Equal("running", (string?)launched["status"]);
        Assert.Equal("running", (string?)sending["broadcast"]!["state"]);
        Assert.Equal(6, (long)view["pastBroadcasts"]!.AsArray().Single()!["offered"]!);
        var total = stats["total"]!;
        Assert.Equal(6, (long)total["targeted"]!);
        Assert.Equal(5, (long)total["sent"]!);
        Assert.Equal(1, (long)total["suppressedBy"]!["no_consent"]!);
        Assert.Equal((long)total["targeted"]!, (long)total["sent"]! + (long)total["suppressed"]! + (long)total["failed"]! + (long)total["pending"]!);
        Assert.Equal(1.0, (double)total["rates"]!["delivery"]!);
        Assert.Contains(list["campaigns"]!.AsArray(), c => (string?)c!["id"] == id && (string?)c["status"] == "running");
        var sent = (await Messages(users[1], id)).Single();
        Assert.Equal("delivered", (string?)sent["status"]);
        Assert.Contains((string?)sent["variant"], new[] { "a", "b" });
        Assert.Equal("no_consent", (string?)(await Messages(users[0], id)).Single()["reason"]);
    }

    [Fact]
    public async Task EventTriggeredTransactionalCampaignSendsOnTheTrackedEventAndCountsTheOpen()
    {
        string id = NewId("receipt");
        var (_, cohort) = await Cohort();
        string userId = await ReachableUser(cohort, marketing: false);
        await Send(HttpMethod.Put, $"/v1/campaigns/{id}", """
            {"category": "transactional", "trigger": {"type": "event", "event": "Order Completed"},
             "message": {"title": "Order confirmed", "body": "Thanks {{ traits.first_name }}!"}}
            """, HttpStatusCode.Created);
        await Send(HttpMethod.Post, $"/v1/campaigns/{id}/launch", null, HttpStatusCode.OK);

        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{userId}}}", "event": "Order Completed", "messageId": "{{{Guid.NewGuid()}}}"}""");
        var sent = (await Messages(userId, id)).Single();
        await server.IngestAcceptedAsync("/v1/track", $$$"""{"userId": "{{{userId}}}", "event": "Push Notification Tapped", "properties": {"notification_id": "{{{(string?)sent["notificationId"]}}}"}}""");
        var stats = await Send(HttpMethod.Get, $"/v1/campaigns/{id}/stats", null, HttpStatusCode.OK);

        Assert.Equal("delivered", (string?)sent["status"]);
        Assert.Equal(1, (long)stats["total"]!["sent"]!);
        Assert.Equal(1, (long)stats["total"]!["opened"]!);
        Assert.Equal(1.0, (double)stats["total"]!["rates"]!["open"]!);
    }

    [Fact]
    public async Task StatusChangesFollowTheCampaignsLifeAndRefuseWhatItsStatusForbids()
    {
        var (segment, _) = await Cohort();
        string id = NewId("life");
        await Send(HttpMethod.Put, $"/v1/campaigns/{id}", Manual(segment), HttpStatusCode.Created);

        using var pauseDraft = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{id}/pause");
        using var sendDraft = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{id}/send");
        await Send(HttpMethod.Post, $"/v1/campaigns/{id}/launch", null, HttpStatusCode.OK);
        var paused = await Send(HttpMethod.Post, $"/v1/campaigns/{id}/pause", null, HttpStatusCode.OK);
        using var launchPaused = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{id}/launch");
        var resumed = await Send(HttpMethod.Post, $"/v1/campaigns/{id}/resume", null, HttpStatusCode.OK);
        var cancelled = await Send(HttpMethod.Post, $"/v1/campaigns/{id}/cancel", null, HttpStatusCode.OK);
        using var launchCancelled = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{id}/launch");
        using var changeCancelled = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{id}", Manual(segment));
        using var unknown = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{NewId("nope")}/launch");
        using var unknownStats = await server.AdminAsync(HttpMethod.Get, $"/v1/campaigns/{NewId("nope")}/stats");

        Assert.Contains("only a running campaign can be paused", (await pauseDraft.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons);
        Assert.Contains("launch or resume it first", (await sendDraft.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons);
        Assert.Equal("paused", (string?)paused["status"]);
        Assert.Equal("paused by a campaign manager", (string?)paused["statusReason"]);
        Assert.Contains("resume it instead", (await launchPaused.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons);
        Assert.Equal("running", (string?)resumed["status"]);
        Assert.Equal("cancelled", (string?)cancelled["status"]);
        Assert.Contains("cannot be launched again", (await launchCancelled.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons);
        Assert.Contains("cannot be changed", (await changeCancelled.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknownStats.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SegmentUsedByACampaignCannotBeDeleted()
    {
        var (segment, _) = await Cohort();
        string id = NewId("uses");
        await Send(HttpMethod.Put, $"/v1/campaigns/{id}", Manual(segment), HttpStatusCode.Created);

        using var delete = await server.AdminAsync(HttpMethod.Delete, $"/v1/segments/{segment}");

        Assert.Contains($"campaign '{id}' uses segment '{segment}'", (await delete.ShouldBeProblemAsync(HttpStatusCode.Conflict)).Reasons);
    }

    [Theory]
    [InlineData("""{"trigger": {"type": "manual"}, "audience": {"segment": "SEGMENT"}, "message": {"title": "Hi {{ traits.first_name ", "body": "x"}}""", "message.title: ")]
    [InlineData("""{"trigger": {"type": "manual"}, "audience": {"segment": "no-such-segment"}, "message": {"title": "t", "body": "x"}}""", "no segment 'no-such-segment'")]
    [InlineData("""{"trigger": {"type": "manual"}, "message": {"title": "t", "body": "x"}}""", "a broadcast needs a segment")]
    [InlineData("""{"trigger": {"type": "schedule", "cron": "every monday"}, "audience": {"segment": "SEGMENT"}, "message": {"title": "t", "body": "x"}}""", "'cron' is not a valid cron expression")]
    [InlineData("""{"trigger": {"type": "schedule"}, "audience": {"segment": "SEGMENT"}, "message": {"title": "t", "body": "x"}}""", "needs 'at' (once) or 'cron'")]
    [InlineData("""{"trigger": {"type": "schedule", "at": "2026-12-01T09:00:00"}, "audience": {"segment": "SEGMENT"}, "message": {"title": "t", "body": "x"}}""", "trigger.at: an ISO 8601 instant with a zone")]
    [InlineData("""{"trigger": {"type": "sometimes"}, "message": {"title": "t", "body": "x"}}""", "trigger.type: one of")]
    [InlineData("""{"trigger": {"type": "event"}, "message": {"title": "t", "body": "x"}}""", "an event trigger needs 'event'")]
    [InlineData("""{"trigger": {"type": "lifecycle", "stage": "sleepy"}, "message": {"title": "t", "body": "x"}}""", "a lifecycle trigger needs 'stage'")]
    [InlineData("""{"trigger": {"type": "event", "event": "E", "delay": "2 hours"}, "message": {"title": "t", "body": "x"}}""", "trigger.delay: a duration such as 30m")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "cap": {"limit": 0, "window": "7d"}}""", "cap.limit: at least 1")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "cap": {"limit": 1, "window": "365d"}}""", "cap.window: more than 0 and at most 90 days")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "holdoutPercent": 100}""", "holdoutPercent: from 0 to less than 100")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "variants": [{"name": "a", "percent": 60, "message": {"title": "a", "body": "a"}}, {"name": "b", "percent": 60, "message": {"title": "b", "body": "b"}}]}""", "must add up to 100")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "priority": 5}""", "priority: must be a string")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "quietHours": {"start": "25:00"}}""", "quietHours.start: a local time such as 22:00")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "sendTwice": true}""", "sendTwice: not a field of a campaign")]
    [InlineData("""{"category": "transactional", "trigger": {"type": "manual"}, "audience": {"segment": "SEGMENT"}, "message": {"title": "t", "body": "x"}}""", "broadcasts are marketing")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "", "body": ""}}""", "a message needs a title or a body")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}}""", "message: required")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "startAt": "2026-05-01T00:00:00Z", "endAt": "2026-04-01T00:00:00Z"}""", "endAt: must be after startAt")]
    [InlineData("""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}, "cap": {"limit": 1, "windw": "7d"}}""", "cap.windw: not a field of a campaign")]
    [InlineData("""{"id": "someone-else", "trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}}""", "does not match the id in the path")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{"trigger": """, "Malformed JSON")]
    public async Task InvalidDefinitionIsRefusedWithItsReason(string json, string error)
    {
        var (segment, _) = await Cohort();
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("bad")}", json.Replace("SEGMENT", segment));

        Assert.Contains(error, (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Theory]
    [InlineData("""{"type": "schedule", "at": "2020-01-01T09:00:00Z"}""", "is in the past")]
    [InlineData("""{"type": "schedule", "cron": "0 0 30 2 *"}""", "never fires")]
    public async Task ImpossibleScheduleIsRefusedAtLaunch(string trigger, string error)
    {
        var (segment, _) = await Cohort();
        string id = NewId("never");
        string json = $$$"""{"trigger": {{{trigger}}}, "audience": {"segment": "{{{segment}}}"}, "message": {"title": "t", "body": "x"}}""";
        using var put = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{id}", json);
        await put.ShouldHaveStatusAsync(HttpStatusCode.Created);

        using var launch = await server.AdminAsync(HttpMethod.Post, $"/v1/campaigns/{id}/launch");

        Assert.Contains(error, (await launch.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Fact]
    public async Task DefinitionAsGetShowsItCanBePutBackUnchanged()
    {
        var (segment, _) = await Cohort();
        string id = NewId("round-trip");
        var created = await Send(HttpMethod.Put, $"/v1/campaigns/{id}", Manual(segment, """, "cap": {"limit": 2, "window": "7d"}, "conversion": {"event": "Order Completed", "window": "2d"}"""), HttpStatusCode.Created);

        var again = await Send(HttpMethod.Put, $"/v1/campaigns/{id}", created["definition"]!.ToJsonString(), HttpStatusCode.OK);

        Assert.Equal(created["definition"]!.ToJsonString(), again["definition"]!.ToJsonString());
        Assert.Equal((string?)created["updatedAt"], (string?)again["updatedAt"]); // nothing changed
    }

    [Fact]
    public async Task TheTransactionalIdIsReserved()
    {
        using var response = await server.AdminAsync(HttpMethod.Put, "/v1/campaigns/transactional", """{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "x"}}""");

        Assert.Contains("/v1/messages", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Fact]
    public async Task OversizedDefinitionIsRefusedBeforeParsing()
    {
        string json = $$$"""{"trigger": {"type": "event", "event": "E"}, "message": {"title": "t", "body": "{{{new string('x', 70_000)}}}"}}""";
        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{NewId("big")}", json);

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task InvalidCampaignIdIsRefused()
    {
        using var response = await server.AdminAsync(HttpMethod.Put, "/v1/campaigns/Not%20An%20Id", Manual("x"));

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
