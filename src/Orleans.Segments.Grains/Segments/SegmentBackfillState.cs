namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.SegmentBackfillState")]
public sealed class SegmentBackfillState
{
    /// <summary>The catalog version being backfilled.</summary>
    [Id(0)] public long Version { get; set; }

    /// <summary>The newest version every user has been re-evaluated with.</summary>
    [Id(1)] public long CompletedVersion { get; set; }

    /// <summary>The directory shard the cursor is in.</summary>
    [Id(2)] public int Shard { get; set; }

    /// <summary>The page of <see cref="Shard"/> the cursor is at.</summary>
    [Id(3)] public int Page { get; set; }

    [Id(4)] public long Processed { get; set; }

    [Id(5)] public long Total { get; set; }
}
