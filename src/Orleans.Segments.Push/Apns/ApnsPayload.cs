using System.Buffers;
using System.Text.Json;

namespace Orleans.Segments.Push.Apns;

/// <summary>Writes a message as the APNs JSON payload: the <c>aps</c> dictionary plus the custom data beside it.</summary>
internal static class ApnsPayload
{
    /// <summary>APNs' limit for every push type except VoIP.</summary>
    public const int MaxBytes = 4096;

    [ThreadStatic] private static ArrayBufferWriter<byte>? buffer;
    [ThreadStatic] private static Utf8JsonWriter? writer;

    /// <summary>The payload's UTF-8 bytes, or the reason it cannot be sent.</summary>
    public static byte[]? TryWrite(PushMessage message, out string? error)
    {
        if (message.Data?.ContainsKey("aps") == true)
        {
            error = "custom data may not use the key \"aps\", which APNs reserves";
            return null;
        }

        if (!message.HasAlert && !message.ContentAvailable && message.Badge is null && message.Sound is null && message.LiveActivity is null)
        {
            error = "the notification has no alert, badge, sound or content-available: APNs would drop it";
            return null;
        }

        // Why: sends run at tens of thousands per second; reusing one buffer per thread spares a resize chain each.
        var output = buffer ??= new ArrayBufferWriter<byte>(1024);
        output.ResetWrittenCount();
        var json = writer ??= new Utf8JsonWriter(output, new JsonWriterOptions { SkipValidation = true });
        json.Reset(output);
        Write(json, message);
        json.Flush();

        if (output.WrittenCount > MaxBytes)
        {
            error = $"the payload is {output.WrittenCount} bytes; APNs allows {MaxBytes}";
            return null;
        }

        error = null;
        return output.WrittenSpan.ToArray();
    }

    /// <summary>Writes the <c>aps</c> dictionary; FCM's <c>apns</c> override reuses it.</summary>
    public static void WriteAps(Utf8JsonWriter json, PushMessage message)
    {
        json.WriteStartObject("aps");
        if (message.HasAlert)
        {
            json.WriteStartObject("alert");
            if (message.Title is { } title) json.WriteString("title", title);
            if (message.Subtitle is { } subtitle) json.WriteString("subtitle", subtitle);
            if (message.Body is { } body) json.WriteString("body", body);
            json.WriteEndObject();
        }

        if (message.Badge is { } badge) json.WriteNumber("badge", badge);
        if (message.Sound is { } sound) json.WriteString("sound", sound);
        if (message.Category is { } category) json.WriteString("category", category);
        if (message.ThreadId is { } threadId) json.WriteString("thread-id", threadId);
        // Why: APNs has no image field; the app's notification service extension, which runs only for pushes with
        // mutable-content, downloads the image from the payload's image_url.
        if (message.MutableContent || message.ImageUrl is not null) json.WriteNumber("mutable-content", 1);
        if (message.ContentAvailable) json.WriteNumber("content-available", 1);
        if (message.LiveActivity is { } activity) WriteLiveActivity(json, activity);
        json.WriteEndObject();
    }

    private static void WriteLiveActivity(Utf8JsonWriter json, LiveActivityContent activity)
    {
        json.WriteNumber("timestamp", activity.Timestamp);
        json.WriteString("event", activity.Event);
        if (activity.ContentState is { } state)
        {
            json.WritePropertyName("content-state");
            json.WriteRawValue(state, skipInputValidation: false);
        }

        if (activity.StaleDate is { } stale) json.WriteNumber("stale-date", stale);
        if (activity.DismissalDate is { } dismissal) json.WriteNumber("dismissal-date", dismissal);
        if (activity.RelevanceScore is { } relevance) json.WriteNumber("relevance-score", relevance);
        if (activity.AttributesType is { } type) json.WriteString("attributes-type", type);
        if (activity.Attributes is { } attributes)
        {
            json.WritePropertyName("attributes");
            json.WriteRawValue(attributes, skipInputValidation: false);
        }
    }

    private static void Write(Utf8JsonWriter json, PushMessage message)
    {
        json.WriteStartObject();
        WriteAps(json, message);
        if (message.Data is { } data)
        {
            foreach (var (key, value) in data) json.WriteString(key, value);
        }

        if (message.ImageUrl is { } image && message.Data?.ContainsKey("image_url") != true) json.WriteString("image_url", image);
        json.WriteEndObject();
    }
}
