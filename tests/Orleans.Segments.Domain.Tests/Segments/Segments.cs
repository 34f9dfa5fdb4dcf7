using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Profile;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Segments;

/// <summary>Builds segment sets from (id, rule) pairs, failing on any problem.</summary>
internal static class Segments
{
    public static SegmentSet Of(params (string Id, string Rule)[] segments)
    {
        var problems = new List<string>();
        var set = SegmentSet.Build(1, segments.Select(s => new SegmentDefinition(s.Id, s.Id, s.Rule)), problems);
        Assert.Empty(problems);
        return set;
    }

    public static ModelEnvironment Environment(params (string Id, string Rule)[] segments) =>
        new(Of(segments), GeofenceIndex.Empty);
}
