using System.Globalization;
using System.Net;
using System.Net.Http;
using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.Delivery;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push.Apns;

/// <summary>
/// Sends to APNs over HTTP/2 with token-based authentication, one app (one topic) per sender, with its team's
/// shared provider token. The <see cref="HttpClient"/> is long-lived and owns its connections, as Apple asks
/// providers to keep them open.
/// </summary>
internal sealed partial class ApnsSender : IPushSender, IDisposable
{
    private readonly string appId;
    private readonly ApnsOptions options;
    private readonly RetryOptions retry;
    private readonly HttpClient client;
    private readonly ApnsProviderToken token;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public ApnsSender(string appId, ApnsOptions options, RetryOptions retry, ApnsProviderToken token, HttpMessageHandler handler, TimeProvider time, ILogger<ApnsSender> logger)
    {
        this.appId = appId;
        this.options = options;
        this.retry = retry;
        this.time = time;
        this.logger = logger;
        this.token = token;
        client = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = options.ResolveBaseAddress(),
            Timeout = options.RequestTimeout,
        };
    }

    /// <summary>The team's provider token; exposed for tests of the refresh rules.</summary>
    internal ApnsProviderToken ProviderToken => token;

    public async Task<PushOutcome> SendAsync(PushMessage message, DeviceToken device, CancellationToken cancellationToken = default)
    {
        if (device.Platform != PushPlatform.Ios) return new Rejected("not an APNs device token");
        if (!DeviceToken.IsWellFormed(device.Token, PushPlatform.Ios)) return new Rejected("the token is not an APNs device token (an even number of hex digits, at least 64)");
        if (message.CollapseId is { Length: > 64 }) return new Rejected("the collapse id is longer than the 64 bytes APNs allows");
        if (ApnsPayload.TryWrite(message, out string? invalid) is not { } payload) return new Rejected(invalid!);

        var request = new ApnsRequest(
            "3/device/" + device.Token,
            payload,
            PushType(message),
            Priority(message),
            Expiration(message),
            message.CollapseId,
            Guid.CreateVersion7(time.GetUtcNow()).ToString("D"));

        var rejected = default(ApnsProviderToken.Minted);
        var outcome = await DeliveryAttempts.RunAsync(
            async (_, ct) =>
            {
                var used = token.Current();
                var attempt = await SendOnce(request, used, ct);
                if (attempt.Kind == AttemptKind.AuthExpired) rejected = used;
                return attempt;
            },
            _ => ValueTask.FromResult(rejected is not null && token.RenewAfterRejection(rejected) is not null),
            retry,
            time,
            cancellationToken);

        Log(outcome, device.Token);
        return outcome;
    }

    // Why: the provider token is the team's, shared with other apps' senders; its owner disposes it.
    public void Dispose() => client.Dispose();

    private async Task<Attempt> SendOnce(ApnsRequest request, ApnsProviderToken.Minted provider, CancellationToken cancellationToken)
    {
        // Why: HTTP/2 exactly, as APNs speaks nothing else; set on the request, HttpClient's defaults don't reach SendAsync.
        using var message = new HttpRequestMessage(HttpMethod.Post, request.Path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = new ByteArrayContent(request.Payload),
        };

        var headers = message.Headers;
        headers.TryAddWithoutValidation("authorization", provider.Authorization);
        headers.TryAddWithoutValidation("apns-topic", request.PushType == LiveActivityPushType ? options.BundleId + ".push-type.liveactivity" : options.BundleId);
        headers.TryAddWithoutValidation("apns-push-type", request.PushType);
        headers.TryAddWithoutValidation("apns-priority", request.Priority);
        headers.TryAddWithoutValidation("apns-id", request.ApnsId);
        if (request.Expiration is { } expiration) headers.TryAddWithoutValidation("apns-expiration", expiration);
        if (request.CollapseId is { } collapseId) headers.TryAddWithoutValidation("apns-collapse-id", collapseId);

        using var response = await client.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            // Why: NonValidated reads the raw header without parsing every header of the response, on the hot path.
            return Attempt.Delivered(response.Headers.NonValidated.TryGetValues("apns-id", out var ids) ? ids.ToString() : request.ApnsId);
        }

        byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        var (reason, timestamp) = ApnsAnswers.ReadBody(body);
        var now = time.GetUtcNow();
        return ApnsAnswers.Classify(response.StatusCode, reason, timestamp, RetryAfterHeader.Of(response, now), now.UtcDateTime);
    }

    internal const string LiveActivityPushType = "liveactivity";

    internal static string PushType(PushMessage message) =>
        message.LiveActivity is not null ? LiveActivityPushType
        : !message.HasAlert && message.Badge is null && message.Sound is null && message.ContentAvailable ? "background" : "alert";

    // Why: Apple requires priority 5 for background pushes and throttles them otherwise.
    internal static string Priority(PushMessage message) =>
        message.Priority == PushPriority.Normal || PushType(message) == "background" ? "5" : "10";

    private string? Expiration(PushMessage message) => message.TimeToLive switch
    {
        null => null,
        { } ttl when ttl <= TimeSpan.Zero => "0",
        { } ttl => (time.GetUtcNow() + ttl).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
    };

    private void Log(PushOutcome outcome, string deviceToken)
    {
        switch (outcome)
        {
            case Delivered:
                break;
            case PermanentFailure { TokenDead: true } dead:
                LogTokenDead(appId, DeviceToken.Fingerprint(deviceToken), dead.Reason);
                break;
            default:
                LogNotDelivered(appId, DeviceToken.Fingerprint(deviceToken), outcome.GetType().Name, outcome.Reason);
                break;
        }
    }

    /// <summary>Everything about one notification that stays the same across its retries.</summary>
    private sealed record ApnsRequest(string Path, byte[] Payload, string PushType, string Priority, string? Expiration, string? CollapseId, string ApnsId);
}
