using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;

namespace Orleans.Segments.Wakeups;

/// <summary>
/// Fires due wake-up buckets in order. A reminder (durable, one for the whole cluster) revives it after a
/// restart; while active, a grain timer ticks every <see cref="WakeupOptions.TickInterval"/>.
/// </summary>
public sealed partial class WakeupDispatcherGrain(
    [PersistentState("dispatcher", SegmentsStorage.Name)] IPersistentState<WakeupDispatcherState> dispatcher,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options,
    ILogger<WakeupDispatcherGrain> logger) : Grain, IWakeupDispatcherGrain, IRemindable
{
    private const string ReminderName = "wakeups";
    private const int FireBatch = 1000;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var interval = options.CurrentValue.Wakeups.TickInterval;
        this.RegisterGrainTimer(static (self, _) => self.TickOnTimer(), this,
            new GrainTimerCreationOptions(interval, interval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    async Task IWakeupDispatcherGrain.Start()
    {
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        if (dispatcher.State.NextBucket == 0)
        {
            // Why: nobody books into the past, so the first bucket that can hold bookings is the current one.
            dispatcher.State.NextBucket = options.CurrentValue.Wakeups.Schedule.BucketOf(time.GetUtcNow().UtcDateTime);
            await dispatcher.WriteStateAsync();
        }
    }

    Task<long> IWakeupDispatcherGrain.Tick() => Tick();

    Task<WakeupStatus> IWakeupDispatcherGrain.GetStatus()
    {
        var schedule = options.CurrentValue.Wakeups.Schedule;
        var s = dispatcher.State;
        return Task.FromResult(new WakeupStatus(schedule.StartOf(s.NextBucket), s.UsersWoken, s.LastTickAt));
    }

    // Why: the reminder only has to activate the grain; activation starts the timer that does the work.
    Task IRemindable.ReceiveReminder(string reminderName, TickStatus status) => Task.CompletedTask;

    private async Task TickOnTimer()
    {
        try
        {
            await Tick();
        }
        catch (Exception ex)
        {
            LogTickFailed(ex);
        }
    }

    private async Task<long> Tick()
    {
        var wakeups = options.CurrentValue.Wakeups;
        var schedule = wakeups.Schedule;
        var now = time.GetUtcNow().UtcDateTime;
        var state = dispatcher.State;
        if (state.NextBucket == 0) state.NextBucket = schedule.BucketOf(now);

        long woken = 0;
        long lastReady = schedule.BucketOf(now - wakeups.Grace) - 1;
        bool failed = false;

        // Why: only bucket shards listed in the day indexes hold bookings, so a long catch-up (a silo down for a
        // day) visits those and not every shard of every minute.
        for (long day = schedule.DayOf(state.NextBucket); !failed && state.NextBucket <= lastReady && day <= schedule.DayOf(lastReady); day++)
        {
            var index = GrainFactory.GetGrain<IWakeupIndexGrain>(day);
            foreach (var group in (await index.Due(lastReady)).GroupBy(e => e.Bucket))
            {
                var results = await Task.WhenAll(group.Select(async e =>
                {
                    var result = await FireAll(GrainFactory.GetGrain<IWakeupBucketGrain>(WakeupSchedule.BucketKey(e.Bucket, e.Shard)));
                    if (result.Failed == 0) await index.Remove(e.Bucket, e.Shard);
                    return result;
                }));

                long bucketWoken = results.Sum(r => r.Woken);
                woken += bucketWoken;
                state.UsersWoken += bucketWoken;
                if (results.Any(r => r.Failed > 0))
                {
                    // Why: some users could not be woken (a silo is down, storage is unavailable); they stay
                    // booked and listed, and this bucket is fired again on the next tick rather than skipped.
                    state.NextBucket = group.Key;
                    failed = true;
                    break;
                }
            }
        }

        if (!failed && state.NextBucket <= lastReady) state.NextBucket = lastReady + 1;
        await dispatcher.WriteStateAsync();

        state.LastTickAt = now;
        if (woken > 0) LogWoken(woken);
        return woken;
    }

    /// <summary>Fires one shard until it is empty or a batch had failures.</summary>
    private static async Task<(long Woken, int Failed)> FireAll(IWakeupBucketGrain shard)
    {
        long woken = 0;
        while (true)
        {
            var result = await shard.Fire(FireBatch);
            woken += result.Woken;
            if (result.Failed > 0 || result.Remaining == 0) return (woken, result.Failed);
        }
    }

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Woke {Users} users for time-driven changes")]
    private partial void LogWoken(long users);

    [LoggerMessage(EventId = 211, Level = LogLevel.Error, Message = "The wake-up tick failed; it is retried on the next tick")]
    private partial void LogTickFailed(Exception exception);
}
