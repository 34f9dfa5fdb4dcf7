namespace Orleans.Segments.Push.Hosting;

/// <summary>How transient provider failures (429, 500, 503, FCM UNAVAILABLE/INTERNAL/QUOTA_EXCEEDED) are retried.</summary>
public sealed class RetryOptions
{
    /// <summary>How many requests one send may make for transient failures, the first included. Default: 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The backoff before the first retry; it doubles with each further one. Default: 1 second.</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest backoff between two attempts. Default: 30 seconds.</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest <c>Retry-After</c> a send waits for; a longer one ends it as a transient failure to reschedule. Default: 60 seconds.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(60);
}
