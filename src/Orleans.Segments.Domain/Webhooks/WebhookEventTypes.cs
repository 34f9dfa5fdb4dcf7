namespace Orleans.Segments.Domain.Webhooks;

/// <summary>The event types a webhook can subscribe to (<c>docs/webhooks.md</c> describes each one's fields).</summary>
public static class WebhookEventTypes
{
    public const string MessageSent = "message.sent";
    public const string MessageDelivered = "message.delivered";
    public const string MessageFailed = "message.failed";
    public const string MessageSuppressed = "message.suppressed";
    public const string MessageOpened = "message.opened";
    public const string MessageConverted = "message.converted";
    public const string MessageOptedOut = "message.opted_out";
    public const string SegmentEntered = "segment.entered";
    public const string SegmentExited = "segment.exited";
    public const string GeofenceEntered = "geofence.entered";
    public const string GeofenceExited = "geofence.exited";
    public const string LifecycleChanged = "lifecycle.changed";
    public const string JourneyEntered = "journey.entered";
    public const string JourneyStepReached = "journey.step_reached";
    public const string JourneyExited = "journey.exited";
    public const string JourneyConverted = "journey.converted";

    /// <summary>The type of the sample a test delivery sends; never subscribed to.</summary>
    public const string Test = "webhook.test";

    public static readonly IReadOnlyList<string> All =
    [
        MessageSent, MessageDelivered, MessageFailed, MessageSuppressed, MessageOpened, MessageConverted, MessageOptedOut,
        SegmentEntered, SegmentExited, GeofenceEntered, GeofenceExited, LifecycleChanged,
        JourneyEntered, JourneyStepReached, JourneyExited, JourneyConverted,
    ];

    private static readonly HashSet<string> Known = new(All, StringComparer.Ordinal);

    public static bool IsKnown(string type) => Known.Contains(type);
}
