namespace Orleans.Segments.Wakeups;

/// <summary>Makes sure the wake-up dispatcher and its reminder exist once a silo starts.</summary>
internal sealed class WakeupStartupTask(IGrainFactory grains) : IStartupTask
{
    public Task Execute(CancellationToken cancellationToken) =>
        grains.GetGrain<IWakeupDispatcherGrain>(0).Start();
}
