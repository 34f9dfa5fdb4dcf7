namespace Orleans.Segments.Domain.Campaigns;

/// <summary>What starts a campaign's sends.</summary>
public enum TriggerKind : byte
{
    /// <summary>A user enters <see cref="CampaignTrigger.Segment"/> (optionally after <see cref="CampaignTrigger.Delay"/>).</summary>
    SegmentEntry = 0,
    /// <summary>A user's lifecycle stage becomes <see cref="CampaignTrigger.Stage"/>.</summary>
    Lifecycle = 1,
    /// <summary>A user does <see cref="CampaignTrigger.Event"/>.</summary>
    Event = 2,
    /// <summary>A user enters <see cref="CampaignTrigger.Geofence"/> (at most once per <see cref="CampaignTrigger.Cooldown"/>).</summary>
    GeofenceEntry = 3,
    /// <summary>A broadcast to the audience on <see cref="CampaignTrigger.Cron"/> (or once at the start).</summary>
    Schedule = 4,
    /// <summary>A broadcast when a campaign manager says "send now".</summary>
    Manual = 5,
}

/// <summary>The trigger of a campaign and its parameters.</summary>
[GenerateSerializer, Immutable, Alias("segments.CampaignTrigger")]
public sealed record CampaignTrigger([property: Id(0)] TriggerKind Kind)
{
    [Id(1)] public string? Segment { get; init; }

    [Id(2)] public string? Stage { get; init; }

    [Id(3)] public string? Event { get; init; }

    [Id(4)] public string? Geofence { get; init; }

    [Id(5)] public TimeSpan Delay { get; init; }

    [Id(6)] public TimeSpan Cooldown { get; init; }

    /// <summary>A cron expression (Cronos, five fields) for recurring schedules; null for once.</summary>
    [Id(7)] public string? Cron { get; init; }

    /// <summary>Send at the scheduled wall-clock time in each user's own time zone.</summary>
    [Id(8)] public bool LocalTime { get; init; }

    /// <summary>The zone the cron is read in when not local time. Default: UTC.</summary>
    [Id(9)] public string? TimeZone { get; init; }

    /// <summary>A one-time broadcast's send time: UTC, or with <see cref="LocalTime"/> a wall-clock time.</summary>
    [Id(10)] public DateTime? At { get; init; }

    /// <summary>For local-time broadcasts: users whose send time has passed get it the next day, at once, or not.</summary>
    [Id(11)] public MissedLocalTime MissedLocalTime { get; init; } = MissedLocalTime.NextDay;

    /// <summary>Whether this trigger sends to a whole audience (schedule or manual) rather than per user.</summary>
    public bool IsBroadcast => Kind is TriggerKind.Schedule or TriggerKind.Manual;

    /// <summary>The first problem with this trigger, or null.</summary>
    public string? Validate()
    {
        switch (Kind)
        {
            case TriggerKind.SegmentEntry when string.IsNullOrEmpty(Segment): return "a segment-entry trigger needs 'segment'.";
            case TriggerKind.Lifecycle when Stage is null || !Lifecycle.LifecycleStageNames.TryParse(Stage, out _):
                return "a lifecycle trigger needs 'stage': new, active, loyal, at_risk or lapsed.";
            case TriggerKind.Event when string.IsNullOrEmpty(Event): return "an event trigger needs 'event'.";
            case TriggerKind.GeofenceEntry when string.IsNullOrEmpty(Geofence): return "a geofence trigger needs 'geofence'.";
        }

        if (Delay < TimeSpan.Zero || Delay > TimeSpan.FromDays(90)) return "'delay' must be between 0 and 90 days.";
        if (Cooldown < TimeSpan.Zero || Cooldown > TimeSpan.FromDays(365)) return "'cooldown' must be between 0 and 365 days.";
        if (Cron is not null)
        {
            if (Kind != TriggerKind.Schedule) return "'cron' belongs to schedule triggers.";
            try
            {
                Cronos.CronExpression.Parse(Cron);
            }
            catch (Cronos.CronFormatException ex)
            {
                return $"'cron' is not a valid cron expression: {ex.Message}";
            }
        }

        if (Kind == TriggerKind.Schedule && Cron is null && At is null) return "a schedule trigger needs 'at' (once) or 'cron' (recurring).";
        if (Kind == TriggerKind.Schedule && Cron is not null && At is not null) return "give 'at' or 'cron', not both.";
        if (At is not null && Kind != TriggerKind.Schedule) return "'at' belongs to schedule triggers.";
        if (At is { } at && !Calendar.InRange(at)) return $"'at' must fall {Calendar.RangeText}.";
        if (LocalTime && Kind != TriggerKind.Schedule) return "'localTime' belongs to schedule triggers.";
        if (LocalTime && TimeZone is not null) return "a local-time schedule uses each user's zone; 'timeZone' does not apply.";
        if (Kind == TriggerKind.Schedule && Delay != TimeSpan.Zero) return "'delay' belongs to per-user triggers.";
        if (TimeZone is not null && !TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _)) return $"'{TimeZone}' is not a known time zone.";
        return null;
    }
}
