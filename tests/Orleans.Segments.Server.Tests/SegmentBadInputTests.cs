using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;
using static Orleans.Segments.Server.Tests.Infrastructure.SegmentRequests;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// Whatever a client sends to the segments and geofences API, the answer is a 4xx with a reason it can act on,
/// nothing of a rejected request is stored, and no key reaches another app's definitions.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class SegmentBadInputTests(ServerFixture server)
{
    [Theory]
    [InlineData("count(\"Order Completed\", 30d) >=", "line 1, column 33: expected a number")]
    [InlineData("stage = \"new\" and (has_push_token", "line 1, column 34: expected ')' to close the '(' at column 19")]
    [InlineData("stage = \"new\"\n  and popularity > 3", "line 2, column 7: unknown function 'popularity'")]
    [InlineData("stage >= 3", "line 1, column 10: stage is a string and cannot be compared with a number")]
    [InlineData("stage = \"sleepy\"", "line 1, column 9: 'sleepy' is not a stage")]
    [InlineData("count(\"Order Completed\") >= 3", "line 1, column 1: count takes 2 argument(s)")]
    [InlineData("count(\"Order Completed\", 365d) >= 3", "line 1, column 26: the window of count must be more than 0 and at most 90d")]
    [InlineData("trait(\"plan\") > \"pro\"", "compares numbers, durations and versions")]
    [InlineData("near(91, 13.4, 2km)", "line 1, column 6: near needs a latitude within ±90")]
    [InlineData("platform = \"ios\" and app_version < \"5..2\"", "line 1, column 36: '5..2' is not a version: expected a number at position 3")]
    [InlineData("app_version < 5.2", "line 1, column 15: app_version is a version")]
    [InlineData("os_version >= \"1111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111111\"", "line 1, column 15: a version is at most 64 characters")]
    [InlineData("os_name > \"iOS\"", "line 1, column 9: '>' compares numbers, durations and versions")]
    public async Task InvalidRuleIsRejectedWithTheLineAndColumn(string rule, string expected)
    {
        string id = NewId();
        using var put = await server.AdminAsync(HttpMethod.Put, SegmentPath(id), SegmentBody(rule));
        using var preview = await server.AdminAsync(HttpMethod.Post, "/v1/segments/preview", new JsonObject { ["rule"] = rule }.ToJsonString());

        var putProblem = await put.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var previewProblem = await preview.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(putProblem.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"Expected an error with \"{expected}\": {putProblem.Body}");
        Assert.True(previewProblem.Errors.Any(e => e.Contains(expected, StringComparison.Ordinal)), $"Expected an error with \"{expected}\": {previewProblem.Body}");
        await AssertNoSegmentAsync(id);
    }

    [Fact]
    public async Task RuleLongerThanFourThousandCharactersIsRejected()
    {
        string rule = string.Join(" or ", Enumerable.Repeat("stage = \"new\"", 300));
        Assert.True(rule.Length > 4000);

        var problem = await RejectedPutAsync(NewId(), SegmentBody(rule));

        Assert.Contains("line 1, column 1: the rule is longer than 4000 characters.", problem.Errors);
    }

    [Fact]
    public async Task RuleWithTooManyConditionsOrTooDeepIsRejected()
    {
        string wide = string.Join(" or ", Enumerable.Repeat("has_push_token", 65));
        string deep = new string('(', 40) + "has_push_token" + new string(')', 40);

        var tooWide = await RejectedPutAsync(NewId(), SegmentBody(wide));
        var tooDeep = await RejectedPutAsync(NewId(), SegmentBody(deep));

        Assert.Contains("more than 64 conditions", tooWide.Reasons);
        Assert.Contains("nests deeper than 32 levels", tooDeep.Reasons);
    }

    [Fact]
    public async Task RuleNamingAnUnknownGeofenceOrSegmentIsRejected()
    {
        string fence = NewId("nowhere"), segment = NewId("missing");

        var put = await RejectedPutAsync(NewId(), SegmentBody($"inside(\"{fence}\") or in_segment(\"{segment}\")"));
        using var preview = await server.AdminAsync(HttpMethod.Post, "/v1/segments/preview", new JsonObject { ["rule"] = $"inside(\"{fence}\")" }.ToJsonString());

        Assert.Contains($"inside(\"{fence}\"): no geofence '{fence}' is defined.", put.Errors);
        Assert.Contains($"in_segment(\"{segment}\"): no segment '{segment}' is defined.", put.Errors);
        Assert.Contains($"no geofence '{fence}'", (await preview.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Fact]
    public async Task InSegmentCycleIsRejectedAndTheDefinitionsStayAsTheyWere()
    {
        string a = NewId("a"), b = NewId("b"), c = NewId("c");
        await server.PutSegmentAsync(a, "has_push_token");
        await server.PutSegmentAsync(b, $"in_segment(\"{a}\")");
        await server.PutSegmentAsync(c, $"in_segment(\"{b}\")");

        var cycle = await RejectedPutAsync(a, SegmentBody($"in_segment(\"{c}\")"));
        var self = await RejectedPutAsync(a, SegmentBody($"in_segment(\"{a}\")"));

        Assert.Contains("cycle", cycle.Reasons);
        Assert.Contains($"in_segment(\"{a}\"): a segment cannot contain itself.", self.Errors);
        Assert.Equal("has_push_token", (string?)(await server.GetSegmentAsync(a))["rule"]);
    }

    [Theory]
    [InlineData("Upper")]
    [InlineData("-dash-first")]
    [InlineData("has space")]
    [InlineData("dot.ted")]
    [InlineData("ümlaut")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public async Task InvalidIdIsRejectedEverywhere(string id)
    {
        using var put = await server.AdminAsync(HttpMethod.Put, SegmentPath(id), SegmentBody("has_push_token"));
        using var get = await server.AdminAsync(HttpMethod.Get, SegmentPath(id));
        using var members = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members");
        using var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id));
        using var fence = await server.AdminAsync(HttpMethod.Put, GeofencePath(id), """{"latitude": 1, "longitude": 1, "radiusMeters": 10}""");
        using var explain = await server.AdminAsync(HttpMethod.Get, ExplainPath(TestApps.NewUserId(), id));

        foreach (var response in new[] { put, get, members, delete, fence, explain })
        {
            Assert.Contains("an id is 1 to 64 characters", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail);
        }
    }

    [Theory]
    [InlineData("""{"name": "No rule"}""", "'rule' is required")]
    [InlineData("""{"rule": 42}""", "rule: must be a string")]
    [InlineData("""{"rule": "has_push_token", """, "Malformed JSON")]
    [InlineData("""["has_push_token"]""", "must be a JSON object")]
    [InlineData("", "Malformed JSON")]
    public async Task BodyWithoutARuleIsRejected(string body, string reason)
    {
        string id = NewId();
        var problem = await RejectedPutAsync(id, body);

        Assert.Contains(reason, problem.Reasons);
        await AssertNoSegmentAsync(id);
    }

    [Fact]
    public async Task NameLongerThanTwoHundredCharactersIsRejected()
    {
        var problem = await RejectedPutAsync(NewId(), SegmentBody("has_push_token", new string('n', 201)));

        Assert.Contains("'name' may be at most 200 characters", problem.Reasons);
    }

    [Fact]
    public async Task BodyOverSixteenKilobytesIsTooLarge()
    {
        string id = NewId();
        string body = SegmentBody("has_push_token", new string('n', 17 * 1024));

        using var put = await server.AdminAsync(HttpMethod.Put, SegmentPath(id), body);
        using var preview = await server.AdminAsync(HttpMethod.Post, "/v1/segments/preview", body);

        Assert.Contains("16 KB", (await put.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Detail);
        await preview.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        await AssertNoSegmentAsync(id);
    }

    [Theory]
    [InlineData("""{"latitude": 91, "longitude": 13.4, "radiusMeters": 100}""", "latitude must be within ±90")]
    [InlineData("""{"latitude": 52.5, "longitude": -180.5, "radiusMeters": 100}""", "longitude within ±180")]
    [InlineData("""{"latitude": 52.5, "longitude": 13.4, "radiusMeters": 0}""", "radiusMeters must be more than 0")]
    [InlineData("""{"latitude": 52.5, "longitude": 13.4, "radiusMeters": -10}""", "radiusMeters must be more than 0")]
    [InlineData("""{"latitude": 52.5, "longitude": 13.4, "radiusMeters": 100001}""", "at most 100000")]
    [InlineData("""{"latitude": "52.5", "longitude": 13.4, "radiusMeters": 100}""", "latitude: must be a number")]
    [InlineData("""{"name": "Nothing"}""", "give a circle as numbers")]
    [InlineData("""{"polygon": [[52.5, 13.4], [52.6, 13.5]]}""", "a polygon needs 3 to 1000 vertices")]
    [InlineData("""{"polygon": [[52.5, 13.4], [52.6, 13.5], [52.5, 13.5], [52.6, 13.4]]}""", "must not cross itself")]
    [InlineData("""{"polygon": [[52.5, 13.4], [52.6, 13.5], [95, 13.5]]}""", "latitude within ±90")]
    [InlineData("""{"polygon": [[52.5, 13.4], [52.6], [52.5, 13.5]]}""", "[latitude, longitude] pair of numbers")]
    [InlineData("""{"polygon": "52.5,13.4"}""", "must be an array")]
    public async Task InvalidGeofenceIsRejectedWithTheReason(string body, string reason)
    {
        string id = NewId("fence");
        using var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(id), body);

        var problem = await put.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(reason, problem.Reasons);
        using var get = await server.AdminAsync(HttpMethod.Get, GeofencePath(id));
        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("!!!")]
    [InlineData("abc")]
    [InlineData("Mw")]
    [InlineData("OTkKeA")]
    [InlineData("LTEKeA")]
    public async Task CursorThisApiDidNotReturnIsRejected(string cursor)
    {
        string id = NewId();
        await server.PutSegmentAsync(id, "has_push_token");

        using var response = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members?cursor={Uri.EscapeDataString(cursor)}");

        Assert.Contains("'cursor' is not a cursor this API returned", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail);
    }

    [Fact]
    public async Task OverlongCursorIsRejected()
    {
        string id = NewId();
        await server.PutSegmentAsync(id, "has_push_token");

        using var response = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members?cursor={new string('A', 2001)}");

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(1001)]
    [InlineData(5000)]
    public async Task LimitOutsideOneToAThousandIsRejected(int limit)
    {
        string id = NewId();
        await server.PutSegmentAsync(id, "has_push_token");

        using var response = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members?limit={limit}");

        Assert.Contains("'limit' must be between 1 and 1000", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail);
    }

    [Fact]
    public async Task DeletingASegmentThatAnotherUsesIsAConflictNamingTheUser()
    {
        string used = NewId("used"), user = NewId("user");
        await server.PutSegmentAsync(used, "has_push_token");
        await server.PutSegmentAsync(user, $"in_segment(\"{used}\") and subscribed(\"marketing\")");

        using var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(used));

        var problem = await delete.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"segment '{user}' uses in_segment(\"{used}\").", problem.Errors);
        Assert.Contains(used, problem.Detail);
        await server.GetSegmentAsync(used);
    }

    [Fact]
    public async Task DeletingAGeofenceThatASegmentUsesIsAConflictNamingTheSegment()
    {
        string fence = NewId("fence"), segment = NewId();
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(fence), """{"latitude": 48.85, "longitude": 2.35, "radiusMeters": 500}"""))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        await server.PutSegmentAsync(segment, $"inside(\"{fence}\")");

        using var delete = await server.AdminAsync(HttpMethod.Delete, GeofencePath(fence));

        var problem = await delete.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains($"segment '{segment}' uses inside(\"{fence}\").", problem.Errors);
        using var get = await server.AdminAsync(HttpMethod.Get, GeofencePath(fence));
        await get.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Fact]
    public async Task AnotherAppsAdminKeySeesNoneOfTheSegmentsOrGeofences()
    {
        string cohort = NewCohort(), id = NewId(), fence = NewId("fence"), userId = TestApps.NewUserId();
        await server.PutSegmentAsync(id, InCohort(cohort));
        using (var put = await server.AdminAsync(HttpMethod.Put, GeofencePath(fence), """{"latitude": 1, "longitude": 1, "radiusMeters": 10}"""))
        {
            await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        }

        await server.IngestBatchAsync(Identify(userId, cohort));
        var other = TestApps.Other;

        using var list = await server.AdminAsync(HttpMethod.Get, "/v1/segments", app: other);
        using var get = await server.AdminAsync(HttpMethod.Get, SegmentPath(id), app: other);
        using var members = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members", app: other);
        using var explain = await server.AdminAsync(HttpMethod.Get, ExplainPath(userId, id), app: other);
        using var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id), app: other);
        using var fences = await server.AdminAsync(HttpMethod.Get, "/v1/geofences", app: other);
        using var deleteFence = await server.AdminAsync(HttpMethod.Delete, GeofencePath(fence), app: other);
        using var preview = await server.AdminAsync(HttpMethod.Post, "/v1/segments/preview", new JsonObject { ["rule"] = InCohort(cohort) }.ToJsonString(), other);

        Assert.DoesNotContain(id, await list.ShouldHaveStatusAsync(HttpStatusCode.OK));
        Assert.DoesNotContain(fence, await fences.ShouldHaveStatusAsync(HttpStatusCode.OK));
        foreach (var response in new[] { get, members, explain, delete, deleteFence })
        {
            await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        }

        Assert.Equal(0, (long)JsonNode.Parse(await preview.ShouldHaveStatusAsync(HttpStatusCode.OK))!["size"]!);
        Assert.Equal(1, await server.SizeAsync(id));
        Assert.Equal([userId], (await server.MembersPageAsync(id)).Members);
    }

    [Fact]
    public async Task WriteKeyIsForbiddenAndChangesNothing()
    {
        string id = NewId(), fence = NewId("fence");
        var requests = new[]
        {
            (HttpMethod.Get, "/v1/segments", (string?)null),
            (HttpMethod.Put, SegmentPath(id), SegmentBody("has_push_token")),
            (HttpMethod.Post, "/v1/segments/preview", SegmentBody("has_push_token")),
            (HttpMethod.Get, $"{SegmentPath(id)}/members", null),
            (HttpMethod.Put, GeofencePath(fence), """{"latitude": 1, "longitude": 1, "radiusMeters": 10}"""),
            (HttpMethod.Get, ExplainPath(TestApps.NewUserId(), id), null),
        };

        foreach (var (method, path, body) in requests)
        {
            var request = new HttpRequestMessage(method, path).WithBearer(TestApps.Shop.WriteKey);
            if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            using var response = await server.Http.SendAsync(request);
            Assert.Contains("admin key", (await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden)).Detail);
        }

        await AssertNoSegmentAsync(id);
        using var get = await server.AdminAsync(HttpMethod.Get, GeofencePath(fence));
        await get.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task UnknownSegmentIsNotFound()
    {
        string id = NewId();
        using var members = await server.AdminAsync(HttpMethod.Get, $"{SegmentPath(id)}/members");
        using var delete = await server.AdminAsync(HttpMethod.Delete, SegmentPath(id));

        await AssertNoSegmentAsync(id);
        Assert.Contains($"No segment '{id}'", (await members.ShouldBeProblemAsync(HttpStatusCode.NotFound)).Detail);
        await delete.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private async Task<Problem> RejectedPutAsync(string id, string body)
    {
        using var response = await server.AdminAsync(HttpMethod.Put, SegmentPath(id), body);
        return await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task AssertNoSegmentAsync(string id)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, SegmentPath(id));
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
