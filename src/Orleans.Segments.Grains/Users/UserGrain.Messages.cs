using System.Collections.Concurrent;
using Orleans.Segments.Domain.Campaigns;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Push;

namespace Orleans.Segments.Users;

/// <summary>
/// Sending: the cap check, the reservation and its persistence are one turn of this grain, so no two
/// campaigns can push a user past a cap. A reserved message is logged as "sending" and persisted before it
/// is handed to APNs/FCM, and never handed over again: a crash in between leaves it failed, not resent.
/// </summary>
public sealed partial class UserGrain
{
    /// <summary>How many decisions the message log keeps per user.</summary>
    private const int MessageLogLength = 100;

    private static readonly ConcurrentDictionary<string, MessageTemplate?> Templates = new(StringComparer.Ordinal);

    async Task<MessageResult> IUserGrain.Send(SendRequest request, CampaignMessage message, string? variant)
    {
        var state = profile.State;
        var key = Key;
        string notificationId = NotificationIds.For(key, request.CampaignId, request.Occurrence);
        if (!state.Exists || state.MergedInto is not null)
        {
            return new MessageResult(notificationId, MessageStatus.Suppressed, SuppressionReason.NoDevice, "unknown user", false, null);
        }

        RecoverInterruptedSends();

        // Why: the same key returns the same answer, a suppression included, and sends at most once.
        if (Decided(request.CampaignId, request.Occurrence) is { Status: not MessageStatus.Deferred } decided && decided.NotificationId == notificationId)
        {
            return new MessageResult(notificationId, decided.Status, decided.Reason, decided.Detail, true, decided.DeferredUntil);
        }

        // Why: a message waiting for a provider retry is that key's answer until it is decided again.
        if (state.PendingSends.Find(p => p.CampaignId == request.CampaignId && p.Occurrence == request.Occurrence) is not null && LastResult(notificationId) is { } waiting)
        {
            return waiting with { Duplicate = true };
        }

        var now = Now;
        return await SendStandalone(new PendingSend(request.CampaignId, request.Occurrence, now, now) { Request = request, Message = message, Variant = variant }, now);
    }

    /// <summary>
    /// Decides, reserves, persists and hands over a message of no campaign (a transactional send), first or as
    /// a provider retry from the outbox: the same one-turn check-reserve-persist as every send.
    /// </summary>
    private async Task<MessageResult> SendStandalone(PendingSend pending, DateTime now)
    {
        var state = profile.State;
        var key = Key;
        var request = pending.Request!;
        var message = pending.Message!;
        string? variant = pending.Variant;
        string notificationId = NotificationIds.For(key, request.CampaignId, request.Occurrence);
        var staleAt = pending.FirstDueAt + request.TimeToLive;
        if (pending.ProviderRetries > 0 && now > staleAt)
        {
            metrics.Send(key.AppId, "suppressed_" + SuppressionReason.Expired.Wire());
            Log(new MessageLogEntry(notificationId, request.CampaignId, request.Occurrence, MessageStatus.Suppressed, SuppressionReason.Expired, $"its time to live ({request.TimeToLive}) passed while it waited for a provider retry", now) { Variant = variant });
            await Persist();
            return LastResult(notificationId)!;
        }

        if (!TryRender(message, key, state, out var rendered, out string? renderError))
        {
            string reason = $"the message could not be rendered for this user: {renderError}";
            metrics.Send(key.AppId, "suppressed_" + SuppressionReason.TemplateError.Wire());
            Log(new MessageLogEntry(notificationId, request.CampaignId, request.Occurrence, MessageStatus.Suppressed, SuppressionReason.TemplateError, reason, now) { Variant = variant });
            await Persist();
            return new MessageResult(notificationId, MessageStatus.Suppressed, SuppressionReason.TemplateError, reason, false, null);
        }

        var policy = Policy;
        var decision = SendDecider.Decide(state, request, now, policy.Caps, policy.QuietHours, notificationId);
        if (decision.Verdict == SendVerdict.Duplicate)
        {
            var earlier = state.Messages.FindLast(m => m.NotificationId == notificationId);
            return new MessageResult(notificationId, earlier?.Status ?? MessageStatus.Delivered, SuppressionReason.None, "already sent", true, null);
        }

        if (decision.Verdict != SendVerdict.Send)
        {
            var status = decision.Verdict == SendVerdict.Deferred ? MessageStatus.Deferred : MessageStatus.Suppressed;
            metrics.Send(key.AppId, status == MessageStatus.Deferred ? "deferred" : "suppressed_" + decision.Reason.Wire());
            Log(new MessageLogEntry(notificationId, request.CampaignId, request.Occurrence, status, decision.Reason, decision.Detail, now)
            {
                Variant = variant,
                DeferredUntil = decision.DeferUntil,
            });
            await Persist();
            return new MessageResult(notificationId, status, decision.Reason, decision.Detail, false, decision.DeferUntil);
        }

        var entry = new MessageLogEntry(notificationId, request.CampaignId, request.Occurrence, MessageStatus.Sending, SuppressionReason.None, "handing to APNs/FCM", now)
        {
            Variant = variant,
            Language = rendered.LanguageOrNull,
        };
        Log(entry);
        await Persist();

        var (delivered, detail, deadTokens, retryableAfter) = await Deliver(key, state, request, message, rendered, notificationId);
        foreach (var (token, at) in deadTokens) ProfileUpdater.InvalidateDevice(state, token, at);
        if (retryableAfter is { } providerAsked && await TryAgainLater(pending, variant, entry, staleAt, providerAsked, detail))
        {
            return LastResult(notificationId)!;
        }

        var final = entry with { Status = delivered ? MessageStatus.Delivered : MessageStatus.Failed, Detail = detail, At = Now };
        metrics.Send(key.AppId, delivered ? "delivered" : "failed");
        Replace(entry, final);
        if (deadTokens.Count > 0)
        {
            await Refresh(Now);
        }
        else
        {
            await Persist();
        }

        return new MessageResult(notificationId, final.Status, SuppressionReason.None, detail, false, null);
    }

