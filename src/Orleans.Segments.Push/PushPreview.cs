using System.Globalization;
using System.Text.Json;
using Orleans.Segments.Push.Apns;
using Orleans.Segments.Push.Fcm;

namespace Orleans.Segments.Push;

/// <summary>
/// What the senders would put on the wire for a message, written by their own payload writers, for a campaign
/// manager's preview: the APNs headers and payload, and the FCM HTTP v1 body.
/// </summary>
public static class PushPreview
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The APNs request's headers (authorization left out) and its payload, or why APNs would refuse it.</summary>
    public static ApnsPreview Apns(PushMessage message, string? bundleId, DateTimeOffset now)
    {
        if (ApnsPayload.TryWrite(message, out string? error) is not { } payload) return new ApnsPreview([], null, error);
        var headers = new List<KeyValuePair<string, string>>
        {
            new("apns-topic", bundleId ?? "(the app's bundle id)"),
            new("apns-push-type", ApnsSender.PushType(message)),
            new("apns-priority", ApnsSender.Priority(message)),
        };
        if (message.TimeToLive is { } ttl)
        {
            headers.Add(new("apns-expiration", ttl <= TimeSpan.Zero ? "0" : (now + ttl).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)));
        }

        if (message.CollapseId is { } collapseId) headers.Add(new("apns-collapse-id", collapseId));
        return new ApnsPreview(headers, Indent(payload), null);
    }

    /// <summary>The FCM HTTP v1 request body for <paramref name="token"/>, or why FCM would refuse it.</summary>
    public static string Fcm(PushMessage message, string token, out string? error) =>
        FcmMessageWriter.TryWrite(message, token, out error) is { } body ? Indent(body) : "";

    private static string Indent(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(document.RootElement, Indented);
    }
}

/// <summary>An APNs request as the sender would make it.</summary>
public sealed record ApnsPreview(IReadOnlyList<KeyValuePair<string, string>> Headers, string? Payload, string? Error);
