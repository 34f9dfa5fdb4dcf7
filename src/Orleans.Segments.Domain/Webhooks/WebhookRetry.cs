namespace Orleans.Segments.Domain.Webhooks;

/// <summary>
/// When a failed delivery is tried again: after <see cref="FirstRetryAfter"/>, doubling each attempt up to
/// <see cref="MaxRetryInterval"/>, with up to a fifth of jitter so receivers that come back are not hit by every
/// queue at once; and after <see cref="GiveUpAfter"/> of failures the batch is dead-lettered.
/// </summary>
public sealed class WebhookRetry
{
    /// <summary>The wait after the first failure. Default: 5 seconds.</summary>
    public TimeSpan FirstRetryAfter { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest wait between attempts. Default: 10 minutes.</summary>
    public TimeSpan MaxRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How long a batch is retried before it goes to the dead-letter list. Default: 24 hours.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row (1 for the first); <paramref name="jitter"/> in [0, 1).</summary>
    public TimeSpan After(int failures, double jitter)
    {
        double seconds = FirstRetryAfter.TotalSeconds * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        seconds = Math.Min(seconds, MaxRetryInterval.TotalSeconds);
        return TimeSpan.FromSeconds(seconds * (1 + 0.2 * Math.Clamp(jitter, 0, 1)));
    }

    /// <summary>Whether a batch failing since <paramref name="firstFailedAt"/> is given up at <paramref name="now"/>.</summary>
    public bool GivesUp(DateTime firstFailedAt, DateTime now) => now - firstFailedAt >= GiveUpAfter;
}
