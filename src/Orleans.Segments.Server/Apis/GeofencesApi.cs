using System.Text.Json;
using Orleans.Segments.Domain.Events;
using Orleans.Segments.Domain.Geofences;
using Orleans.Segments.Segments;
using Orleans.Segments.Server.Application;
using Orleans.Segments.Server.Apps;

namespace Orleans.Segments.Server.Apis;

/// <summary>Geofences of the caller's app: circles or polygons that location events are matched against.</summary>
public static class GeofencesApi
{
    private const int MaxBodyBytes = 256 * 1024;

    public static IEndpointRouteBuilder MapGeofencesApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/v1/geofences").WithTags("Geofences").AddEndpointFilter<AdminAuthFilter>();
        api.MapGet("", List).WithName("ListGeofences");
        api.MapPut("/{id}", Put).WithName("PutGeofence")
            .WithSummary("A circle {\"name\", \"latitude\", \"longitude\", \"radiusMeters\"} or a polygon {\"name\", \"polygon\": [[lat, lon], ...]}.");
        api.MapGet("/{id}", Get).WithName("GetGeofence");
        api.MapDelete("/{id}", Delete).WithName("DeleteGeofence").WithSummary("Deletes a geofence; 409 if a segment uses it.");
        return routes;
    }

    private static async Task<IResult> List(HttpContext http, GeofenceService geofences) =>
        Results.Ok(new { geofences = (await geofences.ListAsync(AdminAuthFilter.Caller(http).AppId)).Select(View) });

    private static async Task<IResult> Get(string id, HttpContext http, GeofenceService geofences)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var fence = await geofences.GetAsync(AdminAuthFilter.Caller(http).AppId, id);
        return fence is null ? Problems.NotFound($"No geofence '{id}' in this app.") : Results.Ok(View(fence));
    }

    private static async Task<IResult> Put(string id, HttpContext http, GeofenceService geofences, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (body, error) = await JsonBody.ReadObject(http, MaxBodyBytes, ct);
        if (error is not null) return error;
        var (fence, problem) = Read(id, body!.Value);
        if (problem is not null) return Problems.BadRequest(problem);

        var change = await geofences.PutAsync(AdminAuthFilter.Caller(http).AppId, fence!);
        if (change.Status == CatalogChangeStatus.Invalid) return Problems.BadRequest("The geofence is invalid.", change.Errors);
        return change.Status == CatalogChangeStatus.Created ? Results.Created($"/v1/geofences/{id}", View(fence!)) : Results.Ok(View(fence!));
    }

    private static async Task<IResult> Delete(string id, HttpContext http, GeofenceService geofences)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var change = await geofences.DeleteAsync(AdminAuthFilter.Caller(http).AppId, id);
        return change.Status switch
        {
            CatalogChangeStatus.NotFound => Problems.NotFound($"No geofence '{id}' in this app."),
            CatalogChangeStatus.InUse => Problems.Conflict($"Geofence '{id}' is in use.", change.Errors),
            _ => Results.NoContent(),
        };
    }

    /// <summary>Reads a geofence from the API's JSON; the console's form builds the same JSON.</summary>
    public static (Geofence? Fence, string? Problem) Read(string id, JsonElement body)
    {
        string name = JsonBody.String(body, "name") ?? id;
        if (name.Length > 200) return (null, "'name' may be at most 200 characters.");
        if (body.TryGetProperty("polygon", out var polygon) && polygon.ValueKind != JsonValueKind.Null)
        {
            if (polygon.ValueKind != JsonValueKind.Array) return (null, "'polygon' must be an array of [latitude, longitude] pairs.");
            var points = new List<GeoPoint>();
            foreach (var vertex in polygon.EnumerateArray())
            {
                if (points.Count > Geofence.MaxVertices) return (null, $"a polygon may have at most {Geofence.MaxVertices} vertices.");
                if (vertex.ValueKind != JsonValueKind.Array || vertex.GetArrayLength() != 2 ||
                    vertex[0].ValueKind != JsonValueKind.Number || vertex[1].ValueKind != JsonValueKind.Number)
                {
                    return (null, "every vertex of 'polygon' must be a [latitude, longitude] pair of numbers.");
                }

                points.Add(new GeoPoint(vertex[0].GetDouble(), vertex[1].GetDouble()));
            }

            var fence = new Geofence(id, name, null, 0, points.ToArray());
            return fence.Validate() is { } problem ? (null, problem) : (fence, null);
        }

        if (!TryNumber(body, "latitude", out double lat) || !TryNumber(body, "longitude", out double lon) || !TryNumber(body, "radiusMeters", out double radius))
        {
            return (null, "give a circle as numbers 'latitude', 'longitude' and 'radiusMeters', or a 'polygon'.");
        }

        var circle = new Geofence(id, name, new GeoPoint(lat, lon), radius, null);
        return circle.Validate() is { } p ? (null, p) : (circle, null);
    }

    private static bool TryNumber(JsonElement body, string name, out double value)
    {
        value = 0;
        return body.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out value) && double.IsFinite(value);
    }

    private static object View(Geofence fence) => fence.Center is { } c
        ? new { id = fence.Id, name = fence.Name, latitude = (double?)c.Latitude, longitude = (double?)c.Longitude, radiusMeters = (double?)fence.RadiusMeters, polygon = (double[][]?)null }
        : new { id = fence.Id, name = fence.Name, latitude = (double?)null, longitude = (double?)null, radiusMeters = (double?)null, polygon = (double[][]?)fence.Polygon!.Select(p => new[] { p.Latitude, p.Longitude }).ToArray() };
}
