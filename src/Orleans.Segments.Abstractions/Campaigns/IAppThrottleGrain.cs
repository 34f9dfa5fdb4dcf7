namespace Orleans.Segments.Campaigns;

/// <summary>The app-wide broadcast throttle (key: app id): a token bucket refilled per minute.</summary>
[Alias("segments.IAppThrottleGrain")]
public interface IAppThrottleGrain : IGrainWithStringKey
{
    /// <summary>Takes up to <paramref name="wanted"/> tokens; returns how many were granted.</summary>
    [Alias("Acquire")]
    Task<int> Acquire(int wanted);
}
