using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Orleans.Segments.Contracts;

namespace Orleans.Segments.Client;

/// <summary>
/// The HTTP API of Orleans.Segments for a .NET backend. Tracking calls (write key) get a message id when they have
/// none and are retried on 429, 503 and broken connections, so an event is stored once however often it is sent;
/// management calls (admin key) are sent once and raise <see cref="SegmentsApiException"/> with the server's reason
/// and field errors. Reads of something that does not exist answer null; deletes answer whether there was one.
/// </summary>
public sealed class SegmentsClient
{
    private readonly HttpClient http;
    private readonly SegmentsClientOptions options;

    /// <param name="http">The client to send with; its BaseAddress is used when the options name none.</param>
    public SegmentsClient(HttpClient http, SegmentsClientOptions options)
    {
        this.http = http;
        this.options = options;
        if (options.BaseAddress is null && http.BaseAddress is null) throw new ArgumentException("Give the server's address: options.BaseAddress or the HttpClient's.", nameof(options));
    }

    // Tracking (write key)

    /// <summary>Records that the user did something (<c>/v1/track</c>).</summary>
    public Task TrackAsync(string userId, string eventName, JsonObject? properties = null, JsonObject? context = null, DateTimeOffset? timestamp = null, string? messageId = null, CancellationToken ct = default) =>
        IngestAsync("v1/track", new SegmentCall(Type: "track", UserId: userId, Event: eventName, Properties: properties, Context: context, Timestamp: Instant(timestamp), MessageId: messageId), ct);

    /// <summary>Records who the user is (<c>/v1/identify</c>); <c>context.device.token</c> registers a push token.</summary>
    public Task IdentifyAsync(string userId, JsonObject? traits = null, JsonObject? context = null, DateTimeOffset? timestamp = null, string? messageId = null, CancellationToken ct = default) =>
        IngestAsync("v1/identify", new SegmentCall(Type: "identify", UserId: userId, Traits: traits, Context: context, Timestamp: Instant(timestamp), MessageId: messageId), ct);

    /// <summary>Sends Segment calls together (<c>/v1/batch</c>, up to 500 KB): all are stored, or none.</summary>
    public Task BatchAsync(IEnumerable<SegmentCall> calls, CancellationToken ct = default) =>
        IngestAsync("v1/batch", new SegmentBatch(calls.Select(WithMessageId).ToArray()), ct);

    // Users (admin key)

    /// <summary>The user's live profile, or null when the app has no such user.</summary>
    public Task<UserProfile?> GetUserAsync(string userId, CancellationToken ct = default) =>
        FindAsync($"v1/users/{Escape(userId)}", ContractsJson.Default.UserProfile, ct);

