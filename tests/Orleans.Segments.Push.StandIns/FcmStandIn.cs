using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Orleans.Segments.Push.StandIns;

/// <summary>
/// A local FCM over TLS: an OAuth 2 token endpoint that verifies the service account's RS256 assertion (signature
/// against the account's public key, <c>iss</c>, <c>aud</c>, <c>scope</c>, <c>iat</c>/<c>exp</c>, the jwt-bearer
/// grant) and issues expiring access tokens; and the v1 send route, which checks the Bearer token, the project,
/// the token's shape and the payload, and answers errors in FCM's own JSON shape. Tests script errors per token.
/// </summary>
public sealed class FcmStandIn : IAsyncDisposable
{
    public const string Scope = "https://www.googleapis.com/auth/firebase.messaging";
    public const string Grant = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /// <summary>The audience Google's token endpoint requires of an assertion, wherever the token request is posted.</summary>
    public const string Audience = "https://oauth2.googleapis.com/token";

    private readonly WebApplication app;
    private readonly RSA accountKey;
    private readonly string clientEmail;
    private readonly string projectId;
    private readonly TimeProvider time;
    private readonly TimeSpan tokenLifetime;
    private readonly ConcurrentDictionary<string, DateTimeOffset> accessTokens = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<FcmAnswer>> scripts = new();
    private long messages;
    private long grants;

    private FcmStandIn(WebApplication app, RSA accountKey, string clientEmail, string projectId, TimeProvider time, TimeSpan tokenLifetime)
    {
        this.app = app;
        this.accountKey = accountKey;
        this.clientEmail = clientEmail;
        this.projectId = projectId;
        this.time = time;
        this.tokenLifetime = tokenLifetime;
    }

    public Uri BaseAddress { get; private set; } = null!;

    public Uri TokenUri => new(BaseAddress, "token");

    public ConcurrentQueue<FcmReceived> Received { get; } = new();

    /// <summary>How many access tokens the token endpoint issued.</summary>
    public long Grants => Interlocked.Read(ref grants);

    /// <summary>Why the token endpoint last refused an assertion, if it did.</summary>
    public string? LastGrantError { get; private set; }

