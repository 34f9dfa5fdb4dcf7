namespace Orleans.Segments.Users;

/// <summary>What an ingest call did: events applied, retries dropped, and the lifecycle stage after it.</summary>
[GenerateSerializer, Immutable, Alias("segments.IngestReceipt")]
public sealed record IngestReceipt(
    [property: Id(0)] int Applied,
    [property: Id(1)] int Duplicates,
    [property: Id(2)] string? Stage);