    async Task<MessageResult> IUserGrain.SendTest(string campaignId, CampaignMessage message, MessageCategory category, IReadOnlyDictionary<string, string>? journey)
    {
        var state = profile.State;
        var key = Key;
        var now = Now;
        string notificationId = NotificationIds.For(key, campaignId, $"test:{now.Ticks}");
        if (!state.Exists || state.MergedInto is not null)
        {
            return new MessageResult(notificationId, MessageStatus.Suppressed, SuppressionReason.NoDevice, "unknown user", false, null);
        }

        var request = new SendRequest(campaignId, $"test:{now.Ticks}", category == MessageCategory.Silent ? MessageCategory.Silent : MessageCategory.Transactional, MessagePriority.High);
        MessageLogEntry entry;
        if (!TryRender(message, key, state, out var rendered, out string? renderError, journey))
        {
            entry = new MessageLogEntry(notificationId, campaignId, request.Occurrence, MessageStatus.Suppressed, SuppressionReason.TemplateError,
                $"test send: the message could not be rendered for this user: {renderError}", now) { Test = true };
        }
        else if (!state.Devices.Exists(d => d.IsLive))
        {
            entry = new MessageLogEntry(notificationId, campaignId, request.Occurrence, MessageStatus.Suppressed, SuppressionReason.NoDevice,
                "test send: the user has no live push token", now) { Test = true };
        }
        else
        {
            var (delivered, detail, deadTokens, _) = await Deliver(key, state, request, message, rendered, notificationId);
            foreach (var (token, at) in deadTokens) ProfileUpdater.InvalidateDevice(state, token, at);
            entry = new MessageLogEntry(notificationId, campaignId, request.Occurrence, delivered ? MessageStatus.Delivered : MessageStatus.Failed, SuppressionReason.None,
                $"test send: {detail}", Now) { Test = true, Language = rendered.LanguageOrNull };
        }

        // Why: a test is not a campaign's decision: no reservation, no statistics; it is logged so that whoever
        // looks at the user's messages sees it was a test.
        Log(entry);
        await Persist();
        return new MessageResult(notificationId, entry.Status, entry.Reason, entry.Detail, false, null) { Language = entry.Language };
    }

    async Task<MessageLogEntry[]> IUserGrain.GetMessages()
    {
        RecoverInterruptedSends();

        // Why: a message due by now is decided before the log is shown, so the log is the state at this moment.
        await ProcessDueSends();

        // Why: counts found on recovery (an interrupted hand-over) leave now, and the write records that they left.
        if (profile.State.PendingReports.Count > 0 && profile.State.Exists)
        {
            await DeliverReports();
            await Persist();
        }

        return Enumerable.Reverse(profile.State.Messages).ToArray();
    }

    /// <summary>
    /// Hands the rendered message to every live device; returns whether any provider accepted it, and, when
    /// every device's provider refused it for the moment without it reaching them, when it may be tried again.
    /// </summary>
    private async Task<(bool Delivered, string Detail, List<(string Token, DateTime At)> Dead, TimeSpan? RetryableAfter)> Deliver(
        UserKey key, UserProfileState state, SendRequest request, CampaignMessage message, RenderedMessage rendered, string notificationId)
    {
        var push = PushMessages.For(message, rendered, request, notificationId);

        var sender = this.push.For(key.AppId);
        var devices = state.Devices.Where(d => d.IsLive).Select(d => new DeviceToken(d.Token, d.Platform)).ToList();
        var outcomes = await Task.WhenAll(devices.Select(d => sender.SendAsync(push, d)));
        var dead = new List<(string, DateTime)>();
        for (int i = 0; i < devices.Count; i++)
        {
            if (outcomes[i] is PermanentFailure { TokenDead: true } failure) dead.Add((devices[i].Token, failure.DeadSince ?? Now));
        }

        bool delivered = outcomes.Any(o => o is Delivered);
        string detail = delivered
            ? $"accepted for {outcomes.Count(o => o is Delivered)} of {devices.Count} device(s)"
            : string.Join("; ", outcomes.Select(o => o.Reason).Distinct());
        TimeSpan? retryable = null;
        if (!delivered && outcomes.Length > 0 && outcomes.All(o => o is TransientFailure { MayHaveReached: false }))
        {
            retryable = outcomes.Max(o => ((TransientFailure)o).RetryAfter ?? TimeSpan.Zero);
        }

        return (delivered, detail, dead, retryable);
    }

