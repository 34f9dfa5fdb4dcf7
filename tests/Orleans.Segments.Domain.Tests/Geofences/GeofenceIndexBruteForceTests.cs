using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Domain.Segments;

namespace Orleans.Segments.Domain.Tests.Geofences;

public sealed class GeofenceIndexBruteForceTests
{
    private const int Fences = 10_000;
    private const int Queries = 2_000;

    [Fact]
    public void TenThousandRandomFencesAgreeWithCheckingEveryFence()
    {
        var random = new Random(20250301);
        var fences = Enumerable.Range(0, Fences).Select(i => RandomFence(random, $"f{i}")).ToArray();
        var index = new GeofenceIndex(1, fences);

        // Why: the brute force checks every fence whose latitudes can hold the point, found by a sorted array.
        var bySouth = fences.Select(f => (Fence: f, Range: LatitudeRange(f))).OrderBy(e => e.Range.South).ToArray();
        var souths = bySouth.Select(e => e.Range.South).ToArray();
        double widest = bySouth.Max(e => e.Range.North - e.Range.South);

        for (int q = 0; q < Queries; q++)
        {
            var point = q % 2 == 0 ? NearAFence(random, fences) : Anywhere(random);

            var found = index.Containing(point.Latitude, point.Longitude).Order(StringComparer.Ordinal);
            var expected = bySouth.Skip(FirstAtOrAbove(souths, point.Latitude - widest))
                .TakeWhile(e => e.Range.South <= point.Latitude)
                .Where(e => point.Latitude <= e.Range.North && Contains(e.Fence, point))
                .Select(e => e.Fence.Id).Order(StringComparer.Ordinal);

            Assert.True(expected.SequenceEqual(found),
                $"at {point.Latitude}, {point.Longitude}: expected [{string.Join(", ", expected)}], found [{string.Join(", ", found)}]");
        }
    }

    /// <summary>Circles of 10 m to 100 km and star-shaped polygons of 3 to 8 vertices, mostly over Europe, some anywhere.</summary>
    private static Geofence RandomFence(Random random, string id)
    {
        var centre = random.Next(4) == 0 ? Anywhere(random) : new GeoPoint(35 + random.NextDouble() * 35, -10 + random.NextDouble() * 50);
        if (random.Next(5) < 3)
        {
            double radius = Math.Pow(10, 1 + random.NextDouble() * 4);
            return new Geofence(id, id, centre, radius, null);
        }

        // Why: polygons are planar in (longitude, latitude); keep them off the poles and the antimeridian.
        var middle = new GeoPoint(Math.Clamp(centre.Latitude, -80, 80), Math.Clamp(centre.Longitude, -170, 170));
        int vertices = random.Next(3, 9);
        double size = Math.Pow(10, -3 + random.NextDouble() * 2.5);
        var polygon = Enumerable.Range(0, vertices)
            .Select(v => 2 * Math.PI * (v + 0.2 + 0.6 * random.NextDouble()) / vertices)
            .Select(angle => (Angle: angle, Reach: size * (0.3 + random.NextDouble())))
            .Select(p => new GeoPoint(middle.Latitude + p.Reach * Math.Sin(p.Angle), middle.Longitude + p.Reach * Math.Cos(p.Angle)))
            .ToArray();
        return new Geofence(id, id, null, 0, polygon);
    }

    private static GeoPoint NearAFence(Random random, Geofence[] fences)
    {
        var fence = fences[random.Next(fences.Length)];
        if (fence.Center is { } c)
        {
            double bearing = random.Next(3) == 0 ? random.Next(4) * 90 : random.NextDouble() * 360;
            return Sphere.Destination(c, fence.RadiusMeters * (0.98 + random.NextDouble() * 0.04), bearing);
        }

        double south = fence.Polygon!.Min(p => p.Latitude), north = fence.Polygon!.Max(p => p.Latitude);
        double west = fence.Polygon!.Min(p => p.Longitude), east = fence.Polygon!.Max(p => p.Longitude);
        return new GeoPoint(south + (north - south) * random.NextDouble(), west + (east - west) * random.NextDouble());
    }

    private static GeoPoint Anywhere(Random random) =>
        new(Math.Asin(2 * random.NextDouble() - 1) * 180 / Math.PI, -180 + random.NextDouble() * 360);

    /// <summary>
    /// Latitudes outside which a fence cannot hold a point: a polygon's own, or a degree either side of a circle's
    /// centre (a great-circle distance is never shorter than its north-south part, and a degree is over 111 km).
    /// </summary>
    private static (double South, double North) LatitudeRange(Geofence fence) => fence.Center is { } c
        ? (c.Latitude - 1, c.Latitude + 1)
        : (fence.Polygon!.Min(p => p.Latitude), fence.Polygon!.Max(p => p.Latitude));

    private static int FirstAtOrAbove(double[] sorted, double value)
    {
        int low = 0, high = sorted.Length;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (sorted[middle] < value) low = middle + 1;
            else high = middle;
        }

        return low;
    }

    private static bool Contains(Geofence fence, GeoPoint point) => fence.Center is { } c
        ? Geo.DistanceMeters(point.Latitude, point.Longitude, c.Latitude, c.Longitude) <= fence.RadiusMeters
        : InPolygon(fence.Polygon!, point);

    /// <summary>Ray casting in (longitude, latitude), the plane polygons are drawn in.</summary>
    private static bool InPolygon(GeoPoint[] polygon, GeoPoint point)
    {
        bool inside = false;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            var (a, b) = (polygon[i], polygon[j]);
            if ((a.Latitude > point.Latitude) != (b.Latitude > point.Latitude) &&
                point.Longitude < (b.Longitude - a.Longitude) * (point.Latitude - a.Latitude) / (b.Latitude - a.Latitude) + a.Longitude)
            {
                inside = !inside;
            }
        }

        return inside;
    }
}
