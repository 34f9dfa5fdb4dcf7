using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Users;

/// <summary>
/// What follows a turn's changes: the campaigns they trigger, and the opens, conversions and opt-outs they
/// credit; and the statistics outbox that carries every count to the campaigns' statistics grains.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>Adds the triggered sends of this turn's changes to the outbox; true if any is due now.</summary>
    private async Task<bool> CollectTriggers(ApplyResult result, DateTime now)
    {
        var key = Key;
        if (key.User.Anonymous) return false;
        var campaigns = await Campaigns();
        if (!campaigns.HasTriggers) return false;
        var state = profile.State;
        var fired = campaigns.Triggered(state, now, Policy, new TriggerCauses(result.AppliedEvents, result.SegmentChanges, result.Transitions, result.GeofenceChanges));
        fired.RemoveAll(p => Decided(p.CampaignId, p.Occurrence) is not null);
        state.PendingSends.AddRange(fired);
        return fired.Exists(p => p.DueAt <= now);
    }

    /// <summary>Credits opens (tapped pushes) and conversions among the applied events to their exposures.</summary>
    private void RecordEngagement(IReadOnlyList<UserEvent> applied)
    {
        var exposures = profile.State.Exposures;
        if (exposures.Count == 0 || applied.Count == 0) return;
        foreach (var e in applied)
        {
            if (e.Kind != EventKind.Track) continue;
            if (e.Name == NotificationTapped && e.NotificationId is { } id && exposures.Find(x => x.NotificationId == id && x.Pushed) is { Opened: false } opened)
            {
                opened.Opened = true;
                Report(opened.CampaignId, opened.Variant, ReportKind.Opened, opened.Language ?? Locales.Default);
                ExportEngagement(Domain.Webhooks.WebhookEventTypes.MessageOpened, opened, e.Timestamp);
            }

            if (e.Name == NotificationReceived && e.NotificationId is { } receivedId && exposures.Find(x => x.NotificationId == receivedId && x.Pushed) is { } received)
            {
                ExportEngagement(Domain.Webhooks.WebhookEventTypes.MessageDelivered, received, e.Timestamp);
            }

            foreach (var exposure in exposures)
            {
                if (!exposure.Converted && exposure.ConversionEvent == e.Name && e.Timestamp >= exposure.At && e.Timestamp <= exposure.ConversionUntil)
                {
                    exposure.Converted = true;
                    Report(exposure.CampaignId, exposure.Variant, ReportKind.Converted, exposure.Pushed ? exposure.Language ?? Locales.Default : null);
                    ExportEngagement(Domain.Webhooks.WebhookEventTypes.MessageConverted, exposure, e.Timestamp);
                }
            }
        }
    }

    /// <summary>Marketing consent was withdrawn: the latest marketing push within the opt-out window is credited with it.</summary>
    private void RecordOptOut(DateTime now)
    {
        var window = Policy.Campaigns.OptOutWindow;
        var exposure = profile.State.Exposures.FindLast(x => x.Pushed && x.Category == MessageCategory.Marketing && x.At >= now - window && x.At <= now);
        if (exposure is null || exposure.OptedOut) return;
        exposure.OptedOut = true;
        Report(exposure.CampaignId, exposure.Variant, ReportKind.OptedOut);
        ExportEngagement(Domain.Webhooks.WebhookEventTypes.MessageOptedOut, exposure, now);
    }

    private void Report(string campaignId, string variant, ReportKind kind, string? reason = null)
    {
        if (exportRoutes.Routes.Length > 0 && Domain.Journeys.JourneyStatsKeys.IsJourney(campaignId)) ExportJourney(campaignId, variant, kind, reason);
        if (countedByCaller is { } counted && counted.CampaignId == campaignId && kind is not (ReportKind.Opened or ReportKind.Converted or ReportKind.OptedOut)) return;
        profile.State.PendingReports.Add(new CampaignReport(campaignId, variant, kind, reason) { At = Now });
    }

    /// <summary>
    /// Hands the statistics outbox to the campaigns' statistics grains, before the write that records the
    /// decisions: a report is never lost (a failed hand-over stays in the outbox and is persisted with it).
    /// </summary>
    private async Task DeliverReports()
    {
        var reports = profile.State.PendingReports;
        if (reports.Count == 0) return;
        var key = Key;
        int shard = CampaignStatsGrain.ShardOf(key.User.Id);
        foreach (var group in reports.GroupBy(r => r.CampaignId).ToList())
        {
            try
            {
                var batch = group.ToArray();
                await GrainFactory.GetGrain<ICampaignStatsGrain>(CampaignStatsGrain.Key(key.AppId, group.Key, shard)).Report(batch);
                reports.RemoveAll(r => r.CampaignId == group.Key);
                deliveredSinceWrite.AddRange(batch);
            }
            catch (Exception ex)
            {
                LogReportDeliveryFailed(key.AppId, ex);
            }
        }
    }

    /// <summary>
    /// Statistics handed over since the last successful write. If that write fails, the stored outbox read back
    /// still lists them; they are taken out again so that they are not counted twice.
    /// </summary>
    private readonly List<CampaignReport> deliveredSinceWrite = [];

    /// <summary>Pushes whose outcome was counted in this activation: recovering them must not count them again.</summary>
    private readonly HashSet<string> outcomesCounted = new(StringComparer.Ordinal);

    private void ForgetDeliveredReports()
    {
        var pending = profile.State.PendingReports;
        foreach (var report in deliveredSinceWrite)
        {
            // Why: memory now differs from what is stored; the next write (or the one at deactivation) fixes that.
            if (pending.Remove(report)) outcomeUnsaved = true;
        }

        deliveredSinceWrite.Clear();
    }
}
