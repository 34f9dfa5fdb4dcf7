using MessagePack;

namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.SegmentIndexState"), MessagePackObject]
public sealed class SegmentIndexState
{
    [Id(0), Key(0)] public SortedSet<string> Members { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Entries and exits per UTC day, the latest <see cref="DayFlow.DaysKept"/> days.</summary>
    [Id(1), Key(1)] public List<DayFlow> Flows { get; set; } = [];
}
