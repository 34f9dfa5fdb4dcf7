using MessagePack;

namespace Orleans.Segments.Domain.Segments;

/// <summary>A user entering or leaving a segment or a geofence, and when.</summary>
[GenerateSerializer, Immutable, Alias("segments.MembershipTransition")]
[MessagePackObject]
public sealed record MembershipTransition(
    [property: Id(0), Key(0)] string Id,
    [property: Id(1), Key(1)] bool Entered,
    [property: Id(2), Key(2)] DateTime At);
