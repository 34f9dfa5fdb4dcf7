using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>
/// A campaign's definition: the body of <c>PUT /v1/campaigns/{id}</c> and the <c>definition</c> of its view.
/// Durations are written like the rule language's (<c>30m</c>, <c>12h</c>, <c>7d</c>, <c>2w</c>); instants are ISO
/// 8601 with a zone (<c>2026-12-24T09:00:00Z</c>); fields left out take the defaults of docs/campaigns.md.
/// </summary>
/// <param name="Id">Optional; when given it must equal the id in the path.</param>
/// <param name="Category"><c>marketing</c> (default), <c>transactional</c>, or <c>silent</c> (a data-only push that shows nothing).</param>
/// <param name="Priority"><c>low</c>, <c>normal</c> (default) or <c>high</c>.</param>
/// <param name="Variants">A/B variants whose percentages add up to 100; each user gets one.</param>
/// <param name="HoldoutPercent">The share of the audience sent nothing, to measure the lift against (0 to less than 100).</param>
/// <param name="QuietHoursPolicy"><c>hold</c> (default: sent when quiet hours end) or <c>drop</c>.</param>
/// <param name="TimeToLive">How long a held or undelivered push stays worth sending (more than 0, at most 28d; default 1d).</param>
/// <param name="ThrottlePerMinute">The most users this campaign's broadcasts offer per minute; left out, no limit of its own.</param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CampaignInput(
    string? Id = null,
    string? Name = null,
    string? Category = null,
    string? Priority = null,
    AudienceInput? Audience = null,
    TriggerInput? Trigger = null,
    MessageInput? Message = null,
    VariantInput[]? Variants = null,
    double? HoldoutPercent = null,
    string? StartAt = null,
    string? EndAt = null,
    CapInput? Cap = null,
    QuietHoursInput? QuietHours = null,
    string? QuietHoursPolicy = null,
    string? TimeToLive = null,
    int? ThrottlePerMinute = null,
    ConversionInput? Conversion = null,
    OptOutGuardInput? OptOutGuard = null);

/// <summary>Who may receive it: a segment by id, or an inline rule; neither means everyone the trigger reaches.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record AudienceInput(string? Segment = null, string? Rule = null);

/// <summary>
/// What starts a send. <c>type</c>: <c>segment_entry</c> (with <c>segment</c>), <c>lifecycle</c> (<c>stage</c>),
/// <c>event</c> (<c>event</c>), <c>geofence_entry</c> (<c>geofence</c>), each with an optional <c>delay</c> and
/// <c>cooldown</c>; <c>schedule</c> (<c>at</c> once or <c>cron</c> recurring, in <c>timeZone</c> or each user's
/// <c>localTime</c> with <c>missedLocalTime</c>: <c>next_day</c>, <c>send_now</c> or <c>skip</c>); <c>manual</c>.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TriggerInput(
    string? Type = null,
    string? Segment = null,
    string? Stage = null,
    string? Event = null,
    string? Geofence = null,
    string? Delay = null,
    string? Cooldown = null,
    string? Cron = null,
    string? At = null,
    bool? LocalTime = null,
    string? TimeZone = null,
    string? MissedLocalTime = null);

/// <summary>A push's texts (Liquid templates) and what travels with it.</summary>
/// <param name="Data">Delivered to the app with the push; values are strings (FCM's rule).</param>
/// <param name="CollapseId">Pushes with the same collapse id replace each other on the device.</param>
/// <param name="Image">An absolute https URL (at most 2 KB) of an image shown with the push.</param>
/// <param name="Buttons">At most 4 action buttons, delivered in the push's data as <c>buttons</c>.</param>
/// <param name="ActionCategory">The notification category the app registered (APNs <c>category</c>, FCM <c>click_action</c>).</param>
/// <param name="Badge">The app icon's badge: a number to set, 0 to clear.</param>
/// <param name="ThreadId">Groups the app's notifications on iOS (APNs <c>thread-id</c>).</param>
/// <param name="ChannelId">The Android notification channel.</param>
/// <param name="Translations">
/// The texts in other languages, keyed by language tag (<c>de</c>, <c>de-AT</c>, <c>pt-BR</c>; at most 50). A user
/// gets the translation of their locale, else of its parent (<c>de</c> for <c>de-AT</c>), else of another region of
/// their language (the first alphabetically), else the default texts. Their locale is their <c>locale</c> trait, or
/// the one the SDK reported for their latest device.
/// </param>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record MessageInput(
    string? Title = null,
    string? Subtitle = null,
    string? Body = null,
    string? DeepLink = null,
    Dictionary<string, string>? Data = null,
    string? CollapseId = null,
    string? Sound = null,
    Dictionary<string, TranslationInput?>? Translations = null,
    string? Image = null,
    ButtonInput?[]? Buttons = null,
    string? ActionCategory = null,
    int? Badge = null,
    string? ThreadId = null,
    string? ChannelId = null);

