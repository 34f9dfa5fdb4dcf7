namespace Orleans.Segments.Domain.Campaigns;

/// <summary>
/// One occurrence of a scheduled broadcast. <see cref="StartAt"/> is when its fan-out begins; for a local-time
/// broadcast that is when the first zone (UTC+14) reaches <see cref="LocalWallClock"/>, and each user's grain
/// holds the message until the wall-clock time comes in the user's own zone.
/// </summary>
[GenerateSerializer, Immutable, Alias("segments.ScheduledOccurrence")]
public sealed record ScheduledOccurrence(
    [property: Id(0)] string Key,
    [property: Id(1)] DateTime StartAt,
    [property: Id(2)] DateTime? LocalWallClock);
