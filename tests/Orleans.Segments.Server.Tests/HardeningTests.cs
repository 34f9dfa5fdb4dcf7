using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>
/// The cases a hostile-input sweep answered with a 500 or with unbounded memory: each is now a 4xx with a reason,
/// and nothing already accepted is lost.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class HardeningTests(ServerFixture server)
{
    public static TheoryData<string> HostileTemplates => new()
    {
        "{% for i in (1..1000000000) %}x{% endfor %}",
        "{{ (1..100000000) | join: \",\" }}",
        "{% assign a = (1..10000000) | join: \"x\" %}",
        "{% assign s = \"xx\" %}{% for i in (1..64) %}{% assign s = s | append: s %}{% endfor %}{{ s }}",
    };

    [Theory]
    [MemberData(nameof(HostileTemplates))]
    public async Task ATemplateBuiltToExhaustMemoryIsRefusedByTheMessagesApiWithTheReason(string template)
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$$"""{"userId": "{{{userId}}}", "traits": {"name": "Ada"}}""");
        long before = Process.GetCurrentProcess().WorkingSet64;

        using var response = await server.AdminAsync(HttpMethod.Post, "/v1/messages",
            new JsonObject { ["userId"] = userId, ["title"] = template, ["body"] = "x", ["idempotencyKey"] = Guid.NewGuid().ToString() }.ToJsonString());

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("the template cannot be rendered", problem.Reasons);
        Assert.True(Process.GetCurrentProcess().WorkingSet64 - before < 256L * 1024 * 1024, "refusing the template must not grow the process");
    }

    [Theory]
    [MemberData(nameof(HostileTemplates))]
    public async Task ATemplateBuiltToExhaustMemoryIsRefusedInACampaignWithTheReason(string template)
    {
        string id = $"liquid-{Guid.NewGuid():N}"[..20];
        var body = new JsonObject
        {
            ["trigger"] = new JsonObject { ["type"] = "event", ["event"] = "Signed Up" },
            ["message"] = new JsonObject { ["title"] = "Hi", ["body"] = template },
        };

        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{id}", body.ToJsonString());

        Assert.Contains("the template cannot be rendered", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    public static TheoryData<string, string, string> LoneSurrogateRoutes => new()
    {
        { "POST", "/v1/track", """{"userId": "\ud800", "event": "A"}""" },
        { "POST", "/v1/t", """{"userId": "u", "event": "\udc00"}""" },
        { "POST", "/v1/identify", """{"userId": "u", "traits": {"name": "\ud800"}}""" },
        { "POST", "/v1/batch", """{"batch": [{"type": "track", "userId": "\ud800", "event": "A"}]}""" },
        { "POST", "/v1/b", """{"batch": [{"type": "track", "userId": "u", "event": "A", "properties": {"\ud800": 1}}]}""" },
        { "PUT", "/v1/segments/lone", """{"name": "\ud800", "rule": "has_push_token"}""" },
        { "POST", "/v1/segments/preview", """{"rule": "trait(\"\ud800\") = 1"}""" },
        { "PUT", "/v1/geofences/lone", """{"name": "\ud800", "latitude": 1, "longitude": 1, "radiusMeters": 10}""" },
        { "PUT", "/v1/campaigns/lone", """{"trigger": {"type": "event", "event": "\ud800"}, "message": {"title": "t", "body": "b"}}""" },
        { "POST", "/v1/campaigns/lone/pause", """{"reason": "\ud800"}""" },
        { "POST", "/v1/messages", """{"userId": "u", "title": "\ud800", "body": "b"}""" },
        { "PUT", "/v1/users/u/devices/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", """{"platform": "\ud800"}""" },
        { "PUT", "/v1/users/u/subscriptions", """{"\ud800": true}""" },
    };

    [Theory]
    [MemberData(nameof(LoneSurrogateRoutes))]
    public async Task AnEscapedLoneSurrogateIsA400WithTheReasonOnEveryRoute(string method, string path, string json)
    {
        using var response = await SendWithKeyAsync(method, path, Encoding.UTF8.GetBytes(json));

        Assert.Contains("lone surrogate", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Theory]
    [InlineData("PUT", "/v1/segments/badutf", "name")]
    [InlineData("POST", "/v1/segments/preview", "rule")]
    [InlineData("PUT", "/v1/geofences/badutf", "name")]
    [InlineData("PUT", "/v1/campaigns/badutf", "name")]
    [InlineData("POST", "/v1/messages", "title")]
    [InlineData("PUT", "/v1/users/u/subscriptions", "marketing")]
    public async Task InvalidUtf8InAStringOrAPropertyNameIsA400OnAdminRoutes(string method, string path, string field)
    {
        byte[] inValue = [.. Encoding.UTF8.GetBytes($"{{\"{field}\": \"a"), 0xFF, 0xFE, .. "\"}"u8];
        byte[] inName = [.. "{\"a"u8, 0xC3, 0x28, .. "\": 1}"u8];

        using var value = await SendWithKeyAsync(method, path, inValue);
        using var name = await SendWithKeyAsync(method, path, inName);

        Assert.Contains("not valid UTF-8", (await value.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
        Assert.Contains("not valid UTF-8", (await name.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Theory]
    [InlineData("nl-seg%0A")]
    [InlineData("cr-seg%0D")]
    [InlineData("nul%00seg")]
    [InlineData("tab%09seg")]
    [InlineData("%D0%B0pple")]
    [InlineData("seg%E2%80%8B")]
    [InlineData("seg%C2%A0")]
    public async Task AnIdWithAnythingButTheAllowedCharactersIsRefusedAndNotStored(string escapedId)
    {
        string id = Uri.UnescapeDataString(escapedId);
        using var segment = await server.AdminAsync(HttpMethod.Put, $"/v1/segments/{escapedId}", """{"rule": "has_push_token"}""");
        using var fence = await server.AdminAsync(HttpMethod.Put, $"/v1/geofences/{escapedId}", """{"latitude": 1, "longitude": 1, "radiusMeters": 10}""");
        using var campaign = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{escapedId}",
            """{"trigger": {"type": "event", "event": "A"}, "message": {"title": "t", "body": "b"}}""");

        foreach (var response in new[] { segment, fence, campaign })
        {
            Assert.True((int)response.StatusCode is >= 400 and < 500, $"{response.RequestMessage!.RequestUri} answered {(int)response.StatusCode}");
        }

        Assert.DoesNotContain(id, await ListedIdsAsync("/v1/segments", "segments"));
        Assert.DoesNotContain(id, await ListedIdsAsync("/v1/geofences", "geofences"));
        Assert.DoesNotContain(id, await ListedIdsAsync("/v1/campaigns", "campaigns"));
    }

    [Fact]
    public async Task AnIdOfTenThousandCharactersIsRefused()
    {
        string id = new('a', 10_000);

        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/segments/{id}", """{"rule": "has_push_token"}""");

        Assert.True((int)response.StatusCode is >= 400 and < 500, $"answered {(int)response.StatusCode}");
    }

    [Theory]
    [InlineData("""{"type": "schedule", "at": "9999-12-31T23:59", "localTime": true}""")]
    [InlineData("""{"type": "schedule", "at": "9999-12-31T23:59:59Z"}""")]
    [InlineData("""{"type": "schedule", "at": "0001-01-01T00:00:00Z"}""")]
    public async Task AScheduleAtTheEdgeOfTheCalendarIsRefusedWithTheRange(string trigger)
    {
        var (segment, _) = await CohortAsync();
        string id = $"edge-{Guid.NewGuid():N}"[..20];

        using var response = await server.AdminAsync(HttpMethod.Put, $"/v1/campaigns/{id}",
            $$$"""{"audience": {"segment": "{{{segment}}}"}, "trigger": {{{trigger}}}, "message": {"title": "t", "body": "b"}}""");

        Assert.Contains("between 2000-01-01 and 2999-12-31", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Theory]
    [InlineData("HistoricalStats")]
    [InlineData("SiloProperties")]
    [InlineData("SiloMetadata")]
    [InlineData("SiloCounters")]
    [InlineData("SiloStats")]
    public async Task ADashboardRouteWithAMalformedSiloAddressIsA400(string route)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"/dashboard/{route}/not-a-silo").WithBearer(TestApps.OperatorKey);

        using var response = await server.Http.SendAsync(request);

        Assert.Contains("is not a silo address", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail);
    }

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("2026-03-01T10:00:00")]
    [InlineData("01/02/2024 03:04:05")]
    [InlineData("Sun, 01 Mar 2026 10:00:00 GMT")]
    public async Task ATimestampThatIsNotIso8601WithAZoneIsA400(string timestamp)
    {
        string userId = TestApps.NewUserId();

        using var response = await server.IngestAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "A", "timestamp": "{{timestamp}}"}""");

        Assert.Contains("is not an ISO 8601 date-time with a zone", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Fact]
    public async Task AChunkSizeThatOverflowsIsA400()
    {
        string answer = await RawAsync(
            "POST /v1/track HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n" +
            $"Authorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApps.Shop.WriteKey + ":"))}\r\n\r\n" +
            "FFFFFFFFFFFFFFFFFFFF\r\nabc\r\n0\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400", answer);
    }

    private async Task<string> RawAsync(string request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.BaseAddress.Host, server.BaseAddress.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var buffer = new byte[4096];
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int read = await stream.ReadAsync(buffer, deadline.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }

    private Task<HttpResponseMessage> SendWithKeyAsync(string method, string path, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (path.StartsWith("/v1/t", StringComparison.Ordinal) || path is "/v1/identify" or "/v1/batch" or "/v1/b") request.WithWriteKey(TestApps.Shop.WriteKey);
        else request.WithBearer(TestApps.Shop.AdminKey);
        return server.Http.SendAsync(request);
    }

    private async Task<string[]> ListedIdsAsync(string path, string field)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, path);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))![field]!.AsArray().Select(s => (string)s!["id"]!).ToArray();
    }

    private async Task<(string Segment, string Cohort)> CohortAsync()
    {
        string cohort = Guid.NewGuid().ToString("N")[..10];
        string segment = $"cohort-{cohort}";
        using var put = await server.AdminAsync(HttpMethod.Put, $"/v1/segments/{segment}", $$$"""{"rule": "trait(\"cohort\") = \"{{{cohort}}}\""}""");
        await put.ShouldHaveStatusAsync(HttpStatusCode.Created);
        return (segment, cohort);
    }
}
