namespace Orleans.Segments.LiveActivities;

/// <summary>
/// One Live Activity of one app (key: <c>app/activityId</c>): the user it belongs to, the push tokens iOS gave
/// it (one per device it runs on), whether it ended, and the updates sent to it.
/// </summary>
[Alias("segments.ILiveActivityGrain")]
public interface ILiveActivityGrain : IGrainWithStringKey
{
    /// <summary>Records an activity push token of <paramref name="userId"/>; refused if the activity is another user's.</summary>
    [Alias("Register")]
    Task<LiveActivityResult> Register(string userId, string token);

    /// <summary>Sends an update or the end to every live token of the activity.</summary>
    [Alias("Push")]
    Task<LiveActivityResult> Push(LiveActivityRequest request);

    /// <summary>Forgets the activity and its tokens if it is <paramref name="userId"/>'s (the user was erased).</summary>
    [Alias("Forget")]
    Task Forget(string userId);

    /// <summary>The activity, or null if no token was ever registered for it.</summary>
    [Alias("Get")]
    Task<LiveActivityView?> Get();
}

/// <summary>An update (<c>end: false</c>) or the end of an activity.</summary>
[GenerateSerializer, Immutable, Alias("segments.LiveActivityRequest")]
public sealed record LiveActivityRequest(
    [property: Id(0)] bool End,
    [property: Id(1)] string? ContentState,
    [property: Id(2)] DateTime? StaleDate,
    [property: Id(3)] DateTime? DismissalDate,
    [property: Id(4)] double? RelevanceScore,
    [property: Id(5)] string? AlertTitle,
    [property: Id(6)] string? AlertBody,
    [property: Id(7)] bool HighPriority);

public enum LiveActivityOutcome
{
    Ok,
    NotFound,
    Conflict,

    /// <summary>The push could not be sent as asked (over APNs' 4 KB); nothing was sent.</summary>
    Invalid,
}

/// <summary>What a command did: how many tokens took the push, at what priority, and the activity after it.</summary>
[GenerateSerializer, Immutable, Alias("segments.LiveActivityResult")]
public sealed record LiveActivityResult(
    [property: Id(0)] LiveActivityOutcome Outcome,
    [property: Id(1)] string? Error,
    [property: Id(2)] LiveActivityView? Activity)
{
    [Id(3)] public int Sent { get; init; }

    [Id(4)] public int Failed { get; init; }

    /// <summary>Tokens APNs said are gone; they are never used again.</summary>
    [Id(5)] public int DeadTokens { get; init; }

    /// <summary>The <c>apns-priority</c> used: 10, or 5 (asked, or when the hour's budget of 10s was spent).</summary>
    [Id(6)] public int Priority { get; init; }

    /// <summary>True when priority 10 was asked but the activity's budget for the hour was spent.</summary>
    [Id(7)] public bool Downgraded { get; init; }

    /// <summary>Each token's answer, for the caller's log.</summary>
    [Id(8)] public string[] Details { get; init; } = [];
}

[GenerateSerializer, Immutable, Alias("segments.LiveActivityView")]
public sealed record LiveActivityView(
    [property: Id(0)] string ActivityId,
    [property: Id(1)] string UserId,
    [property: Id(2)] bool Ended,
    [property: Id(3)] DateTime RegisteredAt,
    [property: Id(4)] DateTime? EndedAt,
    [property: Id(5)] int LiveTokens,
    [property: Id(6)] int DeadTokens,
    [property: Id(7)] long Updates,
    [property: Id(8)] DateTime? LastUpdateAt,
    [property: Id(9)] int HighPriorityLastHour);
