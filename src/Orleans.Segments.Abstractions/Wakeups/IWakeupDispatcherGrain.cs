namespace Orleans.Segments.Wakeups;

/// <summary>
/// The one clock of the wake-up service (key 0): kept alive by a reminder, it fires every bucket whose time
/// has passed, in order, and remembers how far it got so that nothing is skipped across restarts.
/// </summary>
[Alias("segments.IWakeupDispatcherGrain")]
public interface IWakeupDispatcherGrain : IGrainWithIntegerKey
{
    /// <summary>Registers the reminder that keeps the dispatcher running.</summary>
    [Alias("Start")]
    Task Start();

    /// <summary>Fires every bucket that is due now; returns how many users were woken.</summary>
    [Alias("Tick")]
    Task<long> Tick();

    [Alias("GetStatus")]
    Task<WakeupStatus> GetStatus();
}

/// <summary>How far the wake-up service has got.</summary>
[GenerateSerializer, Immutable, Alias("segments.WakeupStatus")]
public sealed record WakeupStatus(
    [property: Id(0)] DateTime NextBucketStart,
    [property: Id(1)] long UsersWoken,
    [property: Id(2)] DateTime? LastTickAt);
