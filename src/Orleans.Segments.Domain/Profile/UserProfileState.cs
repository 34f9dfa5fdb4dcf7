using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Interests;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Profile;

/// <summary>Everything held about one end user of one app; the user grain's persistent state.</summary>
[GenerateSerializer, Alias("segments.UserProfileState")]
public sealed class UserProfileState
{
    /// <summary>When the profile was first created (any call, not only events).</summary>
    [Id(0)] public DateTime? CreatedAt { get; set; }

    [Id(1)] public ActivityLog Activity { get; set; } = new();

    [Id(2)] public LifecycleState Lifecycle { get; set; } = new();

    /// <summary>Behaviour counters per event name (track names; <c>Page Viewed</c>/<c>Screen Viewed</c> for pages and screens).</summary>
    [Id(3)] public Dictionary<string, EventCounter> Counters { get; set; } = new(StringComparer.Ordinal);

    [Id(4)] public InterestScores Interests { get; set; } = new();

    [Id(5)] public Dictionary<string, TraitValue> Traits { get; set; } = new(StringComparer.Ordinal);

    [Id(6)] public LastLocation? Location { get; set; }

    [Id(7)] public string? TimeZone { get; set; }

    [Id(8)] public DateTime? TimeZoneAt { get; set; }

    [Id(9)] public List<PushDevice> Devices { get; set; } = [];

    [Id(10)] public Subscriptions Subscriptions { get; set; } = new();

    [Id(11)] public MessageIdWindow MessageIds { get; set; } = new();

    /// <summary>Anonymous ids known to belong to this user.</summary>
    [Id(12)] public List<string> AnonymousIds { get; set; } = [];

    /// <summary>The earliest wake-up already booked for time-driven changes, if any.</summary>
    [Id(13)] public DateTime? WakeBookedFor { get; set; }

    /// <summary>Events applied over the profile's life.</summary>
    [Id(14)] public long EventsApplied { get; set; }

    /// <summary>Set on an anonymous profile handed over to a known user: the grain key its events go to now.</summary>
    [Id(15)] public string? MergedInto { get; set; }

    public bool Exists => CreatedAt is not null;
}
