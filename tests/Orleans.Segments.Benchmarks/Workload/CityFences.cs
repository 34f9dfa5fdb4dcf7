using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;

namespace Orleans.Segments.Benchmarks.Workload;

/// <summary>
/// Geofences as a retailer with many stores would draw them over one city: half circles, half polygons of 4 to
/// 8 vertices, 50 to 500 m across their centre, spread uniformly over a square of <see cref="SideKm"/> km
/// centred on Berlin; and random points in the same square.
/// </summary>
public static class CityFences
{
    public const double SideKm = 50;
    private const double CenterLat = 52.52, CenterLon = 13.405;
    private const double MetersPerDegree = 111_195;

    public static Geofence[] Make(int count, int seed)
    {
        var random = new Random(seed);
        var fences = new Geofence[count];
        for (int i = 0; i < count; i++)
        {
            var (lat, lon) = Point(random);
            double radius = 50 + random.NextDouble() * 450;
            fences[i] = i % 2 == 0
                ? new Geofence($"f{i}", $"Circle {i}", new GeoPoint(lat, lon), radius, null)
                : new Geofence($"f{i}", $"Polygon {i}", null, 0, Polygon(random, lat, lon, radius));
        }

        return fences;
    }

    /// <summary>A uniformly random point in the city square.</summary>
    public static (double Lat, double Lon) Point(Random random)
    {
        double half = SideKm * 1000 / 2;
        double north = (random.NextDouble() * 2 - 1) * half, east = (random.NextDouble() * 2 - 1) * half;
        return (CenterLat + north / MetersPerDegree, CenterLon + east / (MetersPerDegree * Math.Cos(CenterLat * Math.PI / 180)));
    }

    /// <summary>A simple polygon: vertices at increasing angles, each at 60-100 % of the radius.</summary>
    private static GeoPoint[] Polygon(Random random, double lat, double lon, double radius)
    {
        int vertices = 4 + random.Next(5);
        double lonScale = Math.Cos(lat * Math.PI / 180);
        var points = new GeoPoint[vertices];
        for (int v = 0; v < vertices; v++)
        {
            double angle = 2 * Math.PI * (v + random.NextDouble() * 0.5) / vertices;
            double r = radius * (0.6 + 0.4 * random.NextDouble());
            points[v] = new GeoPoint(lat + r * Math.Sin(angle) / MetersPerDegree, lon + r * Math.Cos(angle) / (MetersPerDegree * lonScale));
        }

        return points;
    }
}
