using MessagePack;

namespace Orleans.Segments.Domain.Events;

/// <summary>A position in WGS 84 degrees, as sent in <c>context.location</c>.</summary>
[GenerateSerializer, Immutable, Alias("segments.GeoPoint")]
[MessagePackObject]
public sealed record GeoPoint(
    [property: Id(0), Key(0)] double Latitude,
    [property: Id(1), Key(1)] double Longitude,
    [property: Id(2), Key(2)] string? City = null,
    [property: Id(3), Key(3)] string? Country = null)
{
    public static bool IsValid(double latitude, double longitude) =>
        double.IsFinite(latitude) && double.IsFinite(longitude) &&
        latitude is >= -90 and <= 90 && longitude is >= -180 and <= 180;
}
