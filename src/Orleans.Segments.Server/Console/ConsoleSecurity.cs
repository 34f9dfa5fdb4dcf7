namespace Orleans.Segments.Server.Console;

/// <summary>
/// Headers every console answer carries: a strict Content-Security-Policy (scripts and styles only from this
/// server, no inline script, no framing), no sniffing, no referrer to other sites, and no caching of pages that
/// show users' data.
/// </summary>
public static class ConsoleSecurity
{
    private const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

    public static async Task Headers(HttpContext http, RequestDelegate next)
    {
        if (http.Request.Path.StartsWithSegments("/console"))
        {
            var headers = http.Response.Headers;
            headers.ContentSecurityPolicy = Policy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            if (!http.Request.Path.StartsWithSegments("/console/assets"))
            {
                // Why: the antiforgery filter insists on exactly these (and warns when it has to set them).
                headers.CacheControl = "no-cache, no-store";
                headers.Pragma = "no-cache";
            }
        }

        await next(http);
    }
}
