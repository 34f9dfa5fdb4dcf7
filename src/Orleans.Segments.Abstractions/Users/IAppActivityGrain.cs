namespace Orleans.Segments.Users;

/// <summary>
/// One app's recent ingestion rate (key: app id): events applied per minute over the last hour, fed by every
/// gateway every few seconds. Kept in memory only: it answers "how busy is it now", not an audit.
/// </summary>
[Alias("segments.IAppActivityGrain")]
public interface IAppActivityGrain : IGrainWithStringKey
{
    /// <summary>Adds <paramref name="events"/> to the minute starting at <paramref name="minute"/> (UTC).</summary>
    [Alias("Record")]
    Task Record(DateTime minute, long events);

    /// <summary>Events per minute, oldest first, for the last <paramref name="minutes"/> minutes up to <paramref name="now"/>.</summary>
    [Alias("PerMinute")]
    Task<long[]> PerMinute(DateTime now, int minutes);
}
