namespace Orleans.Segments.Wakeups;

/// <summary>
/// The users due for a time-driven change within one time bucket (key: <c>{bucket}/{shard}</c>). Buckets are
/// grains that exist only while they hold bookings, so millions of silent users cost storage, not reminders.
/// </summary>
[Alias("segments.IWakeupBucketGrain")]
public interface IWakeupBucketGrain : IGrainWithStringKey
{
    /// <summary>Books a wake-up; false if the bucket is already due (book a later one).</summary>
    [Alias("Book")]
    Task<bool> Book(string userGrainKey, DateTime dueAt);

    /// <summary>Wakes up to <paramref name="max"/> booked users; a user whose wake fails stays booked.</summary>
    [Alias("Fire")]
    Task<FireResult> Fire(int max);
}

/// <summary>What one <see cref="IWakeupBucketGrain.Fire"/> call did.</summary>
[GenerateSerializer, Immutable, Alias("segments.FireResult")]
public readonly record struct FireResult([property: Id(0)] int Woken, [property: Id(1)] int Failed, [property: Id(2)] int Remaining);
