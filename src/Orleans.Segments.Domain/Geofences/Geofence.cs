using Orleans.Segments.Domain.Events;

namespace Orleans.Segments.Domain.Geofences;

/// <summary>A named area: a circle (centre and radius) or a polygon of (latitude, longitude) vertices.</summary>
[GenerateSerializer, Immutable, Alias("segments.Geofence")]
public sealed record Geofence(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] GeoPoint? Center,
    [property: Id(3)] double RadiusMeters,
    [property: Id(4)] GeoPoint[]? Polygon)
{
    /// <summary>The largest circle accepted, in metres.</summary>
    public const double MaxRadiusMeters = 100_000;

    /// <summary>The most vertices a polygon may have.</summary>
    public const int MaxVertices = 1000;

    /// <summary>The first reason this fence is unusable, or null.</summary>
    public string? Validate()
    {
        if (Center is not null && Polygon is not null) return "give either a circle (latitude, longitude, radiusMeters) or a polygon, not both.";
        if (Center is { } c)
        {
            if (!GeoPoint.IsValid(c.Latitude, c.Longitude)) return "latitude must be within ±90 and longitude within ±180.";
            if (!double.IsFinite(RadiusMeters) || RadiusMeters <= 0 || RadiusMeters > MaxRadiusMeters) return $"radiusMeters must be more than 0 and at most {MaxRadiusMeters}.";
            return null;
        }

        if (Polygon is null) return "give a circle (latitude, longitude, radiusMeters) or a polygon.";
        if (Polygon.Length is < 3 or > MaxVertices) return $"a polygon needs 3 to {MaxVertices} vertices.";
        if (Polygon.Any(p => !GeoPoint.IsValid(p.Latitude, p.Longitude))) return "every vertex needs a latitude within ±90 and a longitude within ±180.";
        var shape = GeofenceIndex.ToPolygon(this);
        if (!shape.IsValid || shape.Area <= 0) return "the polygon must not cross itself and must enclose an area.";
        return null;
    }
}
