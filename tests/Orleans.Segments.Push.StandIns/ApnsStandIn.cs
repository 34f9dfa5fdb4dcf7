using System.Buffers;
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
/// A local APNs on Kestrel, HTTP/2 over TLS only, that checks what Apple checks: the ES256 provider token
/// (signature against the team's public key, <c>alg</c>, <c>kid</c>, <c>iss</c>, an <c>iat</c> at most an hour
/// old), the headers, the topic, the device token's shape and the 4096-byte payload limit, with Apple's status
/// codes and reasons. A test can script any answer per device token.
/// </summary>
public sealed class ApnsStandIn : IAsyncDisposable
{
    private const int MaxPayload = 4096;
    private static readonly HashSet<string> PushTypes = ["alert", "background", "location", "voip", "complication", "fileprovider", "mdm", "liveactivity", "pushtotalk"];

    private readonly WebApplication app;
    private readonly ECDsa publicKey;
    private readonly string keyId;
    private readonly string teamId;
    private readonly string topic;
    private readonly TimeProvider time;
    private readonly bool record;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ApnsAnswer>> scripts = new();
    private readonly ConcurrentDictionary<string, long> verifiedTokens = new();
    private readonly ConcurrentDictionary<string, bool> connections = new();
    private long accepted;
    private long answered;

    private ApnsStandIn(WebApplication app, ECDsa publicKey, string keyId, string teamId, string topic, TimeProvider time, bool record)
    {
        this.app = app;
        this.publicKey = publicKey;
        this.keyId = keyId;
        this.teamId = teamId;
        this.topic = topic;
        this.time = time;
        this.record = record;
    }

    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request answered, in arrival order (empty when started with <c>record: false</c>).</summary>
    public ConcurrentQueue<ApnsReceived> Received { get; } = new();

    /// <summary>The distinct provider tokens that passed verification.</summary>
    public ICollection<string> ProviderTokens => verifiedTokens.Keys;

    /// <summary>The distinct HTTP/2 connections requests came on.</summary>
    public int Connections => connections.Count;

    public long Accepted => Interlocked.Read(ref accepted);

    public long Answered => Interlocked.Read(ref answered);

