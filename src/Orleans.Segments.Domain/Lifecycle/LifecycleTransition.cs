using MessagePack;

namespace Orleans.Segments.Domain.Lifecycle;

/// <summary>A change of stage and the moment it happened.</summary>
[GenerateSerializer, Immutable, Alias("segments.LifecycleTransition")]
[MessagePackObject]
public sealed record LifecycleTransition(
    [property: Id(0), Key(0)] LifecycleStage? From,
    [property: Id(1), Key(1)] LifecycleStage To,
    [property: Id(2), Key(2)] DateTime At);
