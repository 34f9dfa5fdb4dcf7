using MessagePack;
using Orleans.Segments.Domain.Behaviour;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Interests;
using Orleans.Segments.Domain.Lifecycle;

namespace Orleans.Segments.Domain.Profile;

/// <summary>Everything held about one end user of one app; the user grain's persistent state.</summary>
[GenerateSerializer, Alias("segments.UserProfileState")]
[MessagePackObject]
public sealed class UserProfileState
{
    /// <summary>When the profile was first created (any call, not only events).</summary>
    [Id(0), Key(0)] public DateTime? CreatedAt { get; set; }

    [Id(1), Key(1)] public ActivityLog Activity { get; set; } = new();

    [Id(2), Key(2)] public LifecycleState Lifecycle { get; set; } = new();

    /// <summary>Behaviour counters per event name (track names; <c>Page Viewed</c>/<c>Screen Viewed</c> for pages and screens).</summary>
    [Id(3), Key(3)] public Dictionary<string, EventCounter> Counters { get; set; } = new(StringComparer.Ordinal);

    [Id(4), Key(4)] public InterestScores Interests { get; set; } = new();

    [Id(5), Key(5)] public Dictionary<string, TraitValue> Traits { get; set; } = new(StringComparer.Ordinal);

    [Id(6), Key(6)] public LastLocation? Location { get; set; }

    [Id(7), Key(7)] public string? TimeZone { get; set; }

    [Id(8), Key(8)] public DateTime? TimeZoneAt { get; set; }

    [Id(9), Key(9)] public List<PushDevice> Devices { get; set; } = [];

    [Id(10), Key(10)] public Subscriptions Subscriptions { get; set; } = new();

    [Id(11), Key(11)] public MessageIdWindow MessageIds { get; set; } = new();

    /// <summary>Anonymous ids known to belong to this user.</summary>
    [Id(12), Key(12)] public List<string> AnonymousIds { get; set; } = [];

    /// <summary>
    /// The earliest wake-up already booked for time-driven changes, if any. Never later than the next
    /// time-driven change of the profile as it stood when booked, so nothing is due before it.
    /// </summary>
    [Id(13), Key(13)] public DateTime? WakeBookedFor { get; set; }

    /// <summary>Events applied over the profile's life.</summary>
    [Id(14), Key(14)] public long EventsApplied { get; set; }

    /// <summary>Set on an anonymous profile handed over to a known user: the grain key its events go to now.</summary>
    [Id(15), Key(15)] public string? MergedInto { get; set; }

