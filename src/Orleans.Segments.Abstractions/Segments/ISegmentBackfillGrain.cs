namespace Orleans.Segments.Segments;

/// <summary>
/// Re-evaluates every user of an app after its definitions changed (key: app id): a resumable job that walks
/// the user directory page by page, persisting its cursor, and restarts when a newer version arrives.
/// </summary>
[Alias("segments.ISegmentBackfillGrain")]
public interface ISegmentBackfillGrain : IGrainWithStringKey
{
    /// <summary>Starts (or restarts) the job for <paramref name="version"/> and returns at once.</summary>
    [Alias("Start")]
    Task Start(long version);

    [Alias("GetStatus")]
    Task<BackfillStatus> GetStatus();

    /// <summary>Runs the job to the end (used by tests and tools; the job also runs by itself).</summary>
    [Alias("RunToEnd")]
    Task<BackfillStatus> RunToEnd();
}

[GenerateSerializer, Immutable, Alias("segments.BackfillStatus")]
public sealed record BackfillStatus(
    [property: Id(0)] long Version,
    [property: Id(1)] bool Running,
    [property: Id(2)] long Processed,
    [property: Id(3)] long Total,
    [property: Id(4)] long CompletedVersion);
