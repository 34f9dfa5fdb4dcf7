namespace Orleans.Segments.Domain.Campaigns;

/// <summary>An app's campaign settings. Bound from <c>Segments:Apps:&lt;appId&gt;:Campaigns</c>.</summary>
public sealed class CampaignPolicy
{
    /// <summary>Marketing consent withdrawn this long after a push counts as an opt-out caused by it. Default: 24 hours.</summary>
    public TimeSpan OptOutWindow { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most broadcast pushes per minute for the whole app, all campaigns together. Default: 600,000.</summary>
    public int ThrottlePerMinute { get; set; } = 600_000;

    /// <summary>
    /// The share of the app's users (0 to 50 %) who receive no marketing push from any campaign, so that the whole
    /// programme's lift can be measured: chosen by a stable hash of the user id, suppressed with the reason
    /// <c>control_group</c>, and counted (conversions included) in each campaign's <c>control</c> arm. Transactional
    /// messages are not affected. Default: 0 (no control group).
    /// </summary>
    public double ControlGroupPercent { get; set; }

    /// <summary>How many exposures a user keeps for attributing opens, conversions and opt-outs. Default: 50.</summary>
    public int MaxExposures { get; set; } = 50;

    /// <summary>
    /// How many times a campaign push that APNs/FCM refused for the moment (busy, unavailable, throttling; their
    /// own retries used up) goes back to the user's outbox to be decided again later. 0 records it failed at
    /// once. Only pushes the provider answered are retried: one that may have reached it never is. Default: 3.
    /// </summary>
    public int ProviderRetries { get; set; } = 3;

    /// <summary>The wait before the first such retry; each next one waits four times longer (1, 4, 16 minutes by default), or the provider's <c>Retry-After</c> if longer.</summary>
    public TimeSpan ProviderRetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The wait before provider retry number <paramref name="retry"/> (1-based).</summary>
    public TimeSpan ProviderRetryAfter(int retry, TimeSpan? providerAsked)
    {
        var backoff = ProviderRetryDelay * Math.Pow(4, Math.Max(0, retry - 1));
        return providerAsked is { } asked && asked > backoff ? asked : backoff;
    }
}
