namespace Orleans.Segments.Domain.Events;

/// <summary>
/// One Segment-spec message reduced to what the user model needs. The gateway builds it from JSON, so the
/// user grain never parses text.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.UserEvent")]
public sealed record UserEvent(
    [property: Id(0)] EventKind Kind,
    [property: Id(1)] string MessageId,
    [property: Id(2)] DateTime Timestamp)
{
    /// <summary>The event name of a track call, or the page or screen name.</summary>
    [Id(3)] public string? Name { get; init; }

    /// <summary>The top-level numeric properties, summed per day by the behaviour counters.</summary>
    [Id(4)] public Dictionary<string, double>? Numbers { get; init; }

    /// <summary>Interest categories named by the event (<c>category</c>, <c>products[].category</c>).</summary>
    [Id(5)] public string[]? Categories { get; init; }

    /// <summary>Traits of an identify call, or <c>context.traits</c>.</summary>
    [Id(6)] public Dictionary<string, TraitValue>? Traits { get; init; }

    [Id(7)] public GeoPoint? Location { get; init; }

    /// <summary>An IANA time zone id from <c>context.timezone</c>.</summary>
    [Id(8)] public string? TimeZone { get; init; }

    [Id(9)] public DeviceToken? Device { get; init; }

    /// <summary>The anonymous id sent beside a user id, or the previous id of an alias call.</summary>
    [Id(10)] public string? AnonymousId { get; init; }

    /// <summary><c>properties.notification_id</c>: the push a <c>Push Notification Tapped</c> event is about.</summary>
    [Id(11)] public string? NotificationId { get; init; }

    /// <summary>The device, app, OS, locale and network the SDK reported, if any.</summary>
    [Id(12)] public ClientContext? Client { get; init; }
}
