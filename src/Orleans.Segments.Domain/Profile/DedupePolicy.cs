namespace Orleans.Segments.Domain.Profile;

/// <summary>How long and how many message ids each user remembers to drop retried messages.</summary>
public sealed class DedupePolicy
{
    /// <summary>How long a message id is remembered after it arrived. Default: 24 hours (what Segment's own API promises).</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);

    /// <summary>The most message ids remembered per user. Default: 1000.</summary>
    public int Capacity { get; set; } = 1000;
}
