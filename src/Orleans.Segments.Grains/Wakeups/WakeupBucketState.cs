using MessagePack;

namespace Orleans.Segments.Wakeups;

/// <summary>The users booked into one bucket and when each is due.</summary>
[GenerateSerializer, Alias("segments.WakeupBucketState"), MessagePackObject]
public sealed class WakeupBucketState
{
    [Id(0), Key(0)] public Dictionary<string, DateTime> Due { get; set; } = new(StringComparer.Ordinal);
}
