namespace Orleans.Segments.Wakeups;

[GenerateSerializer, Alias("segments.WakeupIndexState")]
public sealed class WakeupIndexState
{
    /// <summary>Bucket shards holding bookings, as <c>bucket * 4096 + shard</c> (shards are at most 4096).</summary>
    [Id(0)] public SortedSet<long> Entries { get; set; } = [];
}