    /// <summary>Registers a push token: <c>ios</c> for an APNs token, <c>android</c> for an FCM registration token.</summary>
    public async Task<PushDeviceInfo> RegisterDeviceAsync(string userId, string token, string platform, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Put, $"v1/users/{Escape(userId)}/devices/{Escape(token)}", Json(new DeviceInput(platform), ContractsJson.Default.DeviceInput), ContractsJson.Default.PushDeviceInfo, ct))!;

    /// <summary>Forgets a push token; false when the user had no such token.</summary>
    public Task<bool> RemoveDeviceAsync(string userId, string token, CancellationToken ct = default) =>
        DeleteAsync($"v1/users/{Escape(userId)}/devices/{Escape(token)}", ct);

    /// <summary>Sets the user's consents; a consent left null is unchanged.</summary>
    public async Task<SubscriptionsInfo> SetSubscriptionsAsync(string userId, bool? marketing = null, bool? transactional = null, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Put, $"v1/users/{Escape(userId)}/subscriptions", Json(new SubscriptionsInput(marketing, transactional), ContractsJson.Default.SubscriptionsInput), ContractsJson.Default.SubscriptionsInfo, ct))!;

    /// <summary>Erases everything held about the user; false when there was no such user.</summary>
    public Task<bool> EraseUserAsync(string userId, CancellationToken ct = default) => DeleteAsync($"v1/users/{Escape(userId)}", ct);

    // Messages (admin key)

    /// <summary>Sends a transactional push, once per idempotency key; the answer says whether it was sent, and why not.</summary>
    public async Task<MessageAnswer> SendTransactionalAsync(TransactionalMessageInput message, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Post, "v1/messages", Json(message, ContractsJson.Default.TransactionalMessageInput), ContractsJson.Default.MessageAnswer, ct))!;

    /// <summary>Every recent decision about messages for the user, or null when the app has no such user.</summary>
    public Task<MessageLog?> GetMessagesAsync(string userId, CancellationToken ct = default) =>
        FindAsync($"v1/users/{Escape(userId)}/messages", ContractsJson.Default.MessageLog, ct);

    // Segments (admin key)

    /// <summary>Creates or changes a segment; existing users are backfilled.</summary>
    public async Task<SegmentView> PutSegmentAsync(string id, SegmentInput segment, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Put, $"v1/segments/{Escape(id)}", Json(segment, ContractsJson.Default.SegmentInput), ContractsJson.Default.SegmentView, ct))!;

    /// <summary>The segment with its exact size now, or null.</summary>
    public Task<SegmentView?> GetSegmentAsync(string id, CancellationToken ct = default) =>
        FindAsync($"v1/segments/{Escape(id)}", ContractsJson.Default.SegmentView, ct);

    public async Task<SegmentView[]> ListSegmentsAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "v1/segments", null, ContractsJson.Default.SegmentList, ct))!.Segments;

    /// <summary>Deletes a segment; false when there was none. A segment in use is refused (409) with its users named.</summary>
    public Task<bool> DeleteSegmentAsync(string id, CancellationToken ct = default) => DeleteAsync($"v1/segments/{Escape(id)}", ct);

    /// <summary>One page of members; pass the page's <see cref="MembersPage.Next"/> as <paramref name="cursor"/> for the next.</summary>
    public async Task<MembersPage> GetMembersAsync(string id, int limit = 100, string? cursor = null, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, $"v1/segments/{Escape(id)}/members?limit={limit.ToString(CultureInfo.InvariantCulture)}{(cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}")}", null, ContractsJson.Default.MembersPage, ct))!;

    /// <summary>Every member, page after page.</summary>
    public async IAsyncEnumerable<string> GetAllMembersAsync(string id, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        string? cursor = null;
        do
        {
            var page = await GetMembersAsync(id, 1000, cursor, ct);
            foreach (string member in page.Members) yield return member;
            cursor = page.Next;
        }
        while (cursor is not null);
    }

    /// <summary>Validates a rule and counts the users it matches now.</summary>
    public async Task<SegmentPreview> PreviewSegmentAsync(string rule, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Post, "v1/segments/preview", Json(new SegmentPreviewInput(rule), ContractsJson.Default.SegmentPreviewInput), ContractsJson.Default.SegmentPreview, ct))!;

    /// <summary>Why the user is in the segment or not, clause by clause.</summary>
    public Task<SegmentExplanation?> ExplainAsync(string userId, string segmentId, CancellationToken ct = default) =>
        FindAsync($"v1/users/{Escape(userId)}/segments/{Escape(segmentId)}/explain", ContractsJson.Default.SegmentExplanation, ct);

    // Geofences (admin key)

    /// <summary>Creates or changes a geofence: a circle (latitude, longitude, radiusMeters) or a polygon.</summary>
    public async Task<GeofenceView> PutGeofenceAsync(string id, GeofenceInput geofence, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Put, $"v1/geofences/{Escape(id)}", Json(geofence, ContractsJson.Default.GeofenceInput), ContractsJson.Default.GeofenceView, ct))!;

    public Task<GeofenceView?> GetGeofenceAsync(string id, CancellationToken ct = default) =>
        FindAsync($"v1/geofences/{Escape(id)}", ContractsJson.Default.GeofenceView, ct);

    public async Task<GeofenceView[]> ListGeofencesAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "v1/geofences", null, ContractsJson.Default.GeofenceList, ct))!.Geofences;

    /// <summary>Deletes a geofence; false when there was none. One in use is refused (409) with its users named.</summary>
    public Task<bool> DeleteGeofenceAsync(string id, CancellationToken ct = default) => DeleteAsync($"v1/geofences/{Escape(id)}", ct);

    // Campaigns (admin key)

    /// <summary>Creates or changes a campaign (see docs/campaigns.md for every field).</summary>
    public async Task<CampaignView> PutCampaignAsync(string id, CampaignInput campaign, CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Put, $"v1/campaigns/{Escape(id)}", Json(campaign, ContractsJson.Default.CampaignInput), ContractsJson.Default.CampaignView, ct))!;

    public Task<CampaignView?> GetCampaignAsync(string id, CancellationToken ct = default) =>
        FindAsync($"v1/campaigns/{Escape(id)}", ContractsJson.Default.CampaignView, ct);

    public async Task<CampaignSummary[]> ListCampaignsAsync(CancellationToken ct = default) =>
        (await SendAsync(HttpMethod.Get, "v1/campaigns", null, ContractsJson.Default.CampaignList, ct))!.Campaigns;

    public Task<CampaignView> LaunchCampaignAsync(string id, CancellationToken ct = default) => CommandAsync(id, "launch", null, ct);

    /// <summary>Pauses the campaign; the reason is shown as its status reason.</summary>
    public Task<CampaignView> PauseCampaignAsync(string id, string? reason = null, CancellationToken ct = default) => CommandAsync(id, "pause", reason, ct);

    public Task<CampaignView> ResumeCampaignAsync(string id, CancellationToken ct = default) => CommandAsync(id, "resume", null, ct);

    public Task<CampaignView> CancelCampaignAsync(string id, CancellationToken ct = default) => CommandAsync(id, "cancel", null, ct);

    /// <summary>Starts a broadcast of a manual campaign to its audience now.</summary>
    public Task<CampaignView> SendCampaignNowAsync(string id, CancellationToken ct = default) => CommandAsync(id, "send", null, ct);

    public Task<CampaignStatsView?> GetCampaignStatsAsync(string id, CancellationToken ct = default) =>
        FindAsync($"v1/campaigns/{Escape(id)}/stats", ContractsJson.Default.CampaignStatsView, ct);

    private async Task<CampaignView> CommandAsync(string id, string command, string? reason, CancellationToken ct) =>
        (await SendAsync(HttpMethod.Post, $"v1/campaigns/{Escape(id)}/{command}", Json(new CampaignCommandInput(reason), ContractsJson.Default.CampaignCommandInput), ContractsJson.Default.CampaignView, ct))!;

    private async Task IngestAsync<T>(string path, T body, CancellationToken ct)
        where T : class
    {
        string key = options.WriteKey ?? throw new InvalidOperationException("Tracking calls need the app's write key (SegmentsClientOptions.WriteKey).");
        var typeInfo = (JsonTypeInfo<T>)ContractsJson.Default.GetTypeInfo(typeof(T))!;
        if (body is SegmentCall call) body = (T)(object)WithMessageId(call);

        for (int attempt = 0; ; attempt++)
        {
            // Why: sentAt is stamped on every attempt, so the server corrects the timestamps by the clocks' difference.
            string sentAt = Instant(options.Time.GetUtcNow())!;
            body = body switch
            {
                SegmentCall c => (T)(object)(c with { SentAt = sentAt }),
                SegmentBatch b => (T)(object)(b with { SentAt = sentAt }),
                _ => body,
            };
            using var request = new HttpRequestMessage(HttpMethod.Post, Address(path)) { Content = Json(body, typeInfo) };
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(key + ":")));
            TimeSpan? wait;
            try
            {
                using var response = await http.SendAsync(request, ct);
                if (response.IsSuccessStatusCode) return;
                var refused = await RefusedAsync(response, ct);
                if (response.StatusCode is not (HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable) || attempt >= options.MaxRetries) throw refused;
                wait = refused.RetryAfter;
            }
            catch (HttpRequestException) when (attempt < options.MaxRetries && !ct.IsCancellationRequested)
            {
                wait = null;
            }

            // Why: the same message ids go again, so whatever the server stored before it failed is not counted twice.
            var delay = wait ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
            await Task.Delay(delay < options.MaxRetryDelay ? delay : options.MaxRetryDelay, options.Time, ct);
        }
    }

    private SegmentCall WithMessageId(SegmentCall call) =>
        call.MessageId is { Length: > 0 } ? call : call with { MessageId = Guid.NewGuid().ToString(), Timestamp = call.Timestamp ?? Instant(options.Time.GetUtcNow()) };

    private async Task<TResult?> SendAsync<TResult>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<TResult> result, CancellationToken ct, bool notFoundIsNull = false)
        where TResult : class
    {
        using var request = new HttpRequestMessage(method, Address(path)) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AdminKey ?? throw new InvalidOperationException("Management calls need the app's admin key (SegmentsClientOptions.AdminKey)."));
        using var response = await http.SendAsync(request, ct);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await RefusedAsync(response, ct);
        return await response.Content.ReadFromJsonAsync(result, ct) ?? throw new SegmentsApiException(response.StatusCode, null, null);
    }

    private Task<TResult?> FindAsync<TResult>(string path, JsonTypeInfo<TResult> result, CancellationToken ct)
        where TResult : class =>
        SendAsync(HttpMethod.Get, path, null, result, ct, notFoundIsNull: true);

    private async Task<bool> DeleteAsync(string path, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, Address(path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AdminKey ?? throw new InvalidOperationException("Management calls need the app's admin key (SegmentsClientOptions.AdminKey)."));
        using var response = await http.SendAsync(request, ct);
        if (response.StatusCode == HttpStatusCode.NotFound) return false;
        if (!response.IsSuccessStatusCode) throw await RefusedAsync(response, ct);
        return true;
    }

    private static async Task<SegmentsApiException> RefusedAsync(HttpResponseMessage response, CancellationToken ct)
    {
        Problem? problem = null;
        if (response.Content.Headers.ContentType?.MediaType is "application/problem+json" or "application/json")
        {
            try
            {
                problem = await response.Content.ReadFromJsonAsync(ContractsJson.Default.Problem, ct);
            }
            catch (System.Text.Json.JsonException)
            {
                // Why: an answer from something in front of the server (a proxy) need not be problem details.
            }
        }

        var retryAfter = response.Headers.RetryAfter is { } header
            ? header.Delta ?? (header.Date is { } date ? date - DateTimeOffset.UtcNow : null)
            : null;
        return new SegmentsApiException(response.StatusCode, problem, retryAfter);
    }

    private Uri Address(string path) => new(options.BaseAddress ?? http.BaseAddress!, path);

    private static JsonContent Json<T>(T value, JsonTypeInfo<T> type) => JsonContent.Create(value, type);

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string? Instant(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}
