namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.SegmentIndexState")]
public sealed class SegmentIndexState
{
    [Id(0)] public SortedSet<string> Members { get; set; } = new(StringComparer.Ordinal);
}
