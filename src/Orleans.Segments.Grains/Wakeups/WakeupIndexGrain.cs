using Orleans.Segments.Hosting;

namespace Orleans.Segments.Wakeups;

/// <summary>One day's list of bucket shards with bookings. It calls no other grain, so it cannot deadlock.</summary>
public sealed class WakeupIndexGrain(
    [PersistentState("wakeup-index", SegmentsStorage.Name)] IPersistentState<WakeupIndexState> index) : Grain, IWakeupIndexGrain
{
    private const long ShardSpace = 4096;

    async Task IWakeupIndexGrain.Register(long bucket, int shard)
    {
        if (index.State.Entries.Add(bucket * ShardSpace + shard)) await index.WriteStateAsync();
    }

    Task<(long Bucket, int Shard)[]> IWakeupIndexGrain.Due(long lastBucket) =>
        Task.FromResult(index.State.Entries
            .TakeWhile(e => e / ShardSpace <= lastBucket)
            .Select(e => (e / ShardSpace, (int)(e % ShardSpace)))
            .ToArray());

    async Task IWakeupIndexGrain.Remove(long bucket, int shard)
    {
        if (!index.State.Entries.Remove(bucket * ShardSpace + shard)) return;
        if (index.State.Entries.Count == 0)
        {
            await index.ClearStateAsync();
            DeactivateOnIdle();
        }
        else
        {
            await index.WriteStateAsync();
        }
    }
}
