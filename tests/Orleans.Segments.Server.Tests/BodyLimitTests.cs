using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Orleans.Segments.Server.Tests.Infrastructure;

namespace Orleans.Segments.Server.Tests;

/// <summary>Every route that takes a body refuses an oversized one with 413, declared or streamed, before parsing it.</summary>
[Collection(ServerCollection.Name)]
public sealed class BodyLimitTests(ServerFixture server)
{
    // Why: above every route's own limit (the largest, /v1/batch, is 500 KB) and below Kestrel's 1 MB, so
    // Kestrel drains the unread rest and the client, which sends it all, can read the answer.
    private const int Oversized = 600_000;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task EveryRouteWithABodyAnswers413ToAnOversizedOne(bool declaredLength)
    {
        string userId = TestApps.NewUserId();
        var routes = MappedRoute.All(server.Services).Where(r => r.HasBody && !r.IsPublic && !r.IsOperator && !r.IsStreamingImport).ToList();
        Assert.NotEmpty(routes);

        var failures = new List<string>();
        foreach (var route in routes)
        {
            string path = route.Path((name, _) => name switch { "token" => Tokens.Apns(), "userId" => userId, _ => "limit-probe" });
            using var request = new HttpRequestMessage(new HttpMethod(route.Method), path) { Content = Body(declaredLength) };

            // Why: a declared size is refused before a byte of the body is read; the client waits for 100-continue.
            request.Headers.ExpectContinue = declaredLength;
            request.Headers.Authorization = route.IsIngestion
                ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApps.Shop.WriteKey + ":")))
                : new AuthenticationHeaderValue("Bearer", TestApps.Shop.AdminKey);
            using var response = await server.Http.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.RequestEntityTooLarge) failures.Add($"{route}: {(int)response.StatusCode}");
        }

        Assert.True(failures.Count == 0, $"Not 413 ({(declaredLength ? "declared" : "streamed")}):\n{string.Join('\n', failures)}");
    }

    private static HttpContent Body(bool declaredLength)
    {
        byte[] bytes = Encoding.UTF8.GetBytes("{\"padding\":\"" + new string('a', Oversized) + "\"}");
        HttpContent content = declaredLength ? new ByteArrayContent(bytes) : new StreamContent(new UnknownLengthStream(bytes));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A stream that will not tell its length, so the client sends it chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
