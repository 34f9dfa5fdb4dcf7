using System.Text.Json.Serialization;

namespace Orleans.Segments.Contracts;

/// <summary>
/// The body of <c>PUT /v1/geofences/{id}</c>: a circle (<c>latitude</c>, <c>longitude</c>, <c>radiusMeters</c>) or
/// a polygon (<c>polygon</c>: at least 3 <c>[latitude, longitude]</c> pairs).
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record GeofenceInput(string? Name = null, double? Latitude = null, double? Longitude = null, double? RadiusMeters = null, double[][]? Polygon = null);

public sealed record GeofenceView(string Id, string Name, double? Latitude, double? Longitude, double? RadiusMeters, double[][]? Polygon);

public sealed record GeofenceList(GeofenceView[] Geofences);
