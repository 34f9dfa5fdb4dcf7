namespace Orleans.Segments.Wakeups;

/// <summary>Maps due times to bucket grains.</summary>
public sealed record WakeupSchedule(TimeSpan BucketWidth, int Shards)
{
    public long BucketOf(DateTime dueAt) => dueAt.Ticks / BucketWidth.Ticks;

    public DateTime StartOf(long bucket) => new(bucket * BucketWidth.Ticks, DateTimeKind.Utc);

    public DateTime EndOf(long bucket) => StartOf(bucket + 1);

    /// <summary>The day index a bucket belongs to (UTC days since 0001-01-01).</summary>
    public long DayOf(long bucket) => StartOf(bucket).Ticks / TimeSpan.TicksPerDay;

    public static string BucketKey(long bucket, int shard) => $"{bucket}/{shard}";

    public static (long Bucket, int Shard) ParseKey(string key)
    {
        int slash = key.IndexOf('/');
        return (long.Parse(key.AsSpan(0, slash)), int.Parse(key.AsSpan(slash + 1)));
    }

    /// <summary>The shard of a user: stable across processes (string.GetHashCode is not).</summary>
    public int ShardOf(string userGrainKey) =>
        (int)(System.IO.Hashing.XxHash32.HashToUInt32(System.Text.Encoding.UTF8.GetBytes(userGrainKey)) % (uint)Shards);
}
