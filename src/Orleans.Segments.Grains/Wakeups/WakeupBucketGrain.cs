using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;
using Orleans.Segments.Users;

namespace Orleans.Segments.Wakeups;

/// <summary>
/// One shard of one time bucket of wake-ups. A booking is persisted before it is acknowledged, and an entry is
/// removed only after the user grain has processed its wake, so a crash can repeat a wake but never lose one
/// (waking is idempotent: the user re-evaluates at the current time). Persisted as a snapshot and a log of the
/// bookings since (<see cref="SnapshotWithLog{TState, TChange}"/>), so that a booking does not rewrite the shard.
/// </summary>
public sealed partial class WakeupBucketGrain(
    [PersistentState("wakeups", SegmentsStorage.Name)] IPersistentState<WakeupBucketState> snapshot,
    [PersistentState("wakeups-log", SegmentsStorage.Name)] IPersistentState<ChangeLog<WakeupBooking>> log,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options,
    SegmentsMetrics metrics,
    ILogger<WakeupBucketGrain> logger) : Grain, IWakeupBucketGrain
{
    private readonly SnapshotWithLog<WakeupBucketState, WakeupBooking> bucket = new(snapshot, log, WakeupBooking.Apply, s => s.Due.Count);

    private bool registered;

    async Task<bool> IWakeupBucketGrain.Book(string userGrainKey, DateTime dueAt)
    {
        var schedule = options.CurrentValue.Wakeups.Schedule;
        var (number, _) = WakeupSchedule.ParseKey(this.GetPrimaryKeyString());

        // Why: a bucket whose end has passed may already have been fired; refusing makes the caller book a
        // later bucket instead of leaving an entry nobody will fire.
        if (schedule.EndOf(number) <= time.GetUtcNow().UtcDateTime) return false;

        if ((await bucket.Current()).Due.TryGetValue(userGrainKey, out var existing) && existing <= dueAt) return true;
        await bucket.Commit(new WakeupBooking(userGrainKey, dueAt));

        // Why: registered after the booking is durable, once per activation (registering is idempotent); a
        // failure here fails the booking, so the user books again and the registration is retried.
        if (!registered)
        {
            var (_, shard) = WakeupSchedule.ParseKey(this.GetPrimaryKeyString());
            await GrainFactory.GetGrain<IWakeupIndexGrain>(schedule.DayOf(number)).Register(number, shard);
            registered = true;
        }

        return true;
    }

    async Task<FireResult> IWakeupBucketGrain.Fire(int max)
    {
        var due = (await bucket.Current()).Due;
        if (due.Count == 0) return default;

        var batch = due.Keys.Take(max).ToList();
        int concurrency = options.CurrentValue.Wakeups.Concurrency;
        int failed = 0;

        // Why: chunks of awaited calls stay on the grain's scheduler (Parallel.ForEachAsync would leave it).
        foreach (var chunk in batch.Chunk(concurrency))
        {
            var calls = chunk.Select(key => GrainFactory.User(key).Wake()).ToArray();
            try
            {
                await Task.WhenAll(calls);
            }
            catch
            {
                // Inspected per call below.
            }

            for (int i = 0; i < chunk.Length; i++)
            {
                if (calls[i].IsCompletedSuccessfully)
                {
                    due.Remove(chunk[i]);
                }
                else
                {
                    failed++;
                    LogWakeFailed(calls[i].Exception?.GetBaseException());
                }
            }
        }

        if (due.Count == 0)
        {
            await bucket.Clear();
            DeactivateOnIdle();
        }
        else
        {
            await bucket.Compact();
        }

        metrics.Wakeups(batch.Count - failed, succeeded: true);
        if (failed > 0) metrics.Wakeups(failed, succeeded: false);
        return new FireResult(batch.Count - failed, failed, due.Count);
    }

    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "A user's wake-up failed; it stays booked and is retried")]
    private partial void LogWakeFailed(Exception? exception);
}