    /// <summary>The geofences the last location is inside.</summary>
    [Id(16), Key(16)] public HashSet<string> Geofences { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Recent geofence entries and exits, oldest first.</summary>
    [Id(17), Key(17)] public List<Segments.MembershipTransition> GeofenceHistory { get; set; } = [];

    /// <summary>The segments the user is in, with the time of entry.</summary>
    [Id(18), Key(18)] public Dictionary<string, DateTime> Segments { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Recent segment entries and exits, oldest first.</summary>
    [Id(19), Key(19)] public List<Segments.MembershipTransition> SegmentHistory { get; set; } = [];

    /// <summary>The version of the app's segment definitions the memberships were last evaluated with.</summary>
    [Id(20), Key(20)] public long SegmentsVersion { get; set; }

    /// <summary>The time up to which segment memberships have been evaluated.</summary>
    [Id(21), Key(21)] public DateTime SegmentsEvaluatedAt { get; set; }

    /// <summary>Where the user sits in the app's user directory (for backfills), once registered.</summary>
    [Id(22), Key(22)] public string? DirectoryPage { get; set; }

    /// <summary>The version of the app's geofences <see cref="Geofences"/> was computed with.</summary>
    [Id(23), Key(23)] public long GeofencesVersion { get; set; }

    /// <summary>
    /// The outbox: segment changes persisted with the profile and not yet confirmed by the membership index.
    /// Delivered in order after each write, and retried at the next call until the index acknowledges them.
    /// </summary>
    [Id(24), Key(24)] public List<Segments.MembershipTransition> PendingIndex { get; set; } = [];

    /// <summary>The pushes reserved for the user, which every frequency cap is checked against.</summary>
    [Id(25), Key(25)] public Campaigns.SendLedger Sends { get; set; } = new();

    /// <summary>The latest decisions about messages for this user, oldest first (at most 100).</summary>
    [Id(26), Key(26)] public List<Campaigns.MessageLogEntry> Messages { get; set; } = [];

    /// <summary>
    /// The send outbox: campaign messages triggered by a change (persisted with it), offered by a broadcast,
    /// delayed, or held by quiet hours, each decided when due.
    /// </summary>
    [Id(27), Key(27)] public List<Campaigns.PendingSend> PendingSends { get; set; } = [];

    /// <summary>Recent pushes and holdouts, to credit opens, conversions and opt-outs to their campaign and arm.</summary>
    [Id(28), Key(28)] public List<Campaigns.Exposure> Exposures { get; set; } = [];

    /// <summary>Statistics not yet acknowledged by the campaigns' statistics grains; retried at the next write.</summary>
    [Id(29), Key(29)] public List<Campaigns.CampaignReport> PendingReports { get; set; } = [];

    /// <summary>The devices the app ran on, as the SDKs described them; the most recently seen is last.</summary>
    [Id(30), Key(30)] public List<AppDevice> AppDevices { get; set; } = [];

    /// <summary>The lifecycle stage the user is counted under in the stage index (<c>stage:&lt;name&gt;</c>), once it is.</summary>
    [Id(31), Key(31)] public string? IndexedStage { get; set; }

    /// <summary>The user's journey runs: those in flight, and the latest ones that ended (for re-entry and history).</summary>
    [Id(32), Key(32)] public List<Journeys.JourneyPosition> Journeys { get; set; } = [];

    /// <summary>The ids of the Live Activities whose tokens were registered for this user (erased with them), newest last.</summary>
    [Id(33), Key(33)] public List<string> LiveActivities { get; set; } = [];

    /// <summary>Events for the app's webhooks not yet taken by their queues, oldest first (an outbox, written with the change that made them).</summary>
    [Id(34), Key(34)] public List<Webhooks.PendingExport> PendingExports { get; set; } = [];

    [IgnoreMember]
    public bool Exists => CreatedAt is not null;

    /// <summary>
    /// Points the keys of the counters, traits and interests at the process's one copy of each name
    /// (<see cref="NamePool"/>); called when the state is read from storage.
    /// </summary>
    public void PoolNames()
    {
        Counters = NamePool.Keys(Counters);
        Traits = NamePool.Keys(Traits);
        Interests.Scores = NamePool.Keys(Interests.Scores);
        List<(string Key, TraitValue Value)>? pooled = null;
        foreach (var (key, value) in Traits)
        {
            if (NamePool.Value(value) is { } text) (pooled ??= []).Add((key, text));
        }

        foreach (var (key, value) in pooled ?? []) Traits[key] = value;
        PoolMessages();
    }

    /// <summary>
    /// The message log and the send ledger repeat campaign ids, occurrences, variants and details across users, and
    /// each push's notification id in both; after a read from storage each of them is its own copy.
    /// </summary>
    private void PoolMessages()
    {
        Dictionary<string, string>? ids = Messages.Count == 0 ? null : new(Messages.Count, StringComparer.Ordinal);
        for (int i = 0; i < Messages.Count; i++)
        {
            var m = Messages[i];
            ids!.TryAdd(m.NotificationId, m.NotificationId);
            var pooled = m with
            {
                CampaignId = NamePool.Intern(m.CampaignId),
                Occurrence = NamePool.Intern(m.Occurrence),
                Detail = NamePool.Intern(m.Detail),
                Variant = m.Variant is null ? null : NamePool.Intern(m.Variant),
            };
            if (!ReferenceEquals(pooled.CampaignId, m.CampaignId) || !ReferenceEquals(pooled.Occurrence, m.Occurrence)
                || !ReferenceEquals(pooled.Detail, m.Detail) || !ReferenceEquals(pooled.Variant, m.Variant))
            {
                Messages[i] = pooled;
            }
        }

        var sent = Sends.Sent;
        for (int i = 0; i < sent.Count; i++)
        {
            var r = sent[i];
            string id = ids is not null && ids.TryGetValue(r.NotificationId, out var shared) ? shared : r.NotificationId;
            var pooled = r with { CampaignId = NamePool.Intern(r.CampaignId), Occurrence = NamePool.Intern(r.Occurrence), NotificationId = id };
            if (!ReferenceEquals(pooled.CampaignId, r.CampaignId) || !ReferenceEquals(pooled.Occurrence, r.Occurrence) || !ReferenceEquals(id, r.NotificationId))
            {
                sent[i] = pooled;
            }
        }

        Sends.ReceivedEver = NamePool.Keys(Sends.ReceivedEver);
    }
}
