namespace Orleans.Segments.Domain.Campaigns;

/// <summary>Where a campaign is in its life.</summary>
public enum CampaignStatus : byte
{
    /// <summary>Defined, not launched: nothing is sent.</summary>
    Draft = 0,
    /// <summary>Launched: triggers fire and schedules run.</summary>
    Running = 1,
    /// <summary>Stopped for now (by a manager or by the opt-out guard); held messages wait, broadcasts stop where they are.</summary>
    Paused = 2,
    /// <summary>Every occurrence is done or the end date has passed; messages users already hold still go out.</summary>
    Completed = 3,
    /// <summary>Stopped for good; it cannot be launched again.</summary>
    Cancelled = 4,
}

/// <summary>What a campaign does with a message due in quiet hours.</summary>
public enum QuietHoursPolicy : byte
{
    /// <summary>Hold it and send it when quiet hours end, unless that is past its time to live.</summary>
    Hold = 0,
    /// <summary>Drop it.</summary>
    Drop = 1,
}

/// <summary>For local-time broadcasts: what happens to users whose local send time has already passed.</summary>
public enum MissedLocalTime : byte
{
    /// <summary>Send at the same local time the next day.</summary>
    NextDay = 0,
    /// <summary>Send at once.</summary>
    SendNow = 1,
    /// <summary>Skip the user for this occurrence (recorded in the user's message log).</summary>
    Skip = 2,
}
