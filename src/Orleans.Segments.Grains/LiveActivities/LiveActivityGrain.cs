using Microsoft.Extensions.Options;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Hosting;
using Orleans.Segments.Push;

namespace Orleans.Segments.LiveActivities;

/// <summary>
/// A Live Activity (key: <c>app/activityId</c>). Updates and the end go to each of its live tokens as APNs
/// <c>liveactivity</c> pushes, one grain turn at a time, so the hour's priority-10 budget is exact. A token
/// APNs calls gone (410, or BadDeviceToken) is marked dead in the same turn and never used again.
/// </summary>
public sealed class LiveActivityGrain(
    [PersistentState("liveActivity", SegmentsStorage.Name)] IPersistentState<LiveActivityState> activity,
    PushSenders senders,
    TimeProvider time,
    IOptionsMonitor<SegmentsOptions> options) : Grain, ILiveActivityGrain
{
    /// <summary>Tokens kept per activity (one per device it runs on; a reinstall makes a new one).</summary>
    public const int MaxTokens = 10;

    private string AppId => this.GetPrimaryKeyString()[..this.GetPrimaryKeyString().IndexOf('/')];

    private string ActivityId => this.GetPrimaryKeyString()[(this.GetPrimaryKeyString().IndexOf('/') + 1)..];

    private DateTime Now => time.GetUtcNow().UtcDateTime;

    public static string Key(string appId, string activityId) => $"{appId}/{activityId}";

    async Task<LiveActivityResult> ILiveActivityGrain.Register(string userId, string token)
    {
        var state = activity.State;
        var now = Now;
        if (state.UserId is { } owner && owner != userId)
        {
            return new LiveActivityResult(LiveActivityOutcome.Conflict, "the activity belongs to another user; activity ids are unique per app", null);
        }

        if (state.EndedAt is not null) return new LiveActivityResult(LiveActivityOutcome.Conflict, "the activity has ended; a new activity needs a new id", View());
        if (state.UserId is null)
        {
            state.UserId = userId;
            state.RegisteredAt = now;
        }

        var known = state.Tokens.Find(t => t.Token == token);
        if (known is { DeadSince: not null }) return new LiveActivityResult(LiveActivityOutcome.Conflict, "APNs said this token is gone; iOS gives a running activity a new one", View());
        if (known is null)
        {
            state.Tokens.Add(new LiveActivityToken { Token = token, RegisteredAt = now });

            // Why: a device that restarts the app may report new tokens; the oldest dead ones, then the oldest, make room.
            while (state.Tokens.Count > MaxTokens)
            {
                int drop = state.Tokens.FindIndex(t => t.DeadSince is not null);
                state.Tokens.RemoveAt(drop >= 0 ? drop : 0);
            }

            await activity.WriteStateAsync();
        }

        return new LiveActivityResult(LiveActivityOutcome.Ok, null, View());
    }

    async Task<LiveActivityResult> ILiveActivityGrain.Push(LiveActivityRequest request)
    {
        var state = activity.State;
        if (state.UserId is null) return new LiveActivityResult(LiveActivityOutcome.NotFound, "no token was registered for this activity", null);
        if (state.EndedAt is not null) return new LiveActivityResult(LiveActivityOutcome.Conflict, "the activity has already ended", View());
        var live = state.Tokens.Where(t => t.DeadSince is null).ToList();
        if (live.Count == 0) return new LiveActivityResult(LiveActivityOutcome.Conflict, "every token of the activity is gone (APNs said so); the app must register a new one", View());

        var now = Now;
        state.HighPriorityAt.RemoveAll(at => at <= now - TimeSpan.FromHours(1));
        int budget = options.CurrentValue.PolicyFor(AppId).LiveActivities.HighPriorityPerHour;
        bool downgraded = request.HighPriority && state.HighPriorityAt.Count >= budget;
        bool high = request.HighPriority && !downgraded;
        long timestamp = Math.Max(new DateTimeOffset(now).ToUnixTimeSeconds(), state.LastTimestamp + 1);
        var message = new PushMessage
        {
            Title = request.AlertTitle,
            Body = request.AlertBody,
            Priority = high ? PushPriority.High : PushPriority.Normal,
            LiveActivity = new LiveActivityContent
            {
                Event = request.End ? "end" : "update",
                Timestamp = timestamp,
                ContentState = request.ContentState,
                StaleDate = Unix(request.StaleDate),
                DismissalDate = Unix(request.DismissalDate),
                RelevanceScore = request.RelevanceScore,
            },
        };

        // Why: checked here, whatever the app's provider (the log sender checks nothing), so an update APNs would refuse is a 400.
        if (PushPreview.Apns(message, null, time.GetUtcNow()).Error is { } invalid)
        {
            return new LiveActivityResult(LiveActivityOutcome.Invalid, $"APNs would refuse the push: {invalid}; nothing was sent", View());
        }

        var sender = senders.For(AppId);
        var outcomes = await Task.WhenAll(live.Select(t => sender.SendAsync(message, new DeviceToken(t.Token, PushPlatform.Ios))));
        int dead = 0;
        for (int i = 0; i < live.Count; i++)
        {
            if (outcomes[i] is PermanentFailure { TokenDead: true } gone)
            {
                live[i].DeadSince = gone.DeadSince ?? now;
                live[i].DeadReason = gone.Reason;
                dead++;
            }
        }

        int sent = outcomes.Count(o => o is Delivered);
        if (sent > 0)
        {
            state.Updates++;
            state.LastUpdateAt = now;
            state.LastTimestamp = timestamp;
            if (high) state.HighPriorityAt.Add(now);
            if (request.End) state.EndedAt = now;
        }

        await activity.WriteStateAsync();
        return new LiveActivityResult(LiveActivityOutcome.Ok, sent > 0 ? null : "no token took the push", View())
        {
            Sent = sent,
            Failed = outcomes.Length - sent,
            DeadTokens = dead,
            Priority = high ? 10 : 5,
            Downgraded = downgraded,
            Details = outcomes.Select(o => o.Reason).ToArray(),
        };
    }

    async Task ILiveActivityGrain.Forget(string userId)
    {
        if (activity.State.UserId != userId) return;
        await activity.ClearStateAsync();
        activity.State = new LiveActivityState();
    }

    Task<LiveActivityView?> ILiveActivityGrain.Get() => Task.FromResult(activity.State.UserId is null ? null : View());

    private LiveActivityView View()
    {
        var s = activity.State;
        var now = Now;
        return new LiveActivityView(ActivityId, s.UserId!, s.EndedAt is not null, s.RegisteredAt, s.EndedAt, s.Tokens.Count(t => t.DeadSince is null),
            s.Tokens.Count(t => t.DeadSince is not null), s.Updates, s.LastUpdateAt, s.HighPriorityAt.Count(at => at > now - TimeSpan.FromHours(1)));
    }

    private static long? Unix(DateTime? at) => at is { } value ? new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)).ToUnixTimeSeconds() : null;
}
