namespace Orleans.Segments.Segments;

/// <summary>One user entering or leaving one index shard, as logged until the shard's next snapshot.</summary>
[GenerateSerializer, Immutable, Alias("segments.SegmentIndexChange")]
public readonly record struct SegmentIndexChange([property: Id(0)] string UserId, [property: Id(1)] bool Member)
{
    public static void Apply(SegmentIndexState state, SegmentIndexChange change)
    {
        if (change.Member) state.Members.Add(change.UserId);
        else state.Members.Remove(change.UserId);
    }
}
