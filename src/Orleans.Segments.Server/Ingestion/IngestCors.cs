using Microsoft.Extensions.Options;
using Orleans.Segments.Hosting;
using Orleans.Segments.Server.Apis;

namespace Orleans.Segments.Server.Ingestion;

/// <summary>
/// Cross-origin access for browsers, on the ingestion routes and the SDK settings only. A preflight cannot say
/// which app it is for (browsers send no Authorization with it), so every ingestion preflight is answered and
/// the app's allow-list (<c>Segments:Apps:&lt;app&gt;:AllowedOrigins</c>) is enforced on the request itself, once
/// the write key names the app. Credentials are never allowed. Every other route refuses preflights: admin keys
/// belong in backends, not in pages. Written by hand because ASP.NET's CORS policies decide before the write
/// key in the body is read.
/// </summary>
public static class IngestCors
{
    /// <summary>What analytics-next and analytics.js send: Basic auth, text/plain or JSON bodies, and the retry count.</summary>
    public const string AllowedHeaders = "authorization, content-type, content-encoding, x-retry-count";

    private static readonly string[] IngestRoutes =
        ["track", "identify", "page", "screen", "alias", "group", "batch", "import", "b", "t", "i", "p", "s", "a", "g", "m"];

    /// <summary>Whether <paramref name="path"/> is an ingestion route or the SDK settings.</summary>
    public static bool IsIngestPath(PathString path)
    {
        if (!path.StartsWithSegments("/v1", out var rest) || !rest.HasValue) return false;
        var segment = rest.Value.AsSpan(1);
        foreach (string route in IngestRoutes)
        {
            if (segment.Equals(route, StringComparison.Ordinal)) return true;
        }

        return segment.StartsWith("projects/") && segment.EndsWith("/settings") && segment.Count('/') == 2;
    }

    /// <summary>Middleware: answers every preflight, ingestion routes with permission and all others with 403.</summary>
    public static async Task Preflight(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (!HttpMethods.IsOptions(request.Method) || !request.Headers.ContainsKey("Origin") || !request.Headers.ContainsKey("Access-Control-Request-Method"))
        {
            await next(http);
            return;
        }

        if (!IsIngestPath(request.Path))
        {
            await Problems.Forbidden("Cross-origin requests are answered only on the ingestion routes; call the management API from your backend, never with an admin key in a page.",
                    "Cross-origin request refused.").ExecuteAsync(http);
            return;
        }

        var headers = http.Response.Headers;
        headers.AccessControlAllowOrigin = request.Headers.Origin;
        headers.Vary = "Origin";
        headers.AccessControlAllowMethods = request.Path.Value!.EndsWith("/settings", StringComparison.Ordinal) ? "GET" : "POST";
        headers.AccessControlAllowHeaders = AllowedHeaders;
        headers.AccessControlMaxAge = "86400";
        http.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>
    /// For a request of <paramref name="appId"/> from a page: null and the CORS answer headers set when its origin may
    /// send; a 403 problem when the app lists its origins and this is not one of them. Requests without an Origin
    /// (apps, backends) pass untouched.
    /// </summary>
    public static IResult? Check(HttpContext http, string appId)
    {
        string? origin = http.Request.Headers.Origin;
        if (string.IsNullOrEmpty(origin)) return null;
        var allowed = http.RequestServices.GetRequiredService<IOptions<SegmentsOptions>>().Value.Apps.GetValueOrDefault(appId)?.AllowedOrigins ?? [];
        if (allowed.Length == 0)
        {
            http.Response.Headers.AccessControlAllowOrigin = "*";
            return null;
        }

        http.Response.Headers.Vary = "Origin";
        if (!allowed.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            http.Response.Headers.Remove("Access-Control-Allow-Origin");
            return Problems.Forbidden($"Pages of '{Shorten(origin)}' may not send events for this app; its allowed origins are set in Segments:Apps:<appId>:AllowedOrigins.",
                "Origin not allowed.");
        }

        http.Response.Headers.AccessControlAllowOrigin = origin;
        return null;
    }

    /// <summary>Lets a page read an answer given before the app is known (a malformed body, an unknown key).</summary>
    public static void AllowReadingErrors(HttpContext http)
    {
        if (http.Request.Headers.ContainsKey("Origin") && !http.Response.Headers.ContainsKey("Access-Control-Allow-Origin"))
        {
            http.Response.Headers.AccessControlAllowOrigin = "*";
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "…";
}
