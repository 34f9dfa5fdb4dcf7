using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Geofences;

/// <summary>
/// The geofences of one app in an R-tree (NetTopologySuite's STRtree) of their bounding boxes; a lookup
/// tests only the fences whose box holds the point, circles by great-circle distance, polygons exactly.
/// Built once per version and shared read-only.
/// </summary>
public sealed class GeofenceIndex
{
    private const double MetersPerDegree = 111_320;
    private static readonly GeometryFactory Factory = new();

    public static readonly GeofenceIndex Empty = new(0, []);

    private readonly STRtree<Entry> tree = new();

    public GeofenceIndex(long version, IEnumerable<Geofence> fences)
    {
        Version = version;
        foreach (var fence in fences)
        {
            if (fence.Center is { } c)
            {
                double dLat = fence.RadiusMeters / MetersPerDegree;
                double dLon = dLat / Math.Max(Math.Cos(c.Latitude * Math.PI / 180), 1e-6);
                tree.Insert(new Envelope(c.Longitude - dLon, c.Longitude + dLon, c.Latitude - dLat, c.Latitude + dLat), new Entry(fence, null));
            }
            else if (fence.Polygon is not null)
            {
                var polygon = ToPolygon(fence);
                tree.Insert(polygon.EnvelopeInternal, new Entry(fence, PreparedGeometryFactory.Prepare(polygon)));
            }

            Count++;
        }

        tree.Build();
    }

    public long Version { get; }

    public int Count { get; }

    /// <summary>The ids of the fences containing the point.</summary>
    public List<string> Containing(double latitude, double longitude)
    {
        var found = new List<string>();
        if (Count == 0) return found;
        var point = new Envelope(longitude, longitude, latitude, latitude);
        Point? geometry = null;
        foreach (var entry in tree.Query(point))
        {
            var fence = entry.Fence;
            if (fence.Center is { } c)
            {
                if (Geo.DistanceMeters(latitude, longitude, c.Latitude, c.Longitude) <= fence.RadiusMeters) found.Add(fence.Id);
            }
            else if (entry.Polygon!.Covers(geometry ??= Factory.CreatePoint(new Coordinate(longitude, latitude))))
            {
                found.Add(fence.Id);
            }
        }

        return found;
    }

    internal static Polygon ToPolygon(Geofence fence)
    {
        var ring = fence.Polygon!.Select(p => new Coordinate(p.Longitude, p.Latitude)).ToList();
        if (!ring[0].Equals2D(ring[^1])) ring.Add(ring[0]);
        return Factory.CreatePolygon(ring.ToArray());
    }

    private sealed record Entry(Geofence Fence, IPreparedGeometry? Polygon);
}
