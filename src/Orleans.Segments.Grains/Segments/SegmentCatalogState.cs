using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Segments;

[GenerateSerializer, Alias("segments.SegmentCatalogState")]
public sealed class SegmentCatalogState
{
    [Id(0)] public long Version { get; set; }

    [Id(1)] public Dictionary<string, SegmentDefinition> Segments { get; set; } = new(StringComparer.Ordinal);

    [Id(2)] public Dictionary<string, Geofence> Geofences { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The catalog version at which each segment last changed.</summary>
    [Id(3)] public Dictionary<string, long> SegmentVersions { get; set; } = new(StringComparer.Ordinal);
}
