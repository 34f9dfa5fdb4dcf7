using Orleans.Segments.Contracts;
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
        api.MapGet("", List).WithName("ListGeofences").WithSummary("Every geofence of the app.")
            .Answers<GeofenceList>().AdminList();
        api.MapPut("/{id}", Put).WithName("PutGeofence")
            .WithSummary("A circle {\"name\", \"latitude\", \"longitude\", \"radiusMeters\"} or a polygon {\"name\", \"polygon\": [[lat, lon], ...]}.")
            .Body<GeofenceInput>().Answers<GeofenceView>().Answers<GeofenceView>(StatusCodes.Status201Created).Admin();
        api.MapGet("/{id}", Get).WithName("GetGeofence").WithSummary("One geofence.")
            .Answers<GeofenceView>().Admin().Problems(StatusCodes.Status404NotFound);
        api.MapDelete("/{id}", Delete).WithName("DeleteGeofence").WithSummary("Deletes a geofence; 409 if a segment or a campaign uses it.")
            .Produces(StatusCodes.Status204NoContent).Admin().Problems(StatusCodes.Status404NotFound, StatusCodes.Status409Conflict);
        return routes;
    }

    private static async Task<IResult> List(HttpContext http, GeofenceService geofences) =>
        Results.Ok(new GeofenceList((await geofences.ListAsync(AdminAuthFilter.Caller(http).AppId)).Select(View).ToArray()));

    private static async Task<IResult> Get(string id, HttpContext http, GeofenceService geofences)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var fence = await geofences.GetAsync(AdminAuthFilter.Caller(http).AppId, id);
        return fence is null ? Problems.NotFound($"No geofence '{id}' in this app.") : Results.Ok(View(fence));
    }

    private static async Task<IResult> Put(string id, HttpContext http, GeofenceService geofences, CancellationToken ct)
    {
        if (SegmentsApi.InvalidId(id) is { } invalid) return invalid;
        var (body, error) = await ContractBody.ReadAsync(http, ContractsJson.Default.GeofenceInput, MaxBodyBytes, "geofence", ct);
        if (error is not null) return error;
        var (fence, problem) = Read(id, body!);
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

    /// <summary>A geofence from its contract; the console's form makes the same contract.</summary>
    public static (Geofence? Fence, string? Problem) Read(string id, GeofenceInput body)
    {
        string name = body.Name ?? id;
        if (name.Length > 200) return (null, "'name' may be at most 200 characters.");
        if (body.Polygon is { } polygon)
        {
            if (polygon.Length > Geofence.MaxVertices) return (null, $"a polygon may have at most {Geofence.MaxVertices} vertices.");
            var points = new List<GeoPoint>(polygon.Length);
            foreach (var vertex in polygon)
            {
                if (vertex is not { Length: 2 }) return (null, "every vertex of 'polygon' must be a [latitude, longitude] pair of numbers.");
                points.Add(new GeoPoint(vertex[0], vertex[1]));
            }

            var fence = new Geofence(id, name, null, 0, points.ToArray());
            return fence.Validate() is { } problem ? (null, problem) : (fence, null);
        }

        if (body.Latitude is not { } lat || body.Longitude is not { } lon || body.RadiusMeters is not { } radius)
        {
            return (null, "give a circle as numbers 'latitude', 'longitude' and 'radiusMeters', or a 'polygon'.");
        }

        var circle = new Geofence(id, name, new GeoPoint(lat, lon), radius, null);
        return circle.Validate() is { } p ? (null, p) : (circle, null);
    }

    private static GeofenceView View(Geofence fence) => fence.Center is { } c
        ? new GeofenceView(fence.Id, fence.Name, c.Latitude, c.Longitude, fence.RadiusMeters, null)
        : new GeofenceView(fence.Id, fence.Name, null, null, null, fence.Polygon!.Select(p => new[] { p.Latitude, p.Longitude }).ToArray());
}
