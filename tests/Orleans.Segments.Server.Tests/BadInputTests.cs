using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Whatever a client sends, the answer is a 4xx with a reason, and nothing of a rejected request is applied.</summary>
[Collection(ServerCollection.Name)]
public sealed class BadInputTests(ServerFixture server)
{
    [Fact]
    public async Task MalformedJsonIsRejected()
    {
        var problem = await RejectedAsync("/v1/track", """{"userId": "u1", "event": """);
        Assert.Contains("malformed JSON", problem.Reasons);
    }

    [Fact]
    public async Task JsonArrayAtTheRootIsRejected()
    {
        var problem = await RejectedAsync("/v1/track", """[{"userId": "u1", "event": "Signed Up"}]""");
        Assert.Contains("must be a JSON object", problem.Reasons);
    }

    [Fact]
    public async Task UserIdThatIsAnObjectIsRejected()
    {
        var problem = await RejectedAsync("/v1/track", """{"userId": {"id": 1}, "event": "Signed Up"}""");
        Assert.Contains("userId: must be a string.", problem.Errors);
    }

    [Fact]
    public async Task PropertiesThatAreAStringAreRejected()
    {
        string userId = TestApps.NewUserId();
        var problem = await RejectedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "Signed Up", "properties": "plan=pro"}""");
        Assert.Contains("properties: must be an object.", problem.Errors);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task MessageWithNeitherUserIdNorAnonymousIdIsRejected()
    {
        var problem = await RejectedAsync("/v1/identify", """{"traits": {"name": "Nobody"}}""");
        Assert.Contains("userId or anonymousId is required", problem.Reasons);
    }

    [Fact]
    public async Task TrackWithoutAnEventNameIsRejected()
    {
        string userId = TestApps.NewUserId();
        var problem = await RejectedAsync("/v1/track", $$"""{"userId": "{{userId}}", "properties": {"plan": "pro"} }""");
        Assert.Contains("track call needs an event name", problem.Reasons);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task TimestampInTheYear2100IsRejected()
    {
        string userId = TestApps.NewUserId();
        var problem = await RejectedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "Signed Up", "timestamp": "2100-01-01T00:00:00Z"}""");
        Assert.Contains("in the future", problem.Reasons);
        await AssertUnknownAsync(userId);
    }

    [Theory]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("0001-01-01T00:00:00Z")]
    public async Task AbsurdSentAtIsIgnoredRatherThanCrashingTheRequest(string sentAt)
    {
        string userId = TestApps.NewUserId();
        var timestamp = server.Time.GetUtcNow().AddHours(-1);
        await server.IngestAcceptedAsync("/v1/batch", $$"""
            {"sentAt": "{{sentAt}}", "batch": [{"type": "track", "userId": "{{userId}}", "event": "App Opened", "timestamp": "{{timestamp:O}}"}]}
            """);

        Assert.Equal(timestamp.UtcDateTime, (DateTime)(await server.GetUserAsync(userId))["activity"]!["lastSeen"]!);
    }

    [Fact]
    public async Task LatitudeBeyondTheRangeOfADoubleIsRejected()
    {
        string userId = TestApps.NewUserId();
        var problem = await RejectedAsync("/v1/track", $$"""
            {"userId": "{{userId}}", "event": "App Opened", "context": {"location": {"latitude": 1e400, "longitude": 13.4} } }
            """);
        Assert.Contains("latitude and longitude must both be numbers", problem.Reasons);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task TraitBeyondTheRangeOfADoubleIsKeptAsItsJsonText()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/identify", $$"""{"userId": "{{userId}}", "traits": {"huge": 1e400, "plan": "pro"} }""");

        var traits = (await server.GetUserAsync(userId))["traits"]!;
        Assert.Equal("pro", (string?)traits["plan"]);
        Assert.Equal("1e400", traits["huge"]!.ToJsonString());
    }

    [Fact]
    public async Task BodyThatIsNotUtf8IsRejected()
    {
        byte[] body = [.. """{"userId": "u1", "event": "Caf"""u8, 0xE9, .. "\"}"u8];
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/track") { Content = content }.WithWriteKey(TestApps.Shop.WriteKey));

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("UTF-8", problem.Reasons);
    }

    [Fact]
    public async Task DeeplyNestedJsonIsRejected()
    {
        string nested = string.Concat(Enumerable.Repeat("""{"a":""", 200)) + "1" + new string('}', 200);
        var problem = await RejectedAsync("/v1/track", $$"""{"userId": "u1", "event": "Deep", "properties": {{nested}}}""");
        Assert.Contains("depth", problem.Reasons, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task SingleMessageOver32KilobytesIsTooLarge()
    {
        string userId = TestApps.NewUserId();
        using var response = await server.IngestAsync("/v1/track",
            $$"""{"userId": "{{userId}}", "event": "Big", "properties": {"blob": "{{new string('x', 33 * 1024)}}"} }""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("32 KB", problem.Detail);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task BatchOver500KilobytesIsTooLarge()
    {
        string userId = TestApps.NewUserId();
        var messages = Enumerable.Range(0, 26).Select(i =>
            $$"""{"type": "track", "userId": "{{userId}}", "event": "Chunk", "properties": {"blob": "{{new string('x', 20 * 1024)}}"} }""");
        using var response = await server.IngestAsync("/v1/batch", $$"""{"batch": [{{string.Join(",", messages)}}]}""");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.Contains("500 KB", problem.Detail);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task BatchWithAMessageOver32KilobytesIsRejectedWhole()
    {
        string userId = TestApps.NewUserId();
        var problem = await RejectedAsync("/v1/batch", $$"""
            {"batch": [
              {"type": "track", "userId": "{{userId}}", "event": "Small"},
              {"type": "track", "userId": "{{userId}}", "event": "Big", "properties": {"blob": "{{new string('x', 33 * 1024)}}"} }]}
            """);

        Assert.Contains("batch[1]: message is larger than 32 KB.", problem.Errors);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task UnsupportedContentEncodingIsRejected()
    {
        var request = SegmentsApi.Post("/v1/track", """{"userId": "u1", "event": "Signed Up"}""").WithWriteKey(TestApps.Shop.WriteKey);
        request.Content!.Headers.ContentEncoding.Add("br");
        using var response = await server.Http.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("gzip", problem.Detail);
    }

    [Fact]
    public async Task BodyThatClaimsGzipButIsNotIsRejected()
    {
        var request = SegmentsApi.Post("/v1/track", """{"userId": "u1", "event": "Signed Up"}""").WithWriteKey(TestApps.Shop.WriteKey);
        request.Content!.Headers.ContentEncoding.Add("gzip");
        using var response = await server.Http.SendAsync(request);

        Assert.Contains("not valid gzip data", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail);
    }

    [Fact]
    public async Task GzipBodyThatInflatesPastTheLimitIsTooLarge()
    {
        // Two megabytes of spaces compress to a few kilobytes: the limit must apply to what the body inflates to.
        using var compressed = new MemoryStream();
        await using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            await gzip.WriteAsync(Encoding.UTF8.GetBytes("""{"batch": [""" + new string(' ', 2 * 1024 * 1024) + "]}"));
        }

        var content = new ByteArrayContent(compressed.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await server.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/batch") { Content = content }.WithWriteKey(TestApps.Shop.WriteKey));

        await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task BasicHeaderThatIsNotBase64IsUnauthorized()
    {
        var request = SegmentsApi.Post("/v1/track", """{"userId": "u1", "event": "Signed Up"}""");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "%%%not-base64%%%");
        using var response = await server.Http.SendAsync(request);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
        Assert.Contains("not valid HTTP Basic", problem.Detail);
    }

    [Fact]
    public async Task RejectedBatchLosesNothingAcceptedBeforeAndAppliesNothingOfItself()
    {
        string userId = TestApps.NewUserId();
        await server.IngestAcceptedAsync("/v1/track", $$"""{"userId": "{{userId}}", "event": "Signed Up", "messageId": "first"}""");

        var problem = await RejectedAsync("/v1/batch", $$"""
            {"batch": [
              {"type": "track", "userId": "{{userId}}", "event": "Order Completed", "messageId": "good"},
              {"type": "track", "userId": "{{userId}}", "messageId": "bad"}]}
            """);
        Assert.Contains("nothing in this request was applied", problem.Detail);
        Assert.Contains("batch[1].event: a track call needs an event name.", problem.Errors);

        var profile = await server.GetUserAsync(userId);
        Assert.Equal(1, (long)profile.Behaviour("Signed Up")!["total"]!);
        Assert.Null(profile.Behaviour("Order Completed"));
        Assert.Equal(1, profile.EventsApplied());
    }

    /// <summary>Sends with the shop's write key and checks for a 400 problem.</summary>
    private async Task<Problem> RejectedAsync(string path, string json)
    {
        using var response = await server.IngestAsync(path, json);
        return await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    private async Task AssertUnknownAsync(string userId)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId));
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
