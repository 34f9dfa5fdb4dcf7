using System.Buffers;
using System.Text.Json;

namespace Orleans.Segments.Domain.Webhooks;

/// <summary>
/// The body of one webhook request:
/// <c>{"webhookId", "appId", "batchId", "events": [{"id", "type", "at", "userId" | "anonymousId", ...}]}</c>,
/// fields without a value left out. Written directly (no reflection), since every exported event passes here.
/// </summary>
public static class WebhookBatchJson
{
    public static byte[] Write(string appId, string webhookId, string batchId, IReadOnlyList<WebhookEvent> events)
    {
        var buffer = new ArrayBufferWriter<byte>(256 + events.Count * 256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("webhookId", webhookId);
            json.WriteString("appId", appId);
            json.WriteString("batchId", batchId);
            json.WriteStartArray("events");
            foreach (var e in events) WriteEvent(json, e);
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEvent(Utf8JsonWriter json, WebhookEvent e)
    {
        json.WriteStartObject();
        json.WriteString("id", e.Id);
        json.WriteString("type", e.Type);
        json.WriteString("at", DateTime.SpecifyKind(e.At, DateTimeKind.Utc));
        json.WriteString(e.Anonymous ? "anonymousId" : "userId", e.UserId);
        Optional(json, "campaignId", e.CampaignId);
        Optional(json, "journeyId", e.JourneyId);
        Optional(json, "notificationId", e.NotificationId);
        Optional(json, "variant", e.Variant);
        Optional(json, "language", e.Language);
        Optional(json, "reason", e.Reason);
        Optional(json, "segmentId", e.SegmentId);
        Optional(json, "from", e.From);
        Optional(json, "to", e.To);
        Optional(json, "stepId", e.StepId);
        if (e.Version is { } version) json.WriteNumber("version", version);
        Optional(json, "detail", e.Detail);
        json.WriteEndObject();
    }

    private static void Optional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null) json.WriteString(name, value);
    }
}
