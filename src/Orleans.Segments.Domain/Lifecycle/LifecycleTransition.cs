namespace Orleans.Segments.Domain.Lifecycle;

/// <summary>A change of stage and the moment it happened.</summary>
[GenerateSerializer, Immutable, Alias("segments.LifecycleTransition")]
public sealed record LifecycleTransition(
    [property: Id(0)] LifecycleStage? From,
    [property: Id(1)] LifecycleStage To,
    [property: Id(2)] DateTime At);
