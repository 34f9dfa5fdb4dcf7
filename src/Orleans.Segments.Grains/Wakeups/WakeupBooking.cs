using MessagePack;

namespace Orleans.Segments.Wakeups;

/// <summary>One booking of a bucket shard, as logged until the shard's next snapshot.</summary>
[GenerateSerializer, Immutable, Alias("segments.WakeupBooking"), MessagePackObject]
public readonly record struct WakeupBooking([property: Id(0), Key(0)] string UserGrainKey, [property: Id(1), Key(1)] DateTime DueAt)
{
    public static void Apply(WakeupBucketState state, WakeupBooking booking) => state.Due[booking.UserGrainKey] = booking.DueAt;
}
