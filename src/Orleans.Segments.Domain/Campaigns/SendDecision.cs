namespace Orleans.Segments.Domain.Campaigns;

public enum SendVerdict : byte
{
    /// <summary>Reserved: the push may go out now.</summary>
    Send = 0,
    /// <summary>This occurrence was already reserved for the user; nothing new happens.</summary>
    Duplicate = 1,
    /// <summary>Quiet hours: due again at <see cref="SendDecision.DeferUntil"/>.</summary>
    Deferred = 2,
    /// <summary>Not sent; <see cref="SendDecision.Reason"/> says why.</summary>
    Suppressed = 3,
}

public enum SuppressionReason : byte
{
    None = 0,
    Capped = 1,
    QuietHours = 2,
    NoConsent = 3,
    NoDevice = 4,
    Holdout = 5,
    /// <summary>The user left the campaign's audience before the message was due.</summary>
    NotInAudience = 6,
    /// <summary>The campaign was cancelled (or stayed paused past the message's time to live) before it was due.</summary>
    CampaignStopped = 7,
    /// <summary>A local-time broadcast's time had passed for the user and the campaign skips such users.</summary>
    MissedLocalTime = 8,
    /// <summary>The message's time to live passed before it could be sent (a late wake-up, a long pause).</summary>
    Expired = 9,
    /// <summary>APNs/FCM refused the push for the moment (busy, unavailable); it waits in the outbox to be tried again. Only on deferrals.</summary>
    ProviderUnavailable = 10,
    /// <summary>The message's template could not be rendered for the user (a rendering limit, the app's rendering budget).</summary>
    TemplateError = 11,
    /// <summary>The user is in the app's global control group, which receives no marketing push.</summary>
    ControlGroup = 12,
}

/// <summary>The names reasons have in the API and in statistics.</summary>
public static class SuppressionReasons
{
    public static string Wire(this SuppressionReason reason) => reason switch
    {
        SuppressionReason.Capped => "capped",
        SuppressionReason.QuietHours => "quiet_hours",
        SuppressionReason.NoConsent => "no_consent",
        SuppressionReason.NoDevice => "no_device",
        SuppressionReason.Holdout => "holdout",
        SuppressionReason.NotInAudience => "not_in_audience",
        SuppressionReason.CampaignStopped => "campaign_stopped",
        SuppressionReason.MissedLocalTime => "missed_local_time",
        SuppressionReason.Expired => "expired",
        SuppressionReason.ProviderUnavailable => "provider_unavailable",
        SuppressionReason.TemplateError => "template_error",
        SuppressionReason.ControlGroup => "control_group",
        _ => "none",
    };
}

/// <summary>What the user's grain decided about a <see cref="SendRequest"/>, and why.</summary>
[GenerateSerializer, Immutable, Alias("segments.SendDecision")]
public sealed record SendDecision(
    [property: Id(0)] SendVerdict Verdict,
    [property: Id(1)] SuppressionReason Reason,
    [property: Id(2)] string Detail,
    [property: Id(3)] DateTime? DeferUntil,
    [property: Id(4)] SendRecord? Reservation);
