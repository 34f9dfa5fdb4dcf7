using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Push.Delivery;

/// <summary>What became of a notification to one of a user's devices; the device by its fingerprint, never its token.</summary>
[GenerateSerializer, Immutable, Alias("segments.DeviceOutcome")]
public sealed record DeviceOutcome(
    [property: Id(0)] string DeviceId,
    [property: Id(1)] PushPlatform Platform,
    [property: Id(2)] PushOutcome Outcome);
