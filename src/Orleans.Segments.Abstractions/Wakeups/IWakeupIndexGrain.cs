namespace Orleans.Segments.Wakeups;

/// <summary>
/// The bucket shards of one UTC day that hold bookings (key: the day number), so that the dispatcher visits
/// only those instead of every shard of every minute.
/// </summary>
[Alias("segments.IWakeupIndexGrain")]
public interface IWakeupIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Notes that a bucket shard holds bookings.</summary>
    [Alias("Register")]
    Task Register(long bucket, int shard);

    /// <summary>The registered bucket shards up to <paramref name="lastBucket"/>, in time order.</summary>
    [Alias("Due")]
    Task<(long Bucket, int Shard)[]> Due(long lastBucket);

    /// <summary>Forgets a bucket shard that has been fired empty.</summary>
    [Alias("Remove")]
    Task Remove(long bucket, int shard);
}
