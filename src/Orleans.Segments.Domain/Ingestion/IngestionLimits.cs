namespace Orleans.Segments.Domain.Ingestion;

/// <summary>The limits of the Segment HTTP tracking API, which we keep.</summary>
public sealed class IngestionLimits
{
    /// <summary>The largest single message, in bytes. Default: 32 KB.</summary>
    public int MaxMessageBytes { get; set; } = 32 * 1024;

    /// <summary>The largest batch request, in bytes. Default: 500 KB.</summary>
    public int MaxBatchBytes { get; set; } = 500 * 1024;

    /// <summary>How far ahead of the server's clock a timestamp may be. Default: 1 day.</summary>
    public TimeSpan MaxFutureSkew { get; set; } = TimeSpan.FromDays(1);

    /// <summary>The longest user id, anonymous id, message id or event name. Default: 256.</summary>
    public int MaxIdLength { get; set; } = 256;

    /// <summary>The most numeric properties taken from one event. Default: 32.</summary>
    public int MaxNumericProperties { get; set; } = 32;

    /// <summary>The deepest JSON nesting accepted. Default: 32.</summary>
    public int MaxDepth { get; set; } = 32;
}
