using System.IO.Hashing;
using System.Text;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Journeys;
using Orleans.Segments.Domain.Lifecycle;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Webhooks;
using Orleans.Segments.Webhooks;
using T = Orleans.Segments.Domain.Webhooks.WebhookEventTypes;

namespace Orleans.Segments.Users;

/// <summary>
/// The events this user's changes stream to the app's webhooks. They go into an outbox in the profile, in the
/// order they happen, written with the change that made them; after the call, the outbox is handed to each
/// webhook's queue shard for this user, and what a queue took leaves it. A hand-over that fails or is slow
/// (bounded by <see cref="ExportHandOverTimeout"/>) leaves the events for the next call: ingestion and sends never
/// wait longer on a receiver, or on its queue.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>How long a call waits for a webhook queue to take its events before leaving them for the next call.</summary>
    private static readonly TimeSpan ExportHandOverTimeout = TimeSpan.FromSeconds(2);

    public const string NotificationReceived = "Push Notification Received";

    /// <summary>The app's webhook routes, read at the start of each call.</summary>
    private WebhookRoutes exportRoutes = WebhookRoutes.None;

    private bool Exports(string type)
    {
        foreach (var route in exportRoutes.Routes)
        {
            if (route.Wants(type)) return true;
        }

        return false;
    }

    /// <summary>
    /// A new event of <paramref name="type"/> about this user, at <paramref name="at"/>. Its id is derived from what
    /// it is about (user, type, <paramref name="subject"/>, time), so a copy handed over twice keeps its id.
    /// </summary>
    private WebhookEvent ExportEvent(string type, string subject, DateTime at)
    {
        var key = Key;
        Span<byte> hash = stackalloc byte[16];
        XxHash128.Hash(Encoding.UTF8.GetBytes($"{key.GrainKey}\n{type}\n{subject}\n{at.Ticks}"), hash);
        return new WebhookEvent("ev_" + Convert.ToHexStringLower(hash), type, at, key.User.Id) { Anonymous = key.User.Anonymous };
    }

    private void Export(WebhookEvent e)
    {
        var pending = profile.State.PendingExports;
        foreach (var route in exportRoutes.Routes)
        {
            if (route.Wants(e.Type)) pending.Add(new PendingExport(route.WebhookId, e));
        }

        int max = options.CurrentValue.Webhooks.MaxPendingPerUser * Math.Max(1, exportRoutes.Routes.Length);
        if (pending.Count > max)
        {
            int dropped = pending.Count - max;
            pending.RemoveRange(0, dropped);
            metrics.WebhookEvents(Key.AppId, "dropped", dropped);
        }
    }

    /// <summary>A message's outcome as the log records it: sent (a provider took it), failed, or suppressed.</summary>
    private void ExportOutcome(MessageLogEntry entry)
    {
        if (entry.Test || exportRoutes.Routes.Length == 0) return;
        string? type = entry.Status switch
        {
            MessageStatus.Delivered => T.MessageSent,
            MessageStatus.Failed => T.MessageFailed,
            MessageStatus.Suppressed => T.MessageSuppressed,
            _ => null,
        };
        if (type is null || !Exports(type) || entry.CampaignId == CampaignDefinition.ReservedTransactionalId && entry.NotificationId.Length == 0) return;
        Export(WithMessage(ExportEvent(type, entry.NotificationId + "/" + entry.CampaignId + "/" + entry.Occurrence, entry.At), entry.CampaignId) with
        {
            NotificationId = entry.NotificationId.Length > 0 ? entry.NotificationId : null,
            Variant = entry.Variant,
            Language = entry.Status == MessageStatus.Delivered ? entry.Language ?? Locales.Default : null,
            Reason = entry.Status switch
            {
                MessageStatus.Failed => FailureReason(entry.Detail),
                MessageStatus.Suppressed => entry.Reason.Wire(),
                _ => null,
            },
            Detail = entry.Status == MessageStatus.Delivered ? null : entry.Detail,
        });
    }

    /// <summary>What the user did with a push they got: received (the app said so), opened, converted, opted out after it.</summary>
    private void ExportEngagement(string type, Exposure exposure, DateTime at)
    {
        if (!exposure.Pushed || !Exports(type)) return;
        Export(WithMessage(ExportEvent(type, exposure.NotificationId, at), exposure.CampaignId) with
        {
            NotificationId = exposure.NotificationId,
            Variant = exposure.Variant,
            Language = exposure.Language,
        });
    }

    /// <summary>A journey's counts, as events: entered, a step reached, left (with why), converted.</summary>
    private void ExportJourney(string statsId, string arm, ReportKind kind, string? reason)
    {
        string? type = kind switch
        {
            ReportKind.Entered => T.JourneyEntered,
            ReportKind.Reached => T.JourneyStepReached,
            ReportKind.Exited => T.JourneyExited,
            ReportKind.Converted => T.JourneyConverted,
            _ => null,
        };
        if (type is null || !Exports(type)) return;
        var parsed = JourneyStatsKeys.Parse(arm);
        string journeyId = statsId[JourneyStatsKeys.StatsId("").Length..];
        Export(ExportEvent(type, $"{statsId}/{arm}/{reason}", Now) with
        {
            JourneyId = journeyId,
            Version = parsed?.Version,
            StepId = parsed is { Step: not "*" } p ? p.Step : null,
            Reason = kind == ReportKind.Exited ? reason : null,
        });
    }

    /// <summary>The segments and geofences entered and left, and the lifecycle stages reached, by a change.</summary>
    private void ExportTransitions(ApplyResult result)
    {
        if (exportRoutes.Routes.Length == 0) return;
        foreach (var change in result.SegmentChanges)
        {
            // Why: the lifecycle's pseudo-segments are exported as lifecycle.changed, not as segments.
            if (change.Id.StartsWith("stage:", StringComparison.Ordinal)) continue;
            string type = change.Entered ? T.SegmentEntered : T.SegmentExited;
            if (Exports(type)) Export(ExportEvent(type, change.Id, change.At) with { SegmentId = change.Id });
        }

        foreach (var change in result.GeofenceChanges)
        {
            string type = change.Entered ? T.GeofenceEntered : T.GeofenceExited;
            if (Exports(type)) Export(ExportEvent(type, change.Id, change.At) with { SegmentId = change.Id });
        }

        if (!Exports(T.LifecycleChanged)) return;
        foreach (var t in result.Transitions)
        {
            Export(ExportEvent(T.LifecycleChanged, t.To.ToWire(), t.At) with { From = t.From?.ToWire(), To = t.To.ToWire() });
        }
    }

    private static WebhookEvent WithMessage(WebhookEvent e, string campaignId) => JourneyStatsKeys.IsJourney(campaignId)
        ? e with { JourneyId = campaignId[JourneyStatsKeys.StatsId("").Length..] }
        : e with { CampaignId = campaignId };

    /// <summary>Hands the outbox to the webhooks' queues; what a queue took leaves it, the rest waits for the next call.</summary>
    private async Task DeliverExports()
    {
        var pending = profile.State.PendingExports;
        var key = Key;
        int shard = WebhookQueueGrain.ShardOf(key.GrainKey);
        foreach (var group in pending.GroupBy(p => p.WebhookId).ToList())
        {
            var taken = group.ToList();
            try
            {
                await webhookHandOver.Enqueue(WebhookQueueGrain.Key(key.AppId, group.Key, shard), [.. taken.Select(p => p.Event)])
                    .WaitAsync(ExportHandOverTimeout);
                var handed = taken.ToHashSet(ReferenceEqualityComparer.Instance);
                pending.RemoveAll(handed.Contains);

                // Why: memory now differs from what is stored; the next write (or the one at deactivation) records it.
                outcomeUnsaved = true;
            }
            catch (Exception ex)
            {
                LogExportHandOverFailed(key.AppId, group.Key, ex);
            }
        }
    }
}
