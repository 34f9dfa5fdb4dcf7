namespace Orleans.Segments.Hosting;

/// <summary>The stream on which segment and geofence transitions are published, per app (stream key: app id).</summary>
public static class SegmentsStreams
{
    /// <summary>The stream provider's name; the host registers it (memory streams in the embedded default).</summary>
    public const string Provider = "segments";

    /// <summary>The stream namespace of transitions.</summary>
    public const string Transitions = "segment-transitions";
}
