using System.Globalization;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;

namespace Orleans.Segments.Server.Console.Shared;

/// <summary>
/// Geofences drawn to scale as SVG, without map tiles (they need the internet): an equirectangular projection
/// around the fences' bounding box, longitudes shrunk by the cosine of the middle latitude so circles stay round.
/// </summary>
public sealed class GeoPlot
{
    public const double Width = 800, Height = 420, Margin = 24;
    private const double MetresPerDegree = 111_320;

    private readonly double west, north, scale, cosLat;

    public GeoPlot(IReadOnlyList<Geofence> fences)
    {
        Fences = fences;
        double minLat = double.MaxValue, maxLat = double.MinValue, minLon = double.MaxValue, maxLon = double.MinValue;
        foreach (var f in fences)
        {
            foreach (var (lat, lon) in Extent(f))
            {
                minLat = Math.Min(minLat, lat); maxLat = Math.Max(maxLat, lat);
                minLon = Math.Min(minLon, lon); maxLon = Math.Max(maxLon, lon);
            }
        }

        if (fences.Count == 0) (minLat, maxLat, minLon, maxLon) = (-1, 1, -1, 1);
        cosLat = Math.Max(0.05, Math.Cos((minLat + maxLat) / 2 * Math.PI / 180));
        double spanX = Math.Max(1e-4, (maxLon - minLon) * cosLat), spanY = Math.Max(1e-4, maxLat - minLat);
        scale = Math.Min((Width - 2 * Margin) / spanX, (Height - 2 * Margin) / spanY);
        west = minLon - ((Width - 2 * Margin) / scale - spanX) / 2 / cosLat;
        north = maxLat + ((Height - 2 * Margin) / scale - spanY) / 2;
        WidthKilometres = (Width - 2 * Margin) / scale * MetresPerDegree / 1000;
    }

    public IReadOnlyList<Geofence> Fences { get; }

    /// <summary>How many kilometres the plot spans from side to side.</summary>
    public double WidthKilometres { get; }

    public string X(double longitude) => F(Margin + (longitude - west) * cosLat * scale);

    public string Y(double latitude) => F(Margin + (north - latitude) * scale);

    /// <summary>A circle's radius in plot units.</summary>
    public string R(double metres) => F(Math.Max(1.5, metres / MetresPerDegree * scale));

    public string Points(GeoPoint[] polygon) => string.Join(" ", polygon.Select(p => $"{X(p.Longitude)},{Y(p.Latitude)}"));

    /// <summary>Where a fence's label goes: its centre, or its first vertex.</summary>
    public (string X, string Y) LabelAt(Geofence f) => f.Center is { } c ? (X(c.Longitude), Y(c.Latitude)) : (X(f.Polygon![0].Longitude), Y(f.Polygon[0].Latitude));

    private static IEnumerable<(double Lat, double Lon)> Extent(Geofence f)
    {
        if (f.Center is { } c)
        {
            double dLat = f.RadiusMeters / MetresPerDegree;
            double dLon = dLat / Math.Max(0.05, Math.Cos(c.Latitude * Math.PI / 180));
            yield return (c.Latitude - dLat, c.Longitude - dLon);
            yield return (c.Latitude + dLat, c.Longitude + dLon);
        }
        else if (f.Polygon is { } polygon)
        {
            foreach (var p in polygon) yield return (p.Latitude, p.Longitude);
        }
    }

    private static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);
}
