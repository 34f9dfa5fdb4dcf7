namespace Orleans.Segments.Domain.Segments;

/// <summary>A segment as a campaign manager defines it.</summary>
[GenerateSerializer, Immutable, Alias("segments.SegmentDefinition")]
public sealed record SegmentDefinition(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Rule);
