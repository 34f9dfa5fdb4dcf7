using Microsoft.Extensions.Logging;
using Orleans.Segments.Hosting;
using Orleans.Segments.Users;

namespace Orleans.Segments.Segments;

/// <summary>
/// Walks every user of an app, page by page, asking each to re-evaluate with the new definitions. The cursor
/// is persisted after every page, and a reminder resumes the job after a restart; re-evaluating a user twice
/// is harmless, so resuming at the last persisted page is exact enough.
/// </summary>
public sealed partial class SegmentBackfillGrain(
    [PersistentState("backfill", SegmentsStorage.Name)] IPersistentState<SegmentBackfillState> job,
    ILogger<SegmentBackfillGrain> logger) : Grain, ISegmentBackfillGrain, IRemindable
{
    private const string ReminderName = "backfill";
    private const int Concurrency = 64;
    private Task? running;

    private string AppId => this.GetPrimaryKeyString();

    private bool Pending => job.State.Version > job.State.CompletedVersion;

    async Task ISegmentBackfillGrain.Start(long version)
    {
        var s = job.State;
        if (version <= s.Version) return;
        s.Version = version;
        s.Shard = 0;
        s.Page = 0;
        s.Processed = 0;
        s.Total = await CountUsers();
        await job.WriteStateAsync();
        await this.RegisterOrUpdateReminder(ReminderName, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));
        EnsureRunning();
    }

    Task<BackfillStatus> ISegmentBackfillGrain.GetStatus() => Task.FromResult(Status());

    async Task<BackfillStatus> ISegmentBackfillGrain.RunToEnd()
    {
        EnsureRunning();
        while (running is { } task)
        {
            await task;
            if (!Pending) break;
            EnsureRunning();
        }

        return Status();
    }

    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Pending)
        {
            EnsureRunning();
            return;
        }

        var reminder = await this.GetReminder(ReminderName);
        if (reminder is not null) await this.UnregisterReminder(reminder);
    }

    private BackfillStatus Status()
    {
        var s = job.State;
        return new BackfillStatus(s.Version, Pending, s.Processed, Math.Max(s.Total, s.Processed), s.CompletedVersion);
    }

    private void EnsureRunning()
    {
        if (running is { IsCompleted: false } || !Pending) return;

        // Why: the job runs as turns of this grain between its awaits (calls are not blocked for long: the
        // loop yields at every page), so GetStatus answers while it runs; it only reads the state.
        running = Run();
    }

    private async Task Run()
    {
        try
        {
            while (Pending)
            {
                DelayDeactivation(TimeSpan.FromMinutes(5));
                var s = job.State;
                long version = s.Version;
                if (s.Shard >= UserDirectoryGrain.Shards)
                {
                    s.CompletedVersion = version;
                    await job.WriteStateAsync();
                    LogCompleted(AppId, version, s.Processed);

                    // Why: a Start during that write asks for another pass; the loop condition sees it.
                    continue;
                }

                int shard = s.Shard, page = s.Page;
                int pages = await GrainFactory.GetGrain<IUserDirectoryGrain>(UserDirectoryGrain.Key(AppId, shard)).Pages();

                // Why: Start may have moved the cursor back to the beginning while this turn awaited; acting on
                // the old shard's page count would skip the new version's first shards.
                if (s.Version != version || s.Shard != shard || s.Page != page) continue;
                if (s.Page >= pages)
                {
                    s.Shard++;
                    s.Page = 0;
                    await job.WriteStateAsync();
                    continue;
                }

                var users = await GrainFactory.GetGrain<IUserDirectoryPageGrain>($"{UserDirectoryGrain.Key(AppId, shard)}/{page}").Users();
                foreach (var chunk in users.Chunk(Concurrency))
                {
                    await Task.WhenAll(chunk.Select(u => GrainFactory.User(UserKey.Known(AppId, u)).Reevaluate(version)));
                }

                // A newer version restarted the cursor meanwhile: leave it alone.
                if (s.Version != version || s.Shard != shard || s.Page != page) continue;
                s.Processed += users.Length;
                s.Page++;
                await job.WriteStateAsync();
            }
        }
        catch (Exception ex)
        {
            // Why: the reminder restarts the job from the last persisted page.
            LogFailed(AppId, ex);
        }
    }

    private async Task<long> CountUsers()
    {
        var pages = await Task.WhenAll(Enumerable.Range(0, UserDirectoryGrain.Shards)
            .Select(shard => GrainFactory.GetGrain<IUserDirectoryGrain>(UserDirectoryGrain.Key(AppId, shard)).Pages()));

        // An estimate for progress: full pages but the last of each shard.
        return pages.Sum(p => (long)Math.Max(0, p - 1) * UserDirectoryGrain.PageSize + (p > 0 ? UserDirectoryGrain.PageSize / 2 : 0));
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Information, Message = "Segment backfill of {AppId} reached version {Version} after {Users} users")]
    private partial void LogCompleted(string appId, long version, long users);

    [LoggerMessage(EventId = 601, Level = LogLevel.Warning, Message = "Segment backfill of {AppId} failed; the reminder resumes it")]
    private partial void LogFailed(string appId, Exception exception);
}
