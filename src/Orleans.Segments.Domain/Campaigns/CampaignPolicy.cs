namespace Orleans.Segments.Domain.Campaigns;

/// <summary>An app's campaign settings. Bound from <c>Segments:Apps:&lt;appId&gt;:Campaigns</c>.</summary>
public sealed class CampaignPolicy
{
    /// <summary>Marketing consent withdrawn this long after a push counts as an opt-out caused by it. Default: 24 hours.</summary>
    public TimeSpan OptOutWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most broadcast pushes per minute for the whole app, all campaigns together. Default: 600,000.</summary>
    public int ThrottlePerMinute { get; set; } = 600_000;

    /// <summary>How many exposures a user keeps for attributing opens, conversions and opt-outs. Default: 50.</summary>
    public int MaxExposures { get; set; } = 50;
}
