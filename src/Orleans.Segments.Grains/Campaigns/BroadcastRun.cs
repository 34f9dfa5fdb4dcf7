namespace Orleans.Segments.Campaigns;

/// <summary>One broadcast occurrence on its way through the audience.</summary>
[GenerateSerializer, Alias("segments.BroadcastRun")]
public sealed class BroadcastRun
{
    [Id(0)] public required string Occurrence { get; init; }

    [Id(1)] public DateTime DueAt { get; init; }

    [Id(2)] public DateTime? LocalWallClock { get; init; }

    /// <summary>The index (or directory) shard the cursor is in.</summary>
    [Id(3)] public int Shard { get; set; }

    /// <summary>In a segment index shard: the last member offered.</summary>
    [Id(4)] public string? After { get; set; }

    /// <summary>In the user directory: the page and the position in it.</summary>
    [Id(5)] public int Page { get; set; }

    [Id(6)] public int Offset { get; set; }

    [Id(7)] public long Offered { get; set; }

    [Id(8)] public long AudienceAtStart { get; set; }

    [Id(9)] public DateTime StartedAt { get; init; }

    /// <summary>The campaign's own throttle: tokens left and when they were last topped up.</summary>
    [Id(10)] public double Tokens { get; set; }

    [Id(11)] public DateTime TokensAt { get; set; }
}
