using Orleans.Segments.Campaigns;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Users;

/// <summary>
/// Campaign messages: triggers fire from the changes a turn makes and join the send outbox persisted with
/// them; broadcasts offer occurrences into the same outbox; each entry is decided when due (delays, quiet
/// hours) with the same one-turn check-reserve-persist as every send. Opens, conversions and opt-outs are
/// credited to the exposure that caused them. Statistics leave through their own outbox.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>The event a mobile SDK sends when a push is opened (Segment's mobile spec).</summary>
    public const string NotificationTapped = "Push Notification Tapped";

    /// <summary>How long a held message of a paused campaign waits before it is looked at again.</summary>
    private static readonly TimeSpan PausedRecheck = TimeSpan.FromMinutes(15);

    /// <summary>A broadcast offer whose local time passed less than this ago still counts as on time.</summary>
    private static readonly TimeSpan LocalTimeGrace = TimeSpan.FromMinutes(1);

    async Task<MessageResult?> IUserGrain.Offer(CampaignOffer offer)
    {
        var state = profile.State;
        if (!state.Exists || state.MergedInto is not null) return null;
        RecoverInterruptedSends();
        var key = Key;
        string notificationId = NotificationIds.For(key, offer.CampaignId, offer.Occurrence);
        if (Decided(offer.CampaignId, offer.Occurrence) is { } earlier)
        {
            return new MessageResult(notificationId, earlier.Status, earlier.Reason, earlier.Detail, true, earlier.DeferredUntil) { Variant = earlier.Variant, Language = earlier.Language };
        }

        if (state.PendingSends.Find(p => p.CampaignId == offer.CampaignId && p.Occurrence == offer.Occurrence) is { } held)
        {
            // Why: a held message was decided once (deferred) and that decision is the answer; one not due yet has none.
            return held.Targeted ? LastResult(notificationId) : null;
        }

        var now = Now;
        var campaigns = await campaignCache.GetAsync(key.AppId, offer.RegistryVersion);
        if (campaigns.Find(offer.CampaignId) is not { } campaign) return null;

        // Why: an inline-rule broadcast walks every user; those outside the rule are not targeted at all.
        if (!campaign.InAudience(state, now, Policy)) return null;

        var due = offer.DueAt;
        if (offer.LocalWallClock is { } wall)
        {
            string zone = state.TimeZone ?? Policy.QuietHours.DefaultTimeZone;
            due = CampaignSchedule.InZone(wall, zone);
            if (due < now - LocalTimeGrace)
            {
                switch (offer.MissedLocalTime)
                {
                    case MissedLocalTime.NextDay: due = CampaignSchedule.InZone(Domain.Calendar.Add(wall, TimeSpan.FromDays(1)), zone); break;
                    case MissedLocalTime.SendNow: due = now; break;
                    default:
                        var variant = Arm(campaign.Definition, key);
                        var missed = new PendingSend(offer.CampaignId, offer.Occurrence, due, due);
                        countedByCaller = missed;
                        try
                        {
                            Conclude(missed, variant, notificationId, SuppressionReason.MissedLocalTime,
                                $"the local send time {wall:yyyy-MM-dd HH:mm} had passed in {zone}; the campaign skips such users", now);
                        }
                        finally
                        {
                            countedByCaller = null;
                        }

                        await Persist();
                        return LastResult(notificationId);
                }
            }
        }

        var pending = new PendingSend(offer.CampaignId, offer.Occurrence, due, due);
        state.PendingSends.Add(pending);
        if (due > now)
        {
            await BookWakeup(now, await Environment());
            await Persist();
            return null;
        }

        await ProcessDueSends(countedByCaller: pending);
        return LastResult(notificationId);
    }

    /// <summary>
    /// The outbox entry being decided for a broadcast offer: its first decision is counted by the broadcast,
    /// with its cursor, so the user grain does not report it (later outcomes of a held message it does report).
    /// </summary>
    private PendingSend? countedByCaller;

    /// <summary>A change persisted only at the next write or at deactivation: the outcome of a push already handed over.</summary>
    private bool outcomeUnsaved;

    /// <summary>True while an import commits: it triggers no campaign or journey.</summary>
    private bool importing;

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (outcomeUnsaved && profile.State.Exists)
        {
            try
            {
                await Persist();
            }
            catch (Exception)
            {
                // Why: the push was handed over once and is never handed over again; after a restart its log entry
                // says the outcome was not recorded, which is the truth.
            }
        }
    }

    Task IUserGrain.DeliverPending() => ProcessDueSends();

    /// <summary>Decides every outbox entry that is due, earliest first.</summary>
    private async Task ProcessDueSends(PendingSend? countedByCaller = null)
    {
        var state = profile.State;
        if (state.PendingSends.Count == 0 || !state.Exists || state.MergedInto is not null) return;
        RecoverInterruptedSends();
        var campaigns = await Campaigns();
        bool changed = false;
        for (int guard = 0; guard < 100; guard++)
        {
            var now = Now;
            PendingSend? due = null;
            foreach (var p in state.PendingSends)
            {
                if (p.DueAt <= now && (due is null || p.DueAt < due.DueAt)) due = p;
            }

            if (due is null) break;
            this.countedByCaller = ReferenceEquals(due, countedByCaller) ? due : null;
            try
            {
                await Decide(due, campaigns, now);
            }
            finally
            {
                this.countedByCaller = null;
            }

            changed = true;
        }

        // Why: what is still held needs a wake-up at its time; the decisions above persisted everything else.
        if (changed && state.PendingSends.Count > 0)
        {
            var now = Now;
            var booked = state.WakeBookedFor;
            await BookWakeup(now, await Environment());
            if (state.WakeBookedFor != booked) await Persist();
        }
    }

    /// <summary>One outbox entry: the campaign's state, the audience, the arm, then the send decision.</summary>
    private async Task Decide(PendingSend pending, CampaignSet campaigns, DateTime now)
    {
        var state = profile.State;
        var key = Key;
        state.PendingSends.Remove(pending);
        if (pending.Message is not null)
        {
            if (Domain.Journeys.JourneyStatsKeys.IsJourney(pending.CampaignId)) await DecideJourneyMessage(pending, now);
            else await SendStandalone(pending, now);
            return;
        }

        string notificationId = NotificationIds.For(key, pending.CampaignId, pending.Occurrence);
        var campaign = campaigns.Find(pending.CampaignId);

        // Why: this silo's copy may predate the campaign (the outbox entry came from another silo's copy).
        if (campaign is null) campaign = (await campaignCache.RefreshAsync(key.AppId)).Find(pending.CampaignId);
        if (campaign is null)
        {
            await Settle(pending, pending.Variant, notificationId, SuppressionReason.CampaignStopped, "the campaign was cancelled before the message was due", now);
            return;
        }

        var definition = campaign.Definition;
        var staleAt = pending.FirstDueAt + definition.TimeToLive;
        if (now > staleAt)
        {
            await Settle(pending, pending.Variant, notificationId, SuppressionReason.Expired, $"its time to live ({definition.TimeToLive}) passed before it could be sent", now);
            return;
        }

        if (campaign.Status == CampaignStatus.Paused)
        {
            if (now < staleAt)
            {
                state.PendingSends.Add(pending with { DueAt = now + PausedRecheck < staleAt ? now + PausedRecheck : staleAt });
                await Persist();
            }
            else
            {
                await Settle(pending, pending.Variant, notificationId, SuppressionReason.CampaignStopped, "the campaign stayed paused past the message's time to live", now);
            }

            return;
        }

        if (!campaign.InAudience(state, now, Policy))
        {
            await Settle(pending, pending.Variant, notificationId, SuppressionReason.NotInAudience, "the user left the campaign's audience before the message was due", now);
            return;
        }

        // Why: the app's global control group receives no marketing push from any campaign; it is exposed in the
        // campaign's "control" arm so that its conversions are counted beside the treated users'.
        double control = Policy.Campaigns.ControlGroupPercent;
        if (definition.Category == MessageCategory.Marketing && VariantAssigner.InControlGroup(key.AppId, key.User.Id, control))
        {
            Expose(definition, VariantAssigner.Control, notificationId, now, pushed: false);
            await Settle(pending, VariantAssigner.Control, notificationId, SuppressionReason.ControlGroup, $"in the app's global control group ({control:0.##} % of users receive no marketing push)", now);
            return;
        }

        string variant = pending.Variant ?? Arm(definition, key);
        if (variant == VariantAssigner.Holdout)
        {
            Expose(definition, variant, notificationId, now, pushed: false);
            await Settle(pending, variant, notificationId, SuppressionReason.Holdout, "in the campaign's holdout group", now);
            return;
        }

        await RenderAndSend(pending, variant, definition.RequestFor(pending.Occurrence, pending.FirstDueAt), definition.MessageFor(variant), notificationId, staleAt, now,
            new MessageExposure(definition.Category, definition.ConversionEvent, definition.ConversionWindow));
    }

    /// <summary>What a message's exposure credits: its category (for opt-outs) and the conversion it waits for.</summary>
    private readonly record struct MessageExposure(MessageCategory Category, string? ConversionEvent, TimeSpan ConversionWindow);

    /// <summary>
    /// The end of every outbox message's decision (a campaign's or a journey step's): the message rendered for this
    /// user (a journey's with its entering <paramref name="journey"/> properties), then consent, device, caps and
    /// quiet hours, which hold it, drop it, or let it be handed over once.
    /// </summary>
    private async Task RenderAndSend(PendingSend pending, string variant, SendRequest request, CampaignMessage message, string notificationId, DateTime staleAt, DateTime now,
        MessageExposure exposure, IReadOnlyDictionary<string, string>? journey = null)
    {
        var state = profile.State;
        if (!TryRender(message, Key, state, out var rendered, out string? renderError, journey))
        {
            await Settle(pending, variant, notificationId, SuppressionReason.TemplateError, $"the message could not be rendered for this user: {renderError}", now);
            return;
        }

        var decision = SendDecider.Decide(state, request, now, Policy.Caps, Policy.QuietHours, notificationId);
        switch (decision.Verdict)
        {
            case SendVerdict.Duplicate:
                await Persist();
                return;
            case SendVerdict.Deferred:
                await Hold(pending, variant, notificationId, decision, now);
                return;
            case SendVerdict.Suppressed:
                await Settle(pending, variant, notificationId, decision.Reason, decision.Detail, now);
                return;
        }

        if (!pending.Targeted) Report(pending.CampaignId, variant, ReportKind.Targeted);
        Expose(pending.CampaignId, variant, notificationId, now, pushed: true, exposure.Category, exposure.ConversionEvent, exposure.ConversionWindow, rendered.LanguageOrNull);
        await HandOver(pending, variant, request, message, rendered, notificationId, staleAt, now);
    }

    /// <summary>
    /// A message held (quiet hours, or a pause between pushes): back in the outbox until the time the decision
    /// names, with the arm it was given, counted as targeted once, and logged as deferred.
    /// </summary>
    private async Task Hold(PendingSend pending, string variant, string notificationId, SendDecision decision, DateTime now)
    {
        if (!pending.Targeted) Report(pending.CampaignId, variant, ReportKind.Targeted);
        profile.State.PendingSends.Add(pending with { DueAt = decision.DeferUntil!.Value, Targeted = true, Variant = variant });
        Log(new MessageLogEntry(notificationId, pending.CampaignId, pending.Occurrence, MessageStatus.Deferred, decision.Reason, decision.Detail, now)
        {
            Variant = variant,
            DeferredUntil = decision.DeferUntil,
        });
        metrics.Send(Key.AppId, "deferred");
        await BookWakeup(now, await Environment());
        await DeliverReports();
        await Persist();
    }

    /// <summary>
    /// A message decided to be sent: logged as "sending" and persisted (its reservation with it), then handed to
    /// APNs/FCM once, and its outcome recorded and counted (or, if every provider refused it for the moment, back
    /// to the outbox for a retry).
    /// </summary>
    private async Task HandOver(PendingSend pending, string variant, SendRequest request, CampaignMessage message, RenderedMessage rendered, string notificationId, DateTime staleAt, DateTime now)
    {
        var state = profile.State;
        var key = Key;
        var entry = new MessageLogEntry(notificationId, pending.CampaignId, pending.Occurrence, MessageStatus.Sending, SuppressionReason.None, "handing to APNs/FCM", now)
        {
            Variant = variant,
            CountedByCaller = countedByCaller is not null,
            Language = rendered.LanguageOrNull,
        };
        Log(entry);
        await Persist();

        var (delivered, detail, deadTokens, retryableAfter) = await Deliver(key, state, request, message, rendered, notificationId);
        foreach (var (token, at) in deadTokens) ProfileUpdater.InvalidateDevice(state, token, at);
        if (retryableAfter is { } providerAsked && await TryAgainLater(pending, variant, entry, staleAt, providerAsked, detail)) return;
        Replace(entry, entry with { Status = delivered ? MessageStatus.Delivered : MessageStatus.Failed, Detail = detail, At = Now });
        Report(pending.CampaignId, variant, delivered ? ReportKind.Sent : ReportKind.Failed, delivered ? rendered.Language : FailureReason(detail));
        outcomesCounted.Add(notificationId);
        metrics.Send(key.AppId, delivered ? "delivered" : "failed");
        if (deadTokens.Count > 0)
        {
            await Refresh(Now);
            return;
        }

        if (countedByCaller is null)
        {
            await DeliverReports();
            await Persist();
            return;
        }

        // Why: in a broadcast, the reservation and "handed over" are durable and the broadcast counts the answer
        // with its cursor; the outcome rides on the user's next write (or the one at deactivation), which spares
        // a write per push. A crash before it leaves "handed over, answer not recorded".
        outcomeUnsaved = true;
    }

    /// <summary>
    /// A push every provider refused for the moment, without it reaching them, goes back to the outbox to be
    /// decided again (caps, quiet hours and all) after a backoff, if the app allows another retry and the
    /// message is still fresh then; its reservation and exposure are given back, since nobody received it.
    /// False when it stays failed.
    /// </summary>
    private async Task<bool> TryAgainLater(PendingSend pending, string? variant, MessageLogEntry entry, DateTime staleAt, TimeSpan providerAsked, string detail)
    {
        var policy = Policy.Campaigns;
        int retry = pending.ProviderRetries + 1;
        var now = Now;
        var at = now + policy.ProviderRetryAfter(retry, providerAsked > TimeSpan.Zero ? providerAsked : null);
        if (retry > policy.ProviderRetries || at >= staleAt) return false;

        var state = profile.State;
        state.Sends.Release(pending.CampaignId, pending.Occurrence);
        state.Exposures.RemoveAll(e => e.NotificationId == entry.NotificationId);
        state.PendingSends.Add(pending with { DueAt = at, Targeted = true, Variant = variant, ProviderRetries = retry });
        Replace(entry, entry with
        {
            Status = MessageStatus.Deferred,
            Reason = SuppressionReason.ProviderUnavailable,
            Detail = $"{detail}; tried again at {at:yyyy-MM-dd HH:mm:ss}Z (retry {retry} of {policy.ProviderRetries})",
            DeferredUntil = at,
            At = now,
        });
        metrics.Send(Key.AppId, "provider_retry");
        await BookWakeup(now, await Environment());
        await DeliverReports();
        await Persist();
        return true;
    }

    /// <summary>Records a decision that sends nothing, counts it, and persists.</summary>
    private async Task Settle(PendingSend pending, string? variant, string notificationId, SuppressionReason reason, string detail, DateTime now)
    {
        bool counted = Conclude(pending, variant, notificationId, reason, detail, now);
        if (counted) await DeliverReports();
        await Persist();
    }

    /// <summary>Logs a decision that sends nothing and adds its counts; false when it is not counted at all.</summary>
    private bool Conclude(PendingSend pending, string? variant, string notificationId, SuppressionReason reason, string detail, DateTime now)
    {
        Log(new MessageLogEntry(notificationId, pending.CampaignId, pending.Occurrence, MessageStatus.Suppressed, reason, detail, now) { Variant = variant });
        metrics.Send(Key.AppId, "suppressed_" + reason.Wire());

        // Why: a user who was never targeted (the campaign stopped, or the user left the audience, before the
        // first decision) is not a suppression in the campaign's numbers; the message log still says why.
        if (!pending.Targeted && reason is SuppressionReason.CampaignStopped or SuppressionReason.NotInAudience) return false;
        string arm = variant ?? "default";
        if (!pending.Targeted) Report(pending.CampaignId, arm, ReportKind.Targeted);
        Report(pending.CampaignId, arm, ReportKind.Suppressed, reason.Wire());
        return true;
    }

    /// <summary>The logged decision about an occurrence, if it was decided (held ones are not).</summary>
    private MessageLogEntry? Decided(string campaignId, string occurrence)
    {
        var messages = profile.State.Messages;
        for (int i = messages.Count - 1; i >= 0; i--)
        {
            var m = messages[i];
            if (m.CampaignId == campaignId && m.Occurrence == occurrence && m.Status != MessageStatus.Deferred) return m;
        }

        return profile.State.Sends.Contains(campaignId, occurrence)
            ? new MessageLogEntry("", campaignId, occurrence, MessageStatus.Delivered, SuppressionReason.None, "already sent", Now)
            : null;
    }

    private MessageResult? LastResult(string notificationId)
    {
        var entry = profile.State.Messages.FindLast(m => m.NotificationId == notificationId);
        return entry is null ? null : new MessageResult(notificationId, entry.Status, entry.Reason, entry.Detail, false, entry.DeferredUntil) { Variant = entry.Variant, Language = entry.Language };
    }

    private static string Arm(CampaignDefinition definition, UserKey key) =>
        VariantAssigner.Assign(definition.Id, key.User.Id, definition.HoldoutPercent, definition.Splits());

    private void Expose(CampaignDefinition definition, string variant, string notificationId, DateTime now, bool pushed) =>
        Expose(definition.Id, variant, notificationId, now, pushed, definition.Category, definition.ConversionEvent, definition.ConversionWindow);

    /// <summary>Remembers a message the user was exposed to, for crediting opens, conversions and opt-outs to it.</summary>
    private void Expose(string campaignId, string variant, string notificationId, DateTime now, bool pushed, MessageCategory category, string? conversionEvent, TimeSpan conversionWindow,
        string? language = null)
    {
        var exposures = profile.State.Exposures;
        exposures.Add(new Exposure
        {
            CampaignId = campaignId,
            Variant = variant,
            NotificationId = notificationId,
            At = now,
            Category = category,
            Pushed = pushed,
            ConversionEvent = conversionEvent,
            ConversionUntil = now + conversionWindow,
            Language = language,
        });
        int max = Policy.Campaigns.MaxExposures;
        if (exposures.Count > max) exposures.RemoveRange(0, exposures.Count - max);
    }


    private ValueTask<CampaignSet> Campaigns() => campaignCache.GetAsync(Key.AppId);

    /// <summary>The earliest outbox entry still ahead, no sooner than a minute from now (a safety net for due ones).</summary>
    private DateTime? NextSendDue(DateTime now)
    {
        DateTime? next = null;
        foreach (var p in profile.State.PendingSends)
        {
            var at = p.DueAt > now ? p.DueAt : now + TimeSpan.FromMinutes(1);
            if (next is null || at < next) next = at;
        }

        return next;
    }

    /// <summary>The short reason a failed push is counted under in a campaign's statistics.</summary>
    internal static string FailureReason(string detail)
    {
        int cut = detail.IndexOfAny([';', ':', '(']);
        string head = (cut > 0 ? detail[..cut] : detail).Trim();
        return head.Length is 0 or > 64 ? "provider_error" : head;
    }
}
