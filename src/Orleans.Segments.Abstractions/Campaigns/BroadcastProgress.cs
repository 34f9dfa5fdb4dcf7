namespace Orleans.Segments.Campaigns;

/// <summary>How far one broadcast occurrence has got.</summary>
[GenerateSerializer, Immutable, Alias("segments.BroadcastProgress")]
public sealed record BroadcastProgress(
    [property: Id(0)] string Occurrence,
    [property: Id(1)] DateTime StartedAt,
    [property: Id(2)] DateTime? FinishedAt,
    [property: Id(3)] long Offered,
    [property: Id(4)] long AudienceAtStart,
    [property: Id(5)] string State);
