namespace Orleans.Segments.Hosting;

/// <summary>Names of the grain storage providers the engine uses.</summary>
public static class SegmentsStorage
{
    /// <summary>User profiles, wake-up buckets and the dispatcher.</summary>
    public const string Name = "segments";
}
