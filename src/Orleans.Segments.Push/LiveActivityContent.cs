namespace Orleans.Segments.Push;

/// <summary>
/// What a Live Activity push carries in its <c>aps</c> (APNs push type <c>liveactivity</c>, topic
/// <c>&lt;bundle&gt;.push-type.liveactivity</c>): the event, the activity's new state and its dates.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.LiveActivityContent")]
public sealed record LiveActivityContent
{
    /// <summary><c>update</c>, <c>end</c> or <c>start</c>.</summary>
    [Id(0)] public required string Event { get; init; }

    /// <summary>When the update was made (Unix seconds); iOS ignores an update older than the one it shows.</summary>
    [Id(1)] public required long Timestamp { get; init; }

    /// <summary>The activity's <c>ContentState</c> as JSON (an object); required for update and start.</summary>
    [Id(2)] public string? ContentState { get; init; }

    /// <summary>When the content goes stale (Unix seconds).</summary>
    [Id(3)] public long? StaleDate { get; init; }

    /// <summary>When an ended activity leaves the lock screen (Unix seconds).</summary>
    [Id(4)] public long? DismissalDate { get; init; }

    /// <summary>Which of several activities iOS shows first (higher first).</summary>
    [Id(5)] public double? RelevanceScore { get; init; }

    /// <summary>A start's <c>ActivityAttributes</c> type name.</summary>
    [Id(6)] public string? AttributesType { get; init; }

    /// <summary>A start's attributes as JSON (an object).</summary>
    [Id(7)] public string? Attributes { get; init; }
}
