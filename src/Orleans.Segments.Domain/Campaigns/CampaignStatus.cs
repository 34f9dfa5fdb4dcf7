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
