using Microsoft.Extensions.Options;
using Orleans.Segments.Server.Apps;
using Orleans.Segments.Server.Hosting;
using Orleans.Segments.Server.Ingestion;

namespace Orleans.Segments.Server.Apis;

/// <summary>
/// <c>GET /v1/projects/{writeKey}/settings</c>: what Segment's CDN serves an SDK at start, pointing it at this
/// server. The mobile SDKs replace their configured API host with the one named here (and fall back to
/// Segment's own when this fails), and analytics-next will not start without it, so an app that sets this server
/// as both its API host and its CDN host needs no other change.
/// </summary>
public static class SdkSettingsApi
{
    public static IEndpointRouteBuilder MapSdkSettingsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v1/projects/{writeKey}/settings", Get).WithTags("Tracking").WithName("SdkSettings")
            .WithSummary("The settings Segment's SDKs load at start, pointing them at this server.")
            .WithMetadata(new ApiKeyRequirement(null))
            .Answers<SdkSettings>()
            .Problems(StatusCodes.Status404NotFound);
        return routes;
    }

    private static IResult Get(string writeKey, HttpContext http, AppCatalog catalog, IOptions<ServerOptions> options)
    {
        var caller = catalog.Find(writeKey);
        if (caller is not { Role: KeyRole.Write })
        {
            IngestCors.AllowReadingErrors(http);
            return Problems.NotFound("No app has this write key.");
        }

        if (IngestCors.Check(http, caller.AppId) is { } refused) return refused;

        var server = options.Value;
        var request = http.Request;
        string apiHost = server.PublicApiHost ?? $"{request.Host}{request.PathBase}/v1";
        string protocol = server.PublicApiProtocol ?? request.Scheme;
        http.Response.Headers.CacheControl = "private, max-age=60";
        return Results.Ok(SdkSettings.For(writeKey, apiHost, protocol));
    }
}