    async Task<MessagePreview> IUserGrain.Preview(SendRequest request, CampaignMessage message)
    {
        var state = profile.State;
        var key = Key;
        string notificationId = NotificationIds.For(key, request.CampaignId, request.Occurrence);
        if (!state.Exists || state.MergedInto is not null) return new MessagePreview(null, notificationId, "unknown user", []);
        var devices = state.Devices.Where(d => d.IsLive).Select(d => new DeviceToken(d.Token, d.Platform)).ToArray();
        return TryRender(message, key, state, out var rendered, out string? error)
            ? new MessagePreview(rendered, notificationId, null, devices)
            : new MessagePreview(null, notificationId, error, devices);
    }

    /// <summary>
    /// The message's title, subtitle and body rendered for this user within the template limits and the app's
    /// rendering budget; false with the reason (recorded as <c>template_error</c>) when one cannot be.
    /// </summary>
    private bool TryRender(CampaignMessage message, UserKey key, UserProfileState state, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RenderedMessage? rendered, out string? error,
        IReadOnlyDictionary<string, string>? journey = null)
    {
        rendered = null;
        string? subtitle = null;
        string language = Locales.Default;
        if (message.Translations is { Count: > 0 }) (message, language) = message.For(Locales.Of(state));
        if (!TryRenderField("title", message.Title, key, state, out string title, out error, journey)) return false;
        if (message.Subtitle is not null && !TryRenderField("subtitle", message.Subtitle, key, state, out subtitle, out error, journey)) return false;
        if (!TryRenderField("body", message.Body, key, state, out string body, out error, journey)) return false;
        rendered = new RenderedMessage(title, subtitle, body) { Language = language };
        return true;
    }

    private bool TryRenderField(string field, string text, UserKey key, UserProfileState state, out string result, out string? error,
        IReadOnlyDictionary<string, string>? journey)
    {
        error = null;
        if (!Templates.TryGetValue(text, out var template))
        {
            // Why: ConcurrentDictionary.Count takes every lock, so it is only asked when a template is added.
            if (Templates.Count > 10_000) Templates.Clear();
            template = Templates.GetOrAdd(text, static t => MessageTemplate.TryParse(t, out var parsed, out _) ? parsed : null);
        }

        if (template is null)
        {
            MessageTemplate.TryParse(text, out _, out string? parseError);
            result = "";
            error = $"{field}: {parseError}";
            return false;
        }

        if (template.IsLiteral)
        {
            result = text;
            return true;
        }

        if (!templateBudget.MayRender(key.AppId))
        {
            result = "";
            error = $"{field}: the app has used its share of template rendering time on this silo (Segments:Templates:AppBudgetPerSecond); try again shortly.";
            return false;
        }

        long started = Orleans.Segments.Campaigns.TemplateBudget.Timestamp();
        bool ok = template.TryRender(key.User.Id, state, options.CurrentValue.Templates, time, out result, out string? renderError, journey);
        templateBudget.Charge(key.AppId, Orleans.Segments.Campaigns.TemplateBudget.Since(started));
        if (!ok) error = $"{field}: {renderError}";
        return ok;
    }


    /// <summary>A message still "sending" when this activation began was interrupted; it is never resent.</summary>
    private void RecoverInterruptedSends()
    {
        if (recovered) return;
        recovered = true;
        var messages = profile.State.Messages;
        for (int i = 0; i < messages.Count; i++)
        {
            if (messages[i].Status == MessageStatus.Sending)
            {
                var m = messages[i];
                outcomeUnsaved = true;
                messages[i] = m with { Status = MessageStatus.HandedOver, Detail = "handed to APNs/FCM; their answer was not recorded (the process stopped); not resent (at most once)" };

                // Why: the campaign counted it targeted; without this it would stay pending in its statistics.
                if (!m.CountedByCaller && m.CampaignId != CampaignDefinition.ReservedTransactionalId && !outcomesCounted.Contains(m.NotificationId))
                {
                    Report(m.CampaignId, m.Variant ?? "default", ReportKind.Sent, m.Language ?? Locales.Default);
                }
            }
        }
    }

    private bool recovered;

    private void Log(MessageLogEntry entry)
    {
        var messages = profile.State.Messages;
        messages.Add(entry);
        if (messages.Count > MessageLogLength) messages.RemoveRange(0, messages.Count - MessageLogLength);
        ExportOutcome(entry);
    }

    private void Replace(MessageLogEntry entry, MessageLogEntry with)
    {
        var messages = profile.State.Messages;
        int index = messages.LastIndexOf(entry);
        if (index < 0)
        {
            Log(with);
            return;
        }

        messages[index] = with;
        if (with.Status != entry.Status) ExportOutcome(with);
    }
}
