namespace Orleans.Segments.LiveActivities;

/// <summary>A Live Activity's durable state: its user, its tokens, its updates and the hour's priority-10 budget.</summary>
[GenerateSerializer, Alias("segments.LiveActivityState")]
public sealed class LiveActivityState
{
    [Id(0)] public string? UserId { get; set; }

    [Id(1)] public List<LiveActivityToken> Tokens { get; set; } = [];

    [Id(2)] public DateTime RegisteredAt { get; set; }

    [Id(3)] public DateTime? EndedAt { get; set; }

    [Id(4)] public long Updates { get; set; }

    [Id(5)] public DateTime? LastUpdateAt { get; set; }

    /// <summary>When the priority-10 pushes of the last hour were sent (the budget's window).</summary>
    [Id(6)] public List<DateTime> HighPriorityAt { get; set; } = [];

    /// <summary>The Unix time of the last push; each later one gets a later timestamp, since iOS drops older ones.</summary>
    [Id(7)] public long LastTimestamp { get; set; }
}

/// <summary>One device's push token for the activity; once APNs says it is gone, it is never used again.</summary>
[GenerateSerializer, Alias("segments.LiveActivityToken")]
public sealed class LiveActivityToken
{
    [Id(0)] public required string Token { get; init; }

    [Id(1)] public DateTime RegisteredAt { get; set; }

    [Id(2)] public DateTime? DeadSince { get; set; }

    [Id(3)] public string? DeadReason { get; set; }
}
