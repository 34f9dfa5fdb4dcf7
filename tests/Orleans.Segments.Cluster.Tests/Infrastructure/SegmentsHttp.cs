using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Orleans.Segments.Cluster.Tests.Infrastructure;

/// <summary>Requests the cluster tests make of the HTTP API.</summary>
public static class SegmentsHttp
{
    public static HttpClient Client(Uri baseAddress, TimeSpan? timeout = null) =>
        new() { BaseAddress = baseAddress, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>A Segment batch of track calls, authenticated with the shop's write key.</summary>
    public static HttpRequestMessage Batch(IEnumerable<(string UserId, string MessageId)> events)
    {
        var batch = new JsonArray();
        foreach (var (userId, messageId) in events)
        {
            batch.Add(new JsonObject { ["type"] = "track", ["userId"] = userId, ["event"] = "Item Viewed", ["messageId"] = messageId });
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "v1/batch")
        {
            Content = new StringContent(new JsonObject { ["batch"] = batch }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(TestApp.Shop.WriteKey + ":")));
        return request;
    }

    /// <summary>GET /v1/users/{userId} with the shop's admin key, whatever it answers.</summary>
    public static Task<HttpResponseMessage> GetUserAsync(HttpClient http, string userId)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"v1/users/{Uri.EscapeDataString(userId)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Shop.AdminKey);
        return http.SendAsync(request);
    }

    /// <summary>A management call with the admin key of <paramref name="app"/> (the shop by default); fails unless it answers 2xx.</summary>
    public static async Task<JsonNode?> AdminAsync(HttpClient http, HttpMethod method, string path, string? json = null, TestApp? app = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", (app ?? TestApp.Shop).AdminKey);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{method} {path} answered {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? null : JsonNode.Parse(body);
    }

    /// <summary>How many events the user's profile says were applied, or null if the user is unknown.</summary>
    public static async Task<long?> EventsAppliedAsync(HttpClient http, string userId)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/users/{Uri.EscapeDataString(userId)}");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Shop.AdminKey);
        using var response = await http.SendAsync(request);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        string body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) throw new HttpRequestException($"GET user answered {(int)response.StatusCode}: {body}");
        return (long)JsonNode.Parse(body)!["activity"]!["eventsApplied"]!;
    }
}
