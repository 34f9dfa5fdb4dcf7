using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Content encodings the SDKs use are decoded, bounded after decoding; anything else is a clear 4xx and nothing is applied.</summary>
[Collection(ServerCollection.Name)]
public sealed class IngestEncodingTests(ServerFixture server)
{
    [Theory]
    [InlineData("gzip")]
    [InlineData("x-gzip")]
    [InlineData("deflate")]
    [InlineData("deflate-raw")]
    public async Task CompressedBatchesAreDecoded(string encoding)
    {
        string userId = TestApps.NewUserId();
        byte[] body = Encode(encoding, Batch(userId));

        using var response = await PostAsync("/v1/b", body, encoding == "deflate-raw" ? "deflate" : encoding);

        await response.ShouldBeAcceptedAsync();
        Assert.Equal(1, (await server.GetUserAsync(userId)).EventsApplied());
    }

    [Fact]
    public async Task AGzipBombIsRefusedAfterDecodingNoMoreThanTheLimit()
    {
        string userId = TestApps.NewUserId();
        string padding = new(' ', 20 * 1024 * 1024);
        byte[] bomb = Encode("gzip", Batch(userId).Replace("{\"batch\"", "{" + padding + "\"batch\""));
        Assert.True(bomb.Length < 100 * 1024);

        using var response = await PostAsync("/v1/b", bomb, "gzip");

        Assert.Contains("at most 500 KB", (await response.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge)).Detail);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task TruncatedGzipIsRefusedWithAReason()
    {
        string userId = TestApps.NewUserId();
        byte[] gzip = Encode("gzip", Batch(userId));

        using var response = await PostAsync("/v1/b", gzip[..(gzip.Length / 2)], "gzip");

        Assert.Contains("not valid gzip data", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Detail);
        await AssertUnknownAsync(userId);
    }

    [Theory]
    [InlineData("br")]
    [InlineData("compress")]
    [InlineData("gzip, deflate")]
    public async Task AnUnsupportedEncodingIs415WithTheSupportedOnes(string encoding)
    {
        using var response = await PostAsync("/v1/b", Encoding.UTF8.GetBytes(Batch(TestApps.NewUserId())), encoding);

        Assert.Contains("send gzip, deflate or none", (await response.ShouldBeProblemAsync(HttpStatusCode.UnsupportedMediaType)).Detail);
    }

    [Theory]
    [InlineData("text/plain", "userId=u1&event=Signed+Up")]
    [InlineData("application/x-www-form-urlencoded", "userId=u1&event=Signed+Up")]
    [InlineData("text/plain", "<html><body>hello</body></html>")]
    [InlineData(null, "not json at all")]
    [InlineData("application/json", "")]
    public async Task ABodyThatIsNotJsonIsRefusedUnderAnyContentType(string? contentType, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/t") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);
        request.WithWriteKey(TestApps.Shop.WriteKey);

        using var response = await server.Http.SendAsync(request);

        Assert.Contains("malformed JSON", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Reasons);
    }

    [Fact]
    public async Task ABatchWhoseEventsNameAnotherAppsWriteKeyIsRefused()
    {
        string userId = TestApps.NewUserId();
        string body = $$"""{"writeKey": "{{TestApps.Shop.WriteKey}}", "batch": [{"type": "track", "userId": "{{userId}}", "event": "A", "writeKey": "{{TestApps.Other.WriteKey}}"}]}""";

        using var response = await server.Http.SendAsync(SegmentsApi.Post("/v1/b", body));

        Assert.Contains("batch[0].writeKey: differs from the request's write key; a batch belongs to one app.", (await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).Errors);
        await AssertUnknownAsync(userId);
    }

    [Fact]
    public async Task ABatchWithTheWriteKeyOnlyInItsEventsIsAccepted()
    {
        string userId = TestApps.NewUserId();
        string body = $$"""{"batch": [{"type": "track", "userId": "{{userId}}", "event": "A", "writeKey": "{{TestApps.Shop.WriteKey}}"}]}""";

        using var response = await server.Http.SendAsync(SegmentsApi.Post("/v1/b", body));

        await response.ShouldBeAcceptedAsync();
    }

    private Task<HttpResponseMessage> PostAsync(string path, byte[] body, string encoding)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Content.Headers.TryAddWithoutValidation("Content-Encoding", encoding);
        return server.Http.SendAsync(request);
    }

    private async Task AssertUnknownAsync(string userId)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, SegmentsApi.UserPath(userId));
        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Batch(string userId) =>
        $$"""{"batch": [{"type": "track", "userId": "{{userId}}", "event": "Signed Up"}], "writeKey": "{{TestApps.Shop.WriteKey}}"}""";

    private static byte[] Encode(string encoding, string text)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        using var buffer = new MemoryStream();
        using (Stream compressor = encoding switch
        {
            "gzip" or "x-gzip" => new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            "deflate" => new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
            _ => new DeflateStream(buffer, CompressionLevel.Optimal, leaveOpen: true),
        })
        {
            compressor.Write(bytes);
        }

        return buffer.ToArray();
    }
}
