using MessagePack;

namespace Orleans.Segments.Domain.Lifecycle;

/// <summary>A user's current stage, since when, and the recent transitions.</summary>
[GenerateSerializer, Alias("segments.LifecycleState")]
[MessagePackObject]
public sealed class LifecycleState
{
    /// <summary>Null until the user has been seen.</summary>
    [Id(0), Key(0)] public LifecycleStage? Stage { get; set; }

    [Id(1), Key(1)] public DateTime Since { get; set; }

    /// <summary>The time up to which time-driven transitions have been applied.</summary>
    [Id(2), Key(2)] public DateTime EvaluatedAt { get; set; }

    /// <summary>Recent transitions, oldest first.</summary>
    [Id(3), Key(3)] public List<LifecycleTransition> History { get; set; } = [];

    /// <summary>Every transition ever recorded, including those the capped history no longer holds.</summary>
    [Id(4), Key(4)] public long Transitions { get; set; }
}
