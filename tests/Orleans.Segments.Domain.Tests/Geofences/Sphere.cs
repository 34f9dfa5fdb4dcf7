using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Tests.Geofences;

/// <summary>Points at a distance and bearing from another, on the sphere the domain measures distances on.</summary>
internal static class Sphere
{
    private const double EarthRadiusMeters = 6_371_008.8;

    public static GeoPoint Destination(GeoPoint from, double meters, double bearingDegrees)
    {
        double delta = meters / EarthRadiusMeters;
        double theta = Radians(bearingDegrees);
        double phi1 = Radians(from.Latitude);
        double lambda1 = Radians(from.Longitude);
        double phi2 = Math.Asin(Math.Sin(phi1) * Math.Cos(delta) + Math.Cos(phi1) * Math.Sin(delta) * Math.Cos(theta));
        double lambda2 = lambda1 + Math.Atan2(Math.Sin(theta) * Math.Sin(delta) * Math.Cos(phi1), Math.Cos(delta) - Math.Sin(phi1) * Math.Sin(phi2));
        double longitude = (Degrees(lambda2) + 540) % 360 - 180;
        return new GeoPoint(Degrees(phi2), longitude);
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;

    private static double Degrees(double radians) => radians * 180 / Math.PI;
}
