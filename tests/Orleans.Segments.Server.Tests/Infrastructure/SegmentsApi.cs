using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orleans.Segments.Server.Tests.Infrastructure;

/// <summary>Requests against the server's HTTP API, and the checks every test makes of the answers.</summary>
public static class SegmentsApi
{
    /// <summary>A JSON POST with no credentials.</summary>
    public static HttpRequestMessage Post(string path, string json) =>
        new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>Authenticates the way Segment's libraries do: the write key as the HTTP Basic user name, no password.</summary>
    public static HttpRequestMessage WithWriteKey(this HttpRequestMessage request, string writeKey)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(writeKey + ":")));
        return request;
    }

    public static HttpRequestMessage WithBearer(this HttpRequestMessage request, string key)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    /// <summary>Sends a tracking call (<c>/v1/track</c>, <c>/v1/batch</c>…) with the shop's write key (or another app's).</summary>
    public static Task<HttpResponseMessage> IngestAsync(this ServerFixture server, string path, string json, TestApp? app = null) =>
        server.Http.SendAsync(Post(path, json).WithWriteKey((app ?? TestApps.Shop).WriteKey));

    /// <summary>Sends a tracking call and checks it was acknowledged.</summary>
    public static async Task IngestAcceptedAsync(this ServerFixture server, string path, string json)
    {
        using var response = await server.IngestAsync(path, json);
        await response.ShouldBeAcceptedAsync();
    }

    /// <summary>Calls the management API with an app's admin key (the shop's unless told).</summary>
    public static Task<HttpResponseMessage> AdminAsync(this ServerFixture server, HttpMethod method, string path, string? json = null, TestApp? app = null)
    {
        var request = new HttpRequestMessage(method, path).WithBearer((app ?? TestApps.Shop).AdminKey);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        return server.Http.SendAsync(request);
    }

    /// <summary>The user's profile as <c>GET /v1/users/{userId}</c> shows it; fails unless it answers 200.</summary>
    public static async Task<JsonNode> GetUserAsync(this ServerFixture server, string userId, TestApp? app = null)
    {
        using var response = await server.AdminAsync(HttpMethod.Get, UserPath(userId), app: app);
        return JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
    }

    public static string UserPath(string userId) => $"/v1/users/{Uri.EscapeDataString(userId)}";

    /// <summary>The counts of one event name in a profile's behaviour, or null if the user never sent it.</summary>
    public static JsonNode? Behaviour(this JsonNode profile, string eventName) =>
        profile["behaviour"]!.AsArray().SingleOrDefault(b => (string?)b!["event"] == eventName);

    public static long EventsApplied(this JsonNode profile) => (long)profile["activity"]!["eventsApplied"]!;

    public static string? Stage(this JsonNode profile) => (string?)profile["lifecycle"]!["stage"];

    /// <summary>Checks the status and returns the body; a failure names the request and shows what came back.</summary>
    public static async Task<string> ShouldHaveStatusAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != expected)
        {
            var request = response.RequestMessage;
            Assert.Fail($"{request?.Method} {request?.RequestUri?.PathAndQuery} answered {(int)response.StatusCode} {response.StatusCode}, " +
                        $"expected {(int)expected} {expected}. Body: {Truncate(body)}");
        }

        return body;
    }

    /// <summary>Segment's acknowledgement: 200 <c>{"success":true}</c>.</summary>
    public static async Task ShouldBeAcceptedAsync(this HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.ShouldHaveStatusAsync(HttpStatusCode.OK))!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"success":true}"""), body), $"Expected {{\"success\":true}}, got {body.ToJsonString()}");
    }

    /// <summary>Checks for an RFC 9457 problem with a reason and returns it.</summary>
    public static async Task<Problem> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.ShouldHaveStatusAsync(expected);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var json = JsonNode.Parse(body)!;
        string detail = (string?)json["detail"] ?? "";
        Assert.False(string.IsNullOrWhiteSpace(detail), $"The problem has no detail: {body}");
        Assert.Equal((int)expected, (int?)json["status"]);
        var errors = json["errors"]?.AsArray().Select(e => (string)e!).ToArray() ?? [];
        return new Problem(detail, errors, body);
    }

    private static string Truncate(string text) => text.Length <= 2000 ? text : text[..2000] + "…";
}

/// <summary>A problem answer: its detail, the per-field errors if any, and the raw body.</summary>
public sealed record Problem(string Detail, string[] Errors, string Body)
{
    /// <summary>The detail and every error, to look for a reason in.</summary>
    public string Reasons => string.Join(" | ", [Detail, .. Errors]);
}
