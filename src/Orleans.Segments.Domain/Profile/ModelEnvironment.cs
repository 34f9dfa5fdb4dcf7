using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Profile;

/// <summary>What an app defines beyond its policy: its compiled segments and its geofences.</summary>
public sealed record ModelEnvironment(SegmentSet Segments, GeofenceIndex Geofences)
{
    public static readonly ModelEnvironment None = new(SegmentSet.Empty, GeofenceIndex.Empty);
}
