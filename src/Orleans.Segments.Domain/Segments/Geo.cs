namespace Orleans.Segments.Domain.Segments;

/// <summary>Great-circle distances on a spherical Earth (haversine), precise to well under 0.5% for our use.</summary>
public static class Geo
{
    internal const double EarthRadiusMeters = 6_371_008.8;

    public static double DistanceMeters(double lat1, double lon1, double lat2, double lon2)
    {
        double dLat = Radians(lat2 - lat1);
        double dLon = Radians(lon2 - lon1);
        double h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                   Math.Cos(Radians(lat1)) * Math.Cos(Radians(lat2)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
