using Orleans.Segments.Domain.Profile;

namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// Decides, for one user at one instant, whether a push may go out, and reserves it if so. Pure: the user
/// grain calls it and persists the reservation in the same turn, which is what makes caps exact under any
/// concurrency. The checks run in a fixed order, and the first that fails is the recorded reason:
/// duplicate, consent, device, the campaign's own cap, the app's caps, the minimum gap, quiet hours.
/// Transactional messages skip the marketing caps and quiet hours (but need transactional consent). Silent
/// (data-only) pushes show nothing: they need no consent and skip quiet hours, and skip the marketing caps and
/// the minimum gap unless <see cref="CapPolicy.SilentCountsAsMarketing"/> (only their own campaign cap applies).
/// </summary>
public static class SendDecider
{
    public static SendDecision Decide(UserProfileState state, SendRequest request, DateTime now, CapPolicy caps, QuietHours appQuietHours, string notificationId)
    {
        var ledger = state.Sends;
        if (ledger.Contains(request.CampaignId, request.Occurrence))
        {
            return new SendDecision(SendVerdict.Duplicate, SuppressionReason.None, "this occurrence was already sent to the user", null, null);
        }

        bool silent = request.Category == MessageCategory.Silent;
        bool marketing = request.Category == MessageCategory.Marketing;
        bool cappedAsMarketing = marketing || (silent && caps.SilentCountsAsMarketing);
        if (!silent && (marketing ? !state.Subscriptions.Marketing : !state.Subscriptions.Transactional))
        {
            return Suppress(SuppressionReason.NoConsent, marketing ? "no marketing consent" : "transactional messages withdrawn");
        }

        if (!state.Devices.Exists(d => d.IsLive)) return Suppress(SuppressionReason.NoDevice, "no live push token");

        if (request.CampaignLimit is { } campaignLimit)
        {
            int sent = request.CampaignWindow is { } w ? ledger.CountSince(now - w, request.CampaignId) : ledger.CountEver(request.CampaignId);
            if (sent >= campaignLimit)
            {
                return Suppress(SuppressionReason.Capped, request.CampaignWindow is { } window ? $"campaign cap: {campaignLimit} per {Describe(window)}"
                    : campaignLimit == 1 ? "campaign cap: once ever"
                    : $"campaign cap: {campaignLimit} ever");
            }
        }

        if (cappedAsMarketing)
        {
            foreach (var rule in caps.Marketing)
            {
                int sent = ledger.CountSince(now - rule.Window, MessageCategory.Marketing) + (caps.SilentCountsAsMarketing ? ledger.CountSince(now - rule.Window, MessageCategory.Silent) : 0);
                int allowed = request.Priority == MessagePriority.High || rule.Limit < 2 ? rule.Limit : rule.Limit - Math.Min(caps.HighPriorityReserve, rule.Limit - 1);
                if (sent >= allowed)
                {
                    return Suppress(SuppressionReason.Capped, sent >= rule.Limit
                        ? $"app cap: {rule.Limit} marketing pushes per {Describe(rule.Window)}"
                        : $"app cap: the last of {rule.Limit} per {Describe(rule.Window)} is kept for high-priority messages");
                }
            }
        }

        if (caps.MinimumGap > TimeSpan.Zero && (!silent || caps.SilentCountsAsMarketing) && ledger.LastCounted(caps.SilentCountsAsMarketing) is { } last && now - last < caps.MinimumGap)
        {
            return Suppress(SuppressionReason.Capped, $"minimum gap of {Describe(caps.MinimumGap)} between pushes");
        }

        if (marketing)
        {
            var quiet = request.QuietHours ?? appQuietHours;
            var allowedAt = quiet.NextAllowed(now, state.TimeZone);
            if (allowedAt > now)
            {
                var staleAt = (request.DueAt == default ? now : request.DueAt) + request.TimeToLive;
                if (request.DropInQuietHours) return Suppress(SuppressionReason.QuietHours, "due in quiet hours; the campaign drops such messages");
                return allowedAt > staleAt
                    ? Suppress(SuppressionReason.QuietHours, "quiet hours last longer than the message's time to live")
                    : new SendDecision(SendVerdict.Deferred, SuppressionReason.QuietHours, "held for the end of quiet hours", allowedAt, null);
            }
        }

        var reservation = new SendRecord(request.CampaignId, request.Occurrence, request.Category, now, notificationId);
        ledger.Add(reservation, now);
        return new SendDecision(SendVerdict.Send, SuppressionReason.None, "reserved", null, reservation);
    }

    private static SendDecision Suppress(SuppressionReason reason, string detail) =>
        new(SendVerdict.Suppressed, reason, detail, null, null);

    private static string Describe(TimeSpan window) =>
        window.TotalDays >= 1 && window.TotalDays % 1 == 0 ? $"{window.TotalDays:0} day(s)" : $"{window.TotalHours:0.##} hour(s)";
}
