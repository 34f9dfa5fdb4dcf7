namespace Orleans.Segments.Segments;

/// <summary>A user entering or leaving a segment or geofence, as published on the <c>segment-transitions</c> stream.</summary>
[GenerateSerializer, Immutable, Alias("segments.SegmentTransitionEvent")]
public sealed record SegmentTransitionEvent(
    [property: Id(0)] string UserId,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Id,
    [property: Id(3)] bool Entered,
    [property: Id(4)] DateTime At);