    public static async Task<FcmStandIn> StartAsync(X509Certificate2 certificate, RSA accountKey, string clientEmail, string projectId, TimeProvider time, TimeSpan? tokenLifetime = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http1AndHttp2;
            listen.UseHttps(certificate);
        }));

        var publicKey = RSA.Create(accountKey.ExportParameters(includePrivateParameters: false));
        var app = builder.Build();
        var standIn = new FcmStandIn(app, publicKey, clientEmail, projectId, time, tokenLifetime ?? TimeSpan.FromHours(1));
        app.MapPost("/token", standIn.IssueToken);
        app.MapPost("/v1/projects/{project}/messages:send", standIn.Send);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseAddress = new Uri(address + "/");
        return standIn;
    }

    public void Script(string deviceToken, params FcmAnswer[] answers)
    {
        var queue = scripts.GetOrAdd(deviceToken, _ => new ConcurrentQueue<FcmAnswer>());
        foreach (var answer in answers) queue.Enqueue(answer);
    }

    /// <summary>Forgets every access token issued, as if Google had revoked them: the next send gets 401.</summary>
    public void RevokeAccessTokens() => accessTokens.Clear();

    public int ReceivedFor(string deviceToken) => Received.Count(r => r.DeviceToken == deviceToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        accountKey.Dispose();
    }

    private async Task IssueToken(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (CheckAssertion(form["grant_type"].ToString(), form["assertion"].ToString()) is { } error)
        {
            LastGrantError = error;
            context.Response.StatusCode = 400;
            await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["error"] = "invalid_grant", ["error_description"] = error });
            return;
        }

        Interlocked.Increment(ref grants);
        string accessToken = "ya29.test-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        accessTokens[accessToken] = time.GetUtcNow() + tokenLifetime;
        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["access_token"] = accessToken,
            ["expires_in"] = (int)tokenLifetime.TotalSeconds,
            ["token_type"] = "Bearer",
        });
    }

    private string? CheckAssertion(string grantType, string assertion)
    {
        if (grantType != Grant) return $"grant_type must be {Grant}";
        var jwt = Jwt.TryParse(assertion);
        if (jwt is null) return "the assertion is not a JWT";
        if (jwt.HeaderString("alg") != "RS256") return "the assertion must be RS256";
        if (!accountKey.VerifyData(jwt.SigningInput, jwt.Signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)) return "bad signature";
        if (jwt.ClaimString("iss") != clientEmail) return "iss is not the service account";
        if (jwt.ClaimString("aud") != Audience) return $"aud must be {Audience}";
        if (jwt.ClaimString("scope")?.Split(' ').Contains(Scope) != true) return "scope lacks firebase.messaging";
        if (jwt.ClaimNumber("iat") is not { } iat || jwt.ClaimNumber("exp") is not { } exp) return "iat and exp are required";
        long now = time.GetUtcNow().ToUnixTimeSeconds();
        if (exp - iat > 3600) return "the assertion may live at most an hour";
        if (iat > now + 300 || exp < now) return "the assertion is not valid now";
        return null;
    }

    private async Task Send(HttpContext context, string project)
    {
        string authorization = context.Request.Headers.Authorization.ToString();
        string accessToken = authorization.StartsWith("Bearer ", StringComparison.Ordinal) ? authorization["Bearer ".Length..] : "";
        if (!accessTokens.TryGetValue(accessToken, out var expires) || expires <= time.GetUtcNow())
        {
            await Error(context, new FcmAnswer(401, "UNAUTHENTICATED", null), "Request had invalid authentication credentials.");
            return;
        }

        if (project != projectId)
        {
            await Error(context, new FcmAnswer(403, "PERMISSION_DENIED", null), "Permission denied on the project.");
            return;
        }

        using var document = await JsonDocument.ParseAsync(context.Request.Body);
        if (!document.RootElement.TryGetProperty("message", out var message) || !message.TryGetProperty("token", out var tokenElement) ||
            tokenElement.GetString() is not { } token)
        {
            await Error(context, FcmAnswer.InvalidPayload, "message.token is required");
            return;
        }

        Received.Enqueue(new FcmReceived(token, accessToken, message.Clone(), context.Request.Protocol));
        if (CheckMessage(message, token) is { } invalid)
        {
            await Error(context, invalid.Answer, invalid.Message);
            return;
        }

        if (scripts.TryGetValue(token, out var script) && script.TryDequeue(out var scripted))
        {
            await Error(context, scripted, "scripted by the test");
            return;
        }

        long id = Interlocked.Increment(ref messages);
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string> { ["name"] = $"projects/{projectId}/messages/0:{id}" });
    }

    private static (FcmAnswer Answer, string Message)? CheckMessage(JsonElement message, string token)
    {
        if (token.Length < 32 || !token.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or ':' or '.'))
        {
            return (FcmAnswer.InvalidToken, "The registration token is not a valid FCM registration token");
        }

        if (message.TryGetProperty("data", out var data))
        {
            foreach (var entry in data.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String) return (FcmAnswer.InvalidPayload, $"data.{entry.Name} must be a string");
            }
        }

        if (message.TryGetProperty("notification", out var notification) && notification.TryGetProperty("image", out var image) && !IsUrl(image))
        {
            return (FcmAnswer.InvalidPayload, "notification.image must be a URL");
        }

        if (message.TryGetProperty("android", out var android))
        {
            if (android.TryGetProperty("priority", out var priority) && priority.GetString() is not ("NORMAL" or "HIGH"))
            {
                return (FcmAnswer.InvalidPayload, "android.priority must be NORMAL or HIGH");
            }

            if (android.TryGetProperty("notification", out var androidNotification))
            {
                if (androidNotification.TryGetProperty("notification_count", out var count) && (count.ValueKind != JsonValueKind.Number || !count.TryGetInt32(out int n) || n < 0))
                {
                    return (FcmAnswer.InvalidPayload, "android.notification.notification_count must be a non-negative integer");
                }

                foreach (string text in new[] { "channel_id", "sound", "click_action" })
                {
                    if (androidNotification.TryGetProperty(text, out var value) && value.ValueKind != JsonValueKind.String) return (FcmAnswer.InvalidPayload, $"android.notification.{text} must be a string");
                }
            }
        }

        if (message.TryGetProperty("apns", out var apns))
        {
            // Why: FCM hands the override to APNs, which refuses a background push of another priority.
            var headers = apns.TryGetProperty("headers", out var h) ? h : default;
            string? pushType = headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty("apns-push-type", out var type) ? type.GetString() : null;
            string? apnsPriority = headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty("apns-priority", out var p) ? p.GetString() : null;
            if (pushType == "background" && apnsPriority != "5") return (FcmAnswer.InvalidPayload, "apns: a background push must have apns-priority 5");
            if (apns.TryGetProperty("fcm_options", out var options) && options.TryGetProperty("image", out var apnsImage) && !IsUrl(apnsImage))
            {
                return (FcmAnswer.InvalidPayload, "apns.fcm_options.image must be a URL");
            }
        }

        int size = System.Text.Encoding.UTF8.GetByteCount(message.GetRawText()) - System.Text.Encoding.UTF8.GetByteCount(token);
        if (size > 4096 + 64) return (FcmAnswer.InvalidPayload, "Message is too big");
        return null;
    }

    private static bool IsUrl(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && Uri.TryCreate(value.GetString(), UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";

    private static async Task Error(HttpContext context, FcmAnswer answer, string message)
    {
        context.Response.StatusCode = answer.Status;
        if (answer.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter;
        var details = new List<object>();
        if (answer.ErrorCode is { } code)
        {
            details.Add(new Dictionary<string, string> { ["@type"] = "type.googleapis.com/google.firebase.fcm.v1.FcmError", ["errorCode"] = code });
        }

        if (answer.TokenViolation)
        {
            details.Add(new Dictionary<string, object>
            {
                ["@type"] = "type.googleapis.com/google.rpc.BadRequest",
                ["fieldViolations"] = new[] { new Dictionary<string, string> { ["field"] = "message.token", ["description"] = "Invalid registration token" } },
            });
        }

        await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
        {
            ["error"] = new Dictionary<string, object> { ["code"] = answer.Status, ["message"] = message, ["status"] = answer.GoogleStatus, ["details"] = details },
        });
    }
}
