using MessagePack;

namespace Orleans.Segments.Domain.Events;

/// <summary>
/// What a Segment SDK says about the device and app an event came from: <c>context.app</c>, <c>context.os</c>,
/// <c>context.device</c> (without its token), <c>context.locale</c>, <c>context.network</c> and
/// <c>context.library</c>. Absent fields are null; every text is at most <see cref="MaxText"/> characters.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.ClientContext")]
[MessagePackObject]
public sealed record ClientContext
{
    /// <summary>The longest text kept of any field.</summary>
    public const int MaxText = 100;

    /// <summary>
    /// Which of the user's devices this is: <c>context.device.id</c>, else the event's anonymous id (one per
    /// install or browser), else the SDK's name.
    /// </summary>
    [Id(0), Key(0)] public required string Key { get; init; }

    /// <summary><c>context.device.type</c> as sent: ios, android, macos, tvos, watchos, visionos…</summary>
    [Id(1), Key(1)] public string? DeviceType { get; init; }

    [Id(2), Key(2)] public string? Manufacturer { get; init; }

    [Id(3), Key(3)] public string? Model { get; init; }

    [Id(4), Key(4)] public string? AppName { get; init; }

    [Id(5), Key(5)] public string? AppVersion { get; init; }

    [Id(6), Key(6)] public string? AppBuild { get; init; }

    /// <summary>The bundle id or package name.</summary>
    [Id(7), Key(7)] public string? AppNamespace { get; init; }

    [Id(8), Key(8)] public string? OsName { get; init; }

    [Id(9), Key(9)] public string? OsVersion { get; init; }

    /// <summary>A BCP 47 tag (<c>de-DE</c>); an underscore as sent by some SDKs is read as a hyphen.</summary>
    [Id(10), Key(10)] public string? Locale { get; init; }

    [Id(11), Key(11)] public bool? Wifi { get; init; }

    [Id(12), Key(12)] public bool? Cellular { get; init; }

    [Id(13), Key(13)] public bool? Bluetooth { get; init; }

    [Id(14), Key(14)] public string? Carrier { get; init; }

    [Id(15), Key(15)] public string? LibraryName { get; init; }

    [Id(16), Key(16)] public string? LibraryVersion { get; init; }
}
