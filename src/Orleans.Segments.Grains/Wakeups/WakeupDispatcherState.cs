namespace Orleans.Segments.Wakeups;

[GenerateSerializer, Alias("segments.WakeupDispatcherState")]
public sealed class WakeupDispatcherState
{
    /// <summary>The first bucket not yet fired; 0 until the dispatcher first starts.</summary>
    [Id(0)] public long NextBucket { get; set; }

    [Id(1)] public long UsersWoken { get; set; }

    [Id(2)] public DateTime? LastTickAt { get; set; }
}