/// <summary>An action button: the app learns which was tapped by its <c>id</c>; <c>deepLink</c> is opened when it is.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ButtonInput(string? Id = null, string? Title = null, string? DeepLink = null);

/// <summary>A message's texts in one language (Liquid templates, like the default texts).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record TranslationInput(string? Title = null, string? Subtitle = null, string? Body = null);

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record VariantInput(string? Name = null, double? Percent = null, MessageInput? Message = null);

/// <summary>At most <c>limit</c> of this campaign's pushes per user per <c>window</c> (left out: ever).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CapInput(int? Limit = null, string? Window = null);

/// <summary>The campaign's own quiet hours in each user's local time, instead of the app's; <c>enabled: false</c> for none.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record QuietHoursInput(string? Start = null, string? End = null, bool? Enabled = null);

/// <summary>The event that counts as a conversion, credited within <c>window</c> of a push (default 3d, at most 30d).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ConversionInput(string? Event = null, string? Window = null);

/// <summary>Pauses the campaign when more than <c>threshold</c> (0 to 1) of pushed users opt out, once <c>minimumSample</c> were pushed.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record OptOutGuardInput(double? Threshold = null, int? MinimumSample = null);

/// <summary>The optional body of a status command; a pause shows <c>reason</c> as its status reason.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CampaignCommandInput(string? Reason = null);

/// <summary>A campaign: status (and why), its broadcasts and its definition.</summary>
/// <param name="Status"><c>draft</c>, <c>running</c>, <c>paused</c>, <c>completed</c> or <c>cancelled</c>.</param>
public sealed record CampaignView(
    string Id,
    string Status,
    string? StatusReason,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? LaunchedAt,
    DateTime? NextOccurrenceAt,
    BroadcastView? Broadcast,
    BroadcastView[] PastBroadcasts,
    CampaignInput Definition);

/// <summary>One broadcast occurrence: how many users were offered of the audience counted at its start.</summary>
public sealed record BroadcastView(string Occurrence, string State, DateTime StartedAt, DateTime? FinishedAt, long Offered, long AudienceAtStart);

public sealed record CampaignSummary(string Id, string Name, string Status, string Category);

public sealed record CampaignList(CampaignSummary[] Campaigns);

/// <summary>A campaign's counts: all arms together, and per variant and holdout.</summary>
public sealed record CampaignStatsView(string CampaignId, ArmCounts Total, Dictionary<string, ArmCounts> Variants);

/// <summary>
/// The counts of one arm. <c>targeted = sent + suppressed + failed + pending</c>; <c>delivered</c> equals
/// <c>sent</c> (APNs and FCM give no later receipt).
/// </summary>
public sealed record ArmCounts(
    long Targeted,
    long Suppressed,
    Dictionary<string, long> SuppressedBy,
    long Sent,
    long Delivered,
    long Failed,
    Dictionary<string, long> FailedBy,
    long Pending,
    long Opened,
    long Converted,
    long OptedOut,
    ArmRates Rates,
    Dictionary<string, LanguageCounts>? ByLanguage = null);

/// <summary>One translation's pushes (<c>default</c>: the default texts): sent, opened, converted and the open rate.</summary>
public sealed record LanguageCounts(long Sent, long Opened, long Converted, double? OpenRate);

/// <summary>Rates rounded to 6 decimals; null when their denominator is 0.</summary>
public sealed record ArmRates(double? Delivery, double? Open, double? Conversion, double? OptOut);
