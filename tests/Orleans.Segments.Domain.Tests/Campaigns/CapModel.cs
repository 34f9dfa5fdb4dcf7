using Orleans.Segments.Domain.Campaigns;

namespace Orleans.Segments.Domain.Tests.Campaigns;

/// <summary>
/// The reference for <see cref="SendDecider"/>: its documented checks in its documented order, written as
/// plainly as possible over a list of every push ever sent (nothing pruned, nothing indexed), so that it
/// shares no code and no shortcut with <see cref="SendLedger"/>. Quiet hours are computed in UTC only.
/// </summary>
public sealed class CapModel(CapScenario scenario)
{
    /// <summary>
    /// How long an occurrence is surely recognised as sent: the 90 days the ledger keeps. Why not forever: the
    /// ledger forgets older pushes when a later one is added, so after that it depends on what came since.
    /// </summary>
    public static readonly TimeSpan Remembered = TimeSpan.FromDays(90);

    private readonly HashSet<string> devices = [];

    public List<(string Campaign, string Occurrence, MessageCategory Category, DateTime At)> Sends { get; } = [];

    public bool MarketingConsent { get; set; } = true;

    public bool TransactionalConsent { get; set; } = true;

    public void SetDevice(string token, bool present)
    {
        if (present) devices.Add(token);
        else devices.Remove(token);
    }

    /// <summary>
    /// What may happen to <paramref name="step"/> at <paramref name="now"/>: one outcome, or two when the same
    /// occurrence went out so long ago that the ledger may have forgotten it. Nothing is recorded here; a push
    /// that goes out is recorded with <see cref="Record"/>.
    /// </summary>
    public IReadOnlyList<CapOutcome> Decide(RequestStep step, DateTime now)
    {
        var earlier = Sends.Where(s => s.Campaign == step.Campaign && s.Occurrence == step.Occurrence).ToList();
        if (earlier.Exists(s => now - s.At < Remembered)) return [CapOutcome.Duplicate];

        var fresh = DecideNew(step, now);
        return earlier.Count > 0 ? [CapOutcome.Duplicate, fresh] : [fresh];
    }

    public void Record(RequestStep step, DateTime now) => Sends.Add((step.Campaign, step.Occurrence, step.Category, now));

    private CapOutcome DecideNew(RequestStep step, DateTime now)
    {
        bool marketing = step.Category == MessageCategory.Marketing;
        if (!(marketing ? MarketingConsent : TransactionalConsent)) return CapOutcome.Suppressed(SuppressionReason.NoConsent, CapCheck.Consent);
        if (devices.Count == 0) return CapOutcome.Suppressed(SuppressionReason.NoDevice, CapCheck.Device);

        if (scenario.Campaigns[step.Campaign] is { } cap)
        {
            var ofCampaign = Sends.Where(s => s.Campaign == step.Campaign);
            int count = cap.Window is { } window ? ofCampaign.Count(s => InWindow(s.At, now, window)) : ofCampaign.Count();
            if (count >= cap.Limit) return CapOutcome.Suppressed(SuppressionReason.Capped, CapCheck.CampaignCap);
        }

        if (marketing)
        {
            foreach (var rule in scenario.Caps.Marketing)
            {
                int count = Sends.Count(s => s.Category == MessageCategory.Marketing && InWindow(s.At, now, rule.Window));
                if (count >= rule.Limit) return CapOutcome.Suppressed(SuppressionReason.Capped, CapCheck.AppCap);

                // The reserve never takes a cap's only slot.
                int reserved = step.Priority == MessagePriority.High ? 0 : Math.Min(scenario.Caps.HighPriorityReserve, rule.Limit - 1);
                if (count >= rule.Limit - reserved) return CapOutcome.Suppressed(SuppressionReason.Capped, CapCheck.HighPriorityReserve);
            }
        }

        if (Sends.Count > 0 && now - Sends.Max(s => s.At) < scenario.Caps.MinimumGap)
        {
            return CapOutcome.Suppressed(SuppressionReason.Capped, CapCheck.MinimumGap);
        }

        if (marketing && QuietUntil(now) is { } end)
        {
            var stale = now - step.Lateness + step.TimeToLive;
            return end > stale
                ? CapOutcome.Suppressed(SuppressionReason.QuietHours, CapCheck.QuietHours)
                : new CapOutcome(SendVerdict.Deferred, SuppressionReason.QuietHours, CapCheck.QuietHours, end);
        }

        return CapOutcome.Sent;
    }

    /// <summary>A rolling window ending now holds what happened after its start, up to now.</summary>
    public static bool InWindow(DateTime at, DateTime now, TimeSpan window) => at > now - window && at <= now;

    /// <summary>The next end of quiet hours if <paramref name="now"/> lies inside them (UTC), else null.</summary>
    private DateTime? QuietUntil(DateTime now)
    {
        var quiet = scenario.QuietHours;
        if (!quiet.Enabled || quiet.Start == quiet.End) return null;

        var time = now.TimeOfDay;
        var start = quiet.Start.ToTimeSpan();
        var end = quiet.End.ToTimeSpan();
        bool inside = start < end ? start <= time && time < end : time >= start || time < end;
        if (!inside) return null;

        var next = now.Date + end;
        return next > now ? next : next.AddDays(1);
    }
}
