using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// An app's launched campaigns that are not cancelled, at one version, indexed by what triggers them, so the user grain
/// finds the campaigns an event, a segment entry, a stage change or a geofence entry fires in one lookup.
/// </summary>
public sealed class CampaignSet
{
    public static readonly CampaignSet Empty = new(0, []);

    private readonly Dictionary<string, LiveCampaign> byId;
    private readonly Dictionary<(TriggerKind, string), List<LiveCampaign>> byTrigger = [];

    public CampaignSet(long version, IEnumerable<LiveCampaign> campaigns)
    {
        Version = version;
        byId = campaigns.ToDictionary(c => c.Definition.Id, StringComparer.Ordinal);
        foreach (var campaign in byId.Values.Where(c => c.Status == CampaignStatus.Running))
        {
            var trigger = campaign.Definition.Trigger;
            string? key = trigger.Kind switch
            {
                TriggerKind.SegmentEntry => trigger.Segment,
                TriggerKind.Lifecycle => trigger.Stage,
                TriggerKind.Event => trigger.Event,
                TriggerKind.GeofenceEntry => trigger.Geofence,
                _ => null,
            };
            if (key is null) continue;
            if (!byTrigger.TryGetValue((trigger.Kind, key), out var list)) byTrigger[(trigger.Kind, key)] = list = [];
            list.Add(campaign);
        }
    }

    public long Version { get; }

    public bool HasTriggers => byTrigger.Count > 0;

    public LiveCampaign? Find(string id) => byId.GetValueOrDefault(id);

    /// <summary>
    /// The sends that a change fires: one per running campaign whose trigger matches, whose dates include now
    /// and whose audience holds the user. Each gets a deterministic occurrence, so a retried or replayed change
    /// never fires the same campaign twice for the same cause.
    /// </summary>
    public List<PendingSend> Triggered(UserProfileState state, DateTime now, UserModelPolicy policy, TriggerCauses causes)
    {
        var sends = new List<PendingSend>();
        if (byTrigger.Count == 0) return sends;
        foreach (var e in causes.Events)
        {
            if (e.Kind == Events.EventKind.Track && e.Name is { } name) Fire(TriggerKind.Event, name, $"e:{e.MessageId}", now);
        }

        foreach (var change in causes.Segments)
        {
            if (change.Entered) Fire(TriggerKind.SegmentEntry, change.Id, $"s:{change.At.Ticks}", change.At);
        }

        foreach (var transition in causes.Stages) Fire(TriggerKind.Lifecycle, transition.To.ToWire(), $"l:{transition.At.Ticks}", transition.At);
        foreach (var change in causes.Geofences)
        {
            if (change.Entered) Fire(TriggerKind.GeofenceEntry, change.Id, $"g:{change.At.Ticks}", change.At);
        }

        return sends;

        void Fire(TriggerKind kind, string key, string occurrence, DateTime at)
        {
            if (!byTrigger.TryGetValue((kind, key), out var campaigns)) return;
            foreach (var campaign in campaigns)
            {
                var definition = campaign.Definition;
                if (!definition.ActiveAt(now) || !campaign.InAudience(state, now, policy)) continue;
                if (kind == TriggerKind.GeofenceEntry && InCooldown(state, definition, now)) continue;
                if (state.PendingSends.Exists(p => p.CampaignId == definition.Id && p.Occurrence == occurrence)) continue;
                if (sends.Exists(p => p.CampaignId == definition.Id && (p.Occurrence == occurrence || kind == TriggerKind.GeofenceEntry))) continue;
                var due = at + definition.Trigger.Delay;
                if (due < now) due = now;
                sends.Add(new PendingSend(definition.Id, occurrence, due, due));
            }
        }
    }

    /// <summary>A geofence campaign fires for a user at most once per cooldown (counting held ones).</summary>
    private static bool InCooldown(UserProfileState state, CampaignDefinition definition, DateTime now)
    {
        if (state.PendingSends.Exists(p => p.CampaignId == definition.Id)) return true;
        var cooldown = definition.Trigger.Cooldown;
        return cooldown > TimeSpan.Zero && state.Sends.CountSince(now - cooldown, definition.Id) > 0;
    }
}
