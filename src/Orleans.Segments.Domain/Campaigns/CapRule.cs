namespace Orleans.Segments.Domain.Campaigns;

/// <summary>At most <see cref="Limit"/> marketing pushes per rolling <see cref="Window"/>.</summary>
public sealed class CapRule
{
    /// <summary>The most pushes in the window. Default: 3.</summary>
    public int Limit { get; set; } = 3;

    /// <summary>The rolling window. Default: 24 hours.</summary>
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
}
