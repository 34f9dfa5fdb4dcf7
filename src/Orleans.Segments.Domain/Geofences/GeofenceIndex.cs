using NetTopologySuite.Geometries;
using NetTopologySuite.Geometries.Prepared;
using NetTopologySuite.Index.Strtree;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Geofences;

/// <summary>
/// The geofences of one app in an R-tree (NetTopologySuite's STRtree) of their bounding boxes; a lookup
/// tests only the fences whose box holds the point, circles by great-circle distance, polygons exactly.
/// Built once per version and shared read-only.
/// </summary>
public sealed class GeofenceIndex
{
    /// <summary>Widens circle boxes by about a centimetre, against rounding at their edges.</summary>
    private const double Margin = 1e-7;
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
                tree.Insert(CircleEnvelope(c, fence.RadiusMeters), new Entry(fence, null));
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

    /// <summary>
    /// The (longitude, latitude) box holding every point within <paramref name="radiusMeters"/> of
    /// <paramref name="c"/> by great-circle distance, the test <see cref="Containing"/> applies.
    /// </summary>
    internal static Envelope CircleEnvelope(GeoPoint c, double radiusMeters)
    {
        // Why: a flat 111,320 m per degree box missed points: near the northern and southern edges (a degree on
        // Geo's sphere is 111,195 m), far to the sides near the poles (the longitude reach is asin(sin δ / cos φ),
        // not δ / cos φ), and across the antimeridian. A circle over a pole or the antimeridian spans every longitude.
        double delta = radiusMeters / Geo.EarthRadiusMeters;
        double south = c.Latitude - Degrees(delta) - Margin;
        double north = c.Latitude + Degrees(delta) + Margin;
        if (south <= -90 || north >= 90) return new Envelope(-180, 180, Math.Max(south, -90), Math.Min(north, 90));

        double reach = Degrees(Math.Asin(Math.Min(1, Math.Sin(delta) / Math.Cos(c.Latitude * Math.PI / 180)))) + Margin;
        if (c.Longitude - reach < -180 || c.Longitude + reach > 180) return new Envelope(-180, 180, south, north);
        return new Envelope(c.Longitude - reach, c.Longitude + reach, south, north);
    }

    private static double Degrees(double radians) => radians * 180 / Math.PI;

    internal static Polygon ToPolygon(Geofence fence)
    {
        var ring = fence.Polygon!.Select(p => new Coordinate(p.Longitude, p.Latitude)).ToList();
        if (!ring[0].Equals2D(ring[^1])) ring.Add(ring[0]);
        return Factory.CreatePolygon(ring.ToArray());
    }

    private sealed record Entry(Geofence Fence, IPreparedGeometry? Polygon);
}
