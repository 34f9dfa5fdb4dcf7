using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using Google.Apis.Auth.OAuth2.Responses;
using Microsoft.Extensions.Logging;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Push.Delivery;
using Orleans.Segments.Push.Hosting;

namespace Orleans.Segments.Push.Fcm;

/// <summary>Sends to Android devices through the FCM HTTP v1 API, one Firebase project per sender.</summary>
internal sealed partial class FcmSender : IPushSender, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly string appId;
    private readonly RetryOptions retry;
    private readonly HttpClient client;
    private readonly FcmAccessTokens tokens;
    private readonly string path;
    private readonly TimeProvider time;
    private readonly ILogger logger;

    public FcmSender(string appId, FcmOptions options, RetryOptions retry, PushTransportOptions transport, TimeProvider time, ILogger<FcmSender> logger)
    {
        this.appId = appId;
        this.retry = retry;
        this.time = time;
        this.logger = logger;
        tokens = new FcmAccessTokens(FcmServiceAccount.Load(options), transport, time);
        path = $"v1/projects/{Uri.EscapeDataString(options.ProjectId!)}/messages:send";
        client = new HttpClient(PushHttp.CreateHandler(transport), disposeHandler: true)
        {
            BaseAddress = options.ResolveBaseAddress(),
            Timeout = options.RequestTimeout,
        };
    }

    public async Task<PushOutcome> SendAsync(PushMessage message, DeviceToken device, CancellationToken cancellationToken = default)
    {
        if (device.Platform != PushPlatform.Android) return new Rejected("not an FCM registration token");
        if (message.LiveActivity is not null) return new Rejected("Live Activities are iOS only; FCM cannot send one");
        if (!DeviceToken.IsWellFormed(device.Token, PushPlatform.Android)) return new Rejected("the token is not an FCM registration token (32 or more of A-Z, a-z, 0-9, '-', '_', ':', '.')");
        if (FcmMessageWriter.TryWrite(message, device.Token, out string? invalid) is not { } body) return new Rejected(invalid!);

        var outcome = await DeliveryAttempts.RunAsync(
            (_, ct) => SendOnce(body, ct),
            async ct => await tokens.RefreshAsync(ct),
            retry,
            time,
            cancellationToken);

        Log(outcome, device.Token);
        return outcome;
    }

    public void Dispose() => client.Dispose();

    private async Task<Attempt> SendOnce(byte[] body, CancellationToken cancellationToken)
    {
        string accessToken;
        try
        {
            accessToken = await tokens.GetAsync(cancellationToken);
        }
        catch (TokenResponseException e)
        {
            // Why: a refused assertion (wrong key, revoked account, skewed clock) will not pass on a retry; a 5xx may.
            var kind = (int?)e.StatusCode >= 500 ? AttemptKind.Transient : AttemptKind.Permanent;
            return new Attempt(kind, $"FCM OAuth token refused: {e.Error?.Error ?? "unknown error"}");
        }
        catch (HttpRequestException e)
        {
            // Why: nothing was sent to FCM yet, so retrying cannot deliver twice.
            return new Attempt(AttemptKind.Transient, $"the OAuth token endpoint is unreachable ({e.HttpRequestError})");
        }

        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        // Why: the version is set on the request because HttpClient's defaults apply only to its helper methods.
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("authorization", "Bearer " + accessToken);

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        byte[] answer = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return Attempt.Delivered(FcmAnswers.ReadName(answer) ?? "(unnamed)");
        }

        var now = time.GetUtcNow();
        return FcmAnswers.Classify(response.StatusCode, FcmAnswers.ReadError(answer), RetryAfterHeader.Of(response, now), now.UtcDateTime);
    }

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
}
