using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Orleans.Segments.Push.Apns;

namespace Orleans.Segments.Push.Fcm;

/// <summary>
/// Writes the FCM HTTP v1 request body <c>{"message": {...}}</c>: token, notification, data, android and, for
/// the fields only iOS knows, an <c>apns</c> override, so one message reads the same on both platforms.
/// </summary>
internal static class FcmMessageWriter
{
    /// <summary>FCM's limit for a message's payload (everything but the token).</summary>
    public const int MaxBytes = 4096;

    /// <summary>The longest time to live FCM accepts.</summary>
    public static readonly TimeSpan MaxTimeToLive = TimeSpan.FromDays(28);

    // Why: FCM answers INVALID_ARGUMENT to these data keys; saying so before sending names the real cause.
    private static readonly string[] ReservedKeys = ["from", "notification", "message_type"];

    [ThreadStatic] private static ArrayBufferWriter<byte>? buffer;
    [ThreadStatic] private static Utf8JsonWriter? writer;

    public static byte[]? TryWrite(PushMessage message, string token, out string? error)
    {
        if (message.Data is { } data && data.Keys.FirstOrDefault(IsReserved) is { } reserved)
        {
            error = $"the data key \"{reserved}\" is reserved by FCM";
            return null;
        }

        if (message.TimeToLive > MaxTimeToLive)
        {
            error = "the time to live is longer than the 28 days FCM allows";
            return null;
        }

        var output = buffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.Reset(output);

        json.WriteStartObject();
        json.WriteStartObject("message");
        json.WriteString("token", token);
        json.Flush();
        int tokenBytes = output.WrittenCount;
        WriteContent(json, message);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();

        int payloadBytes = output.WrittenCount - tokenBytes;
        if (payloadBytes > MaxBytes)
        {
            error = $"the message is {payloadBytes} bytes without its token; FCM allows {MaxBytes}";
            return null;
        }

        error = null;
        return output.WrittenSpan.ToArray();
    }

    private static void WriteContent(Utf8JsonWriter json, PushMessage message)
    {
        // Why: without "notification" FCM delivers a data message, which the app handles itself (a silent push).
        if (message.Title is not null || message.Body is not null)
        {
            json.WriteStartObject("notification");
            if (message.Title is { } title) json.WriteString("title", title);
            if (message.Body is { } body) json.WriteString("body", body);
            if (message.ImageUrl is { } image) json.WriteString("image", image);
            json.WriteEndObject();
        }

        if (message.Data is { Count: > 0 } data)
        {
            json.WriteStartObject("data");
            foreach (var (key, value) in data) json.WriteString(key, value);
            json.WriteEndObject();
        }

        json.WriteStartObject("android");
        json.WriteString("priority", message.Priority == PushPriority.High ? "HIGH" : "NORMAL");
        if (message.TimeToLive is { } ttl) json.WriteString("ttl", Seconds(ttl));
        if (message.CollapseId is { } collapseKey) json.WriteString("collapse_key", collapseKey);
        if (message.HasAlert && (message.AndroidChannelId is not null || message.Sound is not null || message.Category is not null || message.Badge is not null))
        {
            json.WriteStartObject("notification");
            if (message.AndroidChannelId is { } channel) json.WriteString("channel_id", channel);
            if (message.Sound is { } sound) json.WriteString("sound", sound);
            if (message.Category is { } category) json.WriteString("click_action", category);
            if (message.Badge is { } badge) json.WriteNumber("notification_count", badge);
            json.WriteEndObject();
        }

        json.WriteEndObject();

        if (NeedsApnsOverride(message))
        {
            json.WriteStartObject("apns");
            json.WriteStartObject("headers");
            json.WriteString("apns-push-type", ApnsSender.PushType(message));
            json.WriteString("apns-priority", ApnsSender.Priority(message));
            if (message.CollapseId is { } collapseId) json.WriteString("apns-collapse-id", collapseId);
            json.WriteEndObject();
            json.WriteStartObject("payload");
            ApnsPayload.WriteAps(json, message);
            json.WriteEndObject();
            if (message.ImageUrl is { } image)
            {
                json.WriteStartObject("fcm_options");
                json.WriteString("image", image);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }
    }

    /// <summary>True when the message has something only an iOS device uses, which FCM passes on through <c>apns</c>.</summary>
    private static bool NeedsApnsOverride(PushMessage m) =>
        m.Subtitle is not null || m.Badge is not null || m.Category is not null || m.ThreadId is not null || m.MutableContent || m.ContentAvailable || m.ImageUrl is not null;

    private static bool IsReserved(string key) =>
        ReservedKeys.Contains(key) || key.StartsWith("google", StringComparison.Ordinal) || key.StartsWith("gcm", StringComparison.Ordinal);

    private static string Seconds(TimeSpan ttl) =>
        ((long)Math.Max(0, Math.Ceiling(ttl.TotalSeconds))).ToString(CultureInfo.InvariantCulture) + "s";
}