    /// <summary>Starts on 127.0.0.1 on a free port. <paramref name="maxConcurrentStreams"/> is the SETTINGS_MAX_CONCURRENT_STREAMS announced.</summary>
    public static async Task<ApnsStandIn> StartAsync(
        X509Certificate2 certificate, ECDsa teamKey, string keyId, string teamId, string topic, TimeProvider time,
        int maxConcurrentStreams = 100, bool record = true)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.Http2.MaxStreamsPerConnection = maxConcurrentStreams;
            kestrel.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(certificate);
            });
        });

        var publicKey = ECDsa.Create(teamKey.ExportParameters(includePrivateParameters: false));
        var app = builder.Build();
        var standIn = new ApnsStandIn(app, publicKey, keyId, teamId, topic, time, record);
        app.MapPost("/3/device/{token}", standIn.Handle);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        standIn.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        return standIn;
    }

    /// <summary>The next requests to <paramref name="deviceToken"/> get these answers, in order, once they pass the checks.</summary>
    public void Script(string deviceToken, params ApnsAnswer[] answers)
    {
        var queue = scripts.GetOrAdd(deviceToken, _ => new ConcurrentQueue<ApnsAnswer>());
        foreach (var answer in answers) queue.Enqueue(answer);
    }

    public int ReceivedFor(string deviceToken) => Received.Count(r => r.DeviceToken == deviceToken);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        publicKey.Dispose();
    }

    private async Task Handle(HttpContext context, string token)
    {
        connections.TryAdd(context.Connection.Id, true);
        var request = context.Request;
        var (payload, length) = await ReadPayload(request);
        try
        {
            if (Check(request, token, payload, length) is { } failure)
            {
                await Answer(context, failure);
                return;
            }

            if (record) Record(request, token, payload, length, context);
            if (scripts.TryGetValue(token, out var script) && script.TryDequeue(out var scripted))
            {
                await Answer(context, scripted);
                return;
            }

            Interlocked.Increment(ref accepted);
            Interlocked.Increment(ref answered);
            context.Response.StatusCode = 200;
            context.Response.Headers["apns-id"] = request.Headers["apns-id"].ToString() is { Length: > 0 } id ? id : Guid.NewGuid().ToString("D").ToUpperInvariant();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    /// <summary>Apple's checks, in roughly Apple's order; null when the request is acceptable.</summary>
    private ApnsAnswer? Check(HttpRequest request, string token, byte[] payload, int length)
    {
        if (request.Protocol != "HTTP/2") return new ApnsAnswer(400, "BadPath");
        string authorization = request.Headers.Authorization.ToString();
        if (!authorization.StartsWith("bearer ", StringComparison.Ordinal)) return new ApnsAnswer(403, "MissingProviderToken");
        if (CheckProviderToken(authorization["bearer ".Length..]) is { } tokenFailure) return tokenFailure;

        string? apnsTopic = Header(request, "apns-topic");
        if (apnsTopic is null) return new ApnsAnswer(400, "MissingTopic");
        string? pushType = Header(request, "apns-push-type");
        if (pushType is null || !PushTypes.Contains(pushType)) return new ApnsAnswer(400, "InvalidPushType");

        // Why: Live Activity pushes go to the app's topic with Apple's suffix, and only they may use it.
        if (apnsTopic != (pushType == "liveactivity" ? topic + ".push-type.liveactivity" : topic)) return new ApnsAnswer(400, "TopicDisallowed");

        string? priority = Header(request, "apns-priority");
        if (priority is not (null or "1" or "5" or "10")) return new ApnsAnswer(400, "BadPriority");
        if (pushType == "background" && priority is not "5") return new ApnsAnswer(400, "BadPriority");

        if (Header(request, "apns-id") is { } apnsId && !Guid.TryParseExact(apnsId, "D", out _)) return new ApnsAnswer(400, "BadMessageId");
        if (Header(request, "apns-expiration") is { } expiration && !long.TryParse(expiration, out _)) return new ApnsAnswer(400, "BadExpirationDate");
        if (Header(request, "apns-collapse-id") is { } collapseId && System.Text.Encoding.UTF8.GetByteCount(collapseId) > 64) return new ApnsAnswer(400, "BadCollapseId");

        if (token.Length < 64 || token.Length % 2 != 0 || !token.All(char.IsAsciiHexDigit)) return new ApnsAnswer(400, "BadDeviceToken");

        if (length > MaxPayload) return new ApnsAnswer(413, "PayloadTooLarge");
        if (length == 0) return new ApnsAnswer(400, "PayloadEmpty");
        try
        {
            using var document = JsonDocument.Parse(payload.AsMemory(0, length));
            if (!document.RootElement.TryGetProperty("aps", out var aps) || aps.ValueKind != JsonValueKind.Object) return new ApnsAnswer(400, "PayloadEmpty");
            if (CheckAps(aps, pushType) is { } apsFailure) return apsFailure;
        }
        catch (JsonException)
        {
            return new ApnsAnswer(400, "BadPayload");
        }

        return null;
    }

    /// <summary>
    /// The aps dictionary against its push type, as Apple documents them: a background push carries
    /// content-available and nothing to show; an alert push something to show; the flags are 1, the badge a
    /// non-negative integer, category and thread-id strings.
    /// </summary>
    private static ApnsAnswer? CheckAps(JsonElement aps, string pushType)
    {
        bool shows = aps.TryGetProperty("alert", out _) || aps.TryGetProperty("badge", out _) || aps.TryGetProperty("sound", out _);
        bool wakes = aps.TryGetProperty("content-available", out var contentAvailable);
        if (wakes && (contentAvailable.ValueKind != JsonValueKind.Number || contentAvailable.GetInt32() != 1)) return new ApnsAnswer(400, "BadPayload");
        if (aps.TryGetProperty("mutable-content", out var mutable) && (mutable.ValueKind != JsonValueKind.Number || mutable.GetInt32() != 1)) return new ApnsAnswer(400, "BadPayload");
        if (aps.TryGetProperty("badge", out var badge) && (badge.ValueKind != JsonValueKind.Number || !badge.TryGetInt32(out int count) || count < 0)) return new ApnsAnswer(400, "BadPayload");
        foreach (string text in new[] { "category", "thread-id", "sound" })
        {
            if (aps.TryGetProperty(text, out var value) && value.ValueKind != JsonValueKind.String) return new ApnsAnswer(400, "BadPayload");
        }

        if (pushType == "background" && (!wakes || shows)) return new ApnsAnswer(400, "InvalidPushType");
        if (pushType == "liveactivity") return CheckLiveActivity(aps);
        if (aps.TryGetProperty("content-state", out _) || aps.TryGetProperty("event", out _)) return new ApnsAnswer(400, "InvalidPushType");
        if (pushType == "alert" && !shows && !wakes) return new ApnsAnswer(400, "PayloadEmpty");
        return null;
    }

    /// <summary>A Live Activity's aps: a timestamp, an event, a content state for an update or start, and a start's attributes.</summary>
    private static ApnsAnswer? CheckLiveActivity(JsonElement aps)
    {
        if (!aps.TryGetProperty("timestamp", out var timestamp) || timestamp.ValueKind != JsonValueKind.Number || !timestamp.TryGetInt64(out _)) return new ApnsAnswer(400, "BadPayload");
        string? kind = aps.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (kind is not ("start" or "update" or "end")) return new ApnsAnswer(400, "BadPayload");
        bool hasState = aps.TryGetProperty("content-state", out var state);
        if (hasState && state.ValueKind != JsonValueKind.Object) return new ApnsAnswer(400, "BadPayload");
        if (kind is "start" or "update" && !hasState) return new ApnsAnswer(400, "BadPayload");
        if (kind == "start" && (!aps.TryGetProperty("attributes-type", out _) || !aps.TryGetProperty("attributes", out _))) return new ApnsAnswer(400, "BadPayload");
        foreach (string date in new[] { "stale-date", "dismissal-date" })
        {
            if (aps.TryGetProperty(date, out var value) && (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out _))) return new ApnsAnswer(400, "BadPayload");
        }

        if (kind != "end" && aps.TryGetProperty("dismissal-date", out _)) return new ApnsAnswer(400, "BadPayload");
        return null;
    }

    private ApnsAnswer? CheckProviderToken(string jwt)
    {
        // Why: like APNs, verify a token's signature once and then only its age, which changes with time.
        if (!verifiedTokens.TryGetValue(jwt, out long issuedAt))
        {
            var parsed = Jwt.TryParse(jwt);
            if (parsed is null || parsed.HeaderString("alg") != "ES256" || parsed.HeaderString("kid") != keyId ||
                parsed.ClaimString("iss") != teamId || parsed.ClaimNumber("iat") is not { } iat || parsed.Signature.Length != 64 ||
                !publicKey.VerifyData(parsed.SigningInput, parsed.Signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                return new ApnsAnswer(403, "InvalidProviderToken");
            }

            verifiedTokens.TryAdd(jwt, issuedAt = iat);
        }

        var age = time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(issuedAt);
        if (age > TimeSpan.FromHours(1)) return ApnsAnswer.ExpiredProviderToken;
        if (age < TimeSpan.FromMinutes(-5)) return new ApnsAnswer(403, "InvalidProviderToken");
        return null;
    }

    private void Record(HttpRequest request, string token, byte[] payload, int length, HttpContext context)
    {
        var headers = request.Headers
            .Where(h => h.Key.StartsWith("apns-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        using var document = JsonDocument.Parse(payload.AsMemory(0, length));
        Received.Enqueue(new ApnsReceived(token, request.Headers.Authorization.ToString()["bearer ".Length..], headers,
            document.RootElement.Clone(), length, context.Connection.Id, request.Protocol));
    }

    private async Task Answer(HttpContext context, ApnsAnswer answer)
    {
        if (answer.Status == 0)
        {
            context.Abort();
            return;
        }

        Interlocked.Increment(ref answered);
        context.Response.StatusCode = answer.Status;
        context.Response.ContentType = "application/json";
        if (answer.RetryAfter is { } retryAfter) context.Response.Headers.RetryAfter = retryAfter;
        string body = answer.TimestampMs is { } ms
            ? $$"""{"reason":"{{answer.Reason}}","timestamp":{{ms}}}"""
            : $$"""{"reason":"{{answer.Reason}}"}""";
        await context.Response.WriteAsync(body);
    }

    private static string? Header(HttpRequest request, string name) =>
        request.Headers.TryGetValue(name, out var values) && values.Count > 0 ? values.ToString() : null;

    /// <summary>Reads up to one byte over the limit, which is enough to know the payload is too large.</summary>
    private static async Task<(byte[] Buffer, int Length)> ReadPayload(HttpRequest request)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxPayload + 1);
        int length = 0;
        int read;
        while (length <= MaxPayload && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxPayload + 1 - length))) > 0)
        {
            length += read;
        }

        if (length > MaxPayload)
        {
            // Why: drain the rest so that the HTTP/2 stream ends cleanly before the 413 is sent.
            var sink = ArrayPool<byte>.Shared.Rent(8192);
            while (await request.Body.ReadAsync(sink) > 0)
            {
            }

            ArrayPool<byte>.Shared.Return(sink);
        }

        return (buffer, length);
    }
}
