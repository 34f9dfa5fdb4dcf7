using Orleans.Segments.Server.Apis;

namespace Orleans.Segments.Server.Apps;

/// <summary>
/// Lets a request through the management API only with an app's admin key as <c>Authorization: Bearer</c>;
/// the app it names is the only app the request can see.
/// </summary>
public sealed class AdminAuthFilter(AppCatalog catalog) : IEndpointFilter
{
    public const string CallerItem = "segments.caller";

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        string? header = http.Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            return Problems.Unauthorized("The management API needs an admin key as 'Authorization: Bearer <key>'.");
        }

        var caller = catalog.Find(header["Bearer ".Length..].Trim());
        if (caller is null)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
            return Problems.Unauthorized("The key is not known.");
        }

        if (caller.Role != KeyRole.Admin)
        {
            return Problems.Forbidden("A write key can only ingest events; the management API needs the app's admin key.");
        }

        http.Items[CallerItem] = caller;
        return await next(context);
    }

    public static AppCaller Caller(HttpContext http) => (AppCaller)http.Items[CallerItem]!;
}
